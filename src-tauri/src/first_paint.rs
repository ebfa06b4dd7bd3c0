//! The window's first paint: in the stored theme at once. The window is made with the
//! theme's background colour, and a script that runs before the page's own sets the theme on
//! the document and hands the page what it needs to draw its first screen (the theme, and
//! whether the onboarding is due) without waiting for a command to answer.

use kith_core::preferences::Theme;
use tauri::webview::Color;
use tauri::{Manager, Runtime, WebviewWindow, WebviewWindowBuilder};

use crate::AppState;

/// What the page needs before its first paint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Start {
    pub theme: Theme,
    pub onboarded: bool,
}

impl Start {
    /// As stored; as on a first start when the preferences cannot be read (the page reads
    /// them again, and says why if that fails).
    pub fn stored<R: Runtime, M: Manager<R>>(app: &M) -> Start {
        let read = app.try_state::<AppState>().map(|s| s.store().preferences());
        match read {
            Some(Ok(prefs)) => Start {
                theme: prefs.theme,
                onboarded: prefs.onboarded,
            },
            Some(Err(e)) => {
                tracing::warn!(error = %e, "cannot read the preferences for the first paint");
                Start::default()
            }
            None => Start::default(),
        }
    }

    /// The script the window runs before the page's: `window.__KITH_START__`, and the theme
    /// on the document (the desktop's light or dark when Kith follows it).
    pub fn script(self) -> String {
        let theme = match self.theme {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        };
        format!(
            r#"(function () {{
  var start = Object.freeze({{ theme: "{theme}", onboarded: {onboarded} }});
  Object.defineProperty(window, "__KITH_START__", {{ value: start }});
  var dark = start.theme === "dark" ||
    (start.theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  function apply() {{
    var root = document.documentElement;
    if (root) root.dataset.theme = dark ? "dark" : "light";
    return !!root;
  }}
  // Before the page is parsed there may be no <html> yet: set it as it comes.
  if (!apply()) {{
    var watch = new MutationObserver(function () {{
      if (apply()) watch.disconnect();
    }});
    watch.observe(document, {{ childList: true }});
  }}
}})();"#,
            onboarded = self.onboarded,
        )
    }

    /// The window's background before the page paints: the stylesheet's `--bg`.
    pub fn background(self, desktop_dark: bool) -> Color {
        let dark = match self.theme {
            Theme::Dark => true,
            Theme::Light => false,
            Theme::System => desktop_dark,
        };
        if dark {
            Color(0x16, 0x19, 0x1c, 0xff)
        } else {
            Color(0xf6, 0xf5, 0xf2, 0xff)
        }
    }
}

impl Default for Start {
    fn default() -> Self {
        Start {
            theme: Theme::System,
            onboarded: false,
        }
    }
}

/// The main window from its configuration, painted in the stored theme from the start.
pub(crate) fn build<R: Runtime, M: Manager<R>>(
    app: &M,
    config: &tauri::utils::config::WindowConfig,
) -> tauri::Result<WebviewWindow<R>> {
    let start = Start::stored(app);
    let window = WebviewWindowBuilder::from_config(app, config)?
        .initialization_script(start.script())
        .background_color(start.background(false))
        .build()?;
    if start.theme == Theme::System {
        // The desktop's preference is known once there is a window to ask.
        if let Ok(tauri::Theme::Dark) = window.theme() {
            if let Err(e) = window.set_background_color(Some(start.background(true))) {
                tracing::warn!(error = %e, "cannot set the window's background");
            }
        }
    }
    Ok(window)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_names_the_stored_theme_and_whether_the_onboarding_ran() {
        let script = Start {
            theme: Theme::Dark,
            onboarded: true,
        }
        .script();
        assert!(
            script.contains(r#"theme: "dark", onboarded: true"#),
            "{script}"
        );
        let first = Start::default().script();
        assert!(
            first.contains(r#"theme: "system", onboarded: false"#),
            "{first}"
        );
    }

    #[test]
    fn the_background_is_the_themes_and_the_desktops_when_kith_follows_it() {
        let dark = Color(0x16, 0x19, 0x1c, 0xff);
        let light = Color(0xf6, 0xf5, 0xf2, 0xff);
        let with = |theme| Start {
            theme,
            onboarded: true,
        };
        assert_eq!(with(Theme::Dark).background(false), dark);
        assert_eq!(with(Theme::Light).background(true), light);
        assert_eq!(with(Theme::System).background(true), dark);
        assert_eq!(with(Theme::System).background(false), light);
    }
}
