//! The tray icon and its menu — nudges waiting for an answer (when the desktop could not
//! show them), today's plan, Open Kith, Quit — and the main window's
//! life: closing it destroys it (and its web process), the app keeps running in the tray,
//! and Open Kith (or a second launch) brings a window back.

use std::sync::{Mutex, OnceLock, PoisonError};

use chrono::Utc;
use kith_core::rank::Suggestion;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::{AppEvent, AppState};

pub(crate) const TRAY: &str = "kith";

/// Why there is no tray on this desktop, if there is none (closing the window then minimises
/// it: Kith must never run with no way back to it).
/// Decided once, at start.
#[derive(Default)]
pub struct NoTray(OnceLock<String>);

impl NoTray {
    pub fn reason(&self) -> Option<String> {
        self.0.get().cloned()
    }

    fn set(&self, reason: String) {
        // Start runs once; a second reason would say the same.
        let _ = self.0.set(reason);
    }
}

/// The indicator libraries a tray icon needs, newest first (the tray loads one at run time).
const INDICATOR_LIBRARIES: [&str; 2] = ["libayatana-appindicator3.so.1", "libappindicator3.so.1"];

/// Whether this desktop can show Kith's tray icon: something shows status icons (a
/// StatusNotifier host on the session bus: KDE, XFCE, Cinnamon, GNOME with its AppIndicator
/// extension…) and the indicator library is installed. The reason in words when not.
pub fn available() -> Result<(), String> {
    host_registered(zbus::blocking::Connection::session())?;
    // Loading the library runs nothing of Kith's; the tray would load the same one.
    // SAFETY: a system library loaded for its presence; no symbol of it is called here.
    let loaded = INDICATOR_LIBRARIES
        .iter()
        .any(|name| unsafe { libloading::Library::new(name) }.is_ok());
    if !loaded {
        return Err(format!(
            "the tray library ({}) is not installed",
            INDICATOR_LIBRARIES[0]
        ));
    }
    Ok(())
}

/// Whether a StatusNotifier host (the panel that shows tray icons) runs on `bus`.
pub(crate) fn host_registered(bus: zbus::Result<zbus::blocking::Connection>) -> Result<(), String> {
    const WATCHER: &str = "org.kde.StatusNotifierWatcher";
    let none = || "nothing on this desktop shows tray icons".to_owned();
    let bus = bus.map_err(|_| none())?;
    let watcher = zbus::blocking::Proxy::new(&bus, WATCHER, "/StatusNotifierWatcher", WATCHER)
        .map_err(|_| none())?;
    match watcher.get_property::<bool>("IsStatusNotifierHostRegistered") {
        Ok(true) => Ok(()),
        _ => Err(none()),
    }
}

/// Puts Kith in the tray where the desktop can show it; where it cannot, records why.
pub fn start<R: Runtime>(app: &AppHandle<R>) -> bool {
    let made = available().and_then(|()| build(app).map_err(|e| e.to_string()));
    match made {
        Ok(()) => true,
        Err(reason) => {
            tracing::warn!(%reason, "no tray icon; closing the window minimises it");
            app.state::<NoTray>().set(reason);
            false
        }
    }
}

/// What the tray menu lists now, to rebuild it only when that changes.
#[derive(Default)]
pub struct TrayPlan(Mutex<Vec<(String, String)>>);

/// Puts Kith in the tray.
fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let menu = menu(app, &[])?;
    let mut tray = TrayIconBuilder::with_id(TRAY)
        .tooltip("Kith")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| {
            let id = event.id().as_ref();
            match id {
                "open" => show_main(app),
                // A nudge waiting for an answer: the window shows it with its actions.
                _ if id.starts_with("nudge:") => show_main(app),
                "quit" => app.exit(0),
                _ => {
                    if let Some(contact) = id
                        .strip_prefix("contact:")
                        .and_then(|c| c.parse::<i64>().ok())
                    {
                        show_main(app);
                        if let Err(e) = app.emit(AppEvent::OpenContact.name(), contact) {
                            tracing::warn!(error = %e, "cannot open a contact from the tray");
                        }
                    }
                }
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    refresh(app);
    Ok(())
}

/// Lists today's plan in the tray menu (when it changed since last time).
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    // No tray (no status area on this desktop): nothing to rank for.
    let Some(tray) = app.tray_by_id(TRAY) else {
        return;
    };
    let state = app.state::<AppState>();
    let plan: Vec<Suggestion> = {
        let store = state.store();
        let budget = store.preferences().map(|p| p.daily_budget).unwrap_or(3) as usize;
        match store.today(Utc::now(), budget) {
            Ok(plan) => plan,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list today's plan in the tray");
                return;
            }
        }
    };
    // Nudges the desktop could not show wait here too; choosing one opens the window, which
    // shows it with its actions.
    let waiting = state.nudges.in_app().into_iter().map(|d| match d {
        crate::notifier::Delivery::InApp { nudge, .. }
        | crate::notifier::Delivery::Desktop { nudge } => (
            format!("nudge:{}", nudge.id),
            format!("Reminder: {}", nudge.summary),
        ),
    });
    let items: Vec<(String, String)> = waiting
        .chain(plan.iter().map(|s| {
            (
                format!("contact:{}", s.contact_id),
                s.action.phrase(&s.name),
            )
        }))
        .collect();
    let tray_plan = app.state::<TrayPlan>();
    let mut shown = tray_plan.0.lock().unwrap_or_else(PoisonError::into_inner);
    if *shown == items {
        return;
    }

    match menu(app, &items) {
        Ok(menu) => {
            if let Err(e) = tray.set_menu(Some(menu)) {
                tracing::warn!(error = %e, "cannot update the tray menu");
                return;
            }
            *shown = items;
        }
        Err(e) => tracing::warn!(error = %e, "cannot build the tray menu"),
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, items: &[(String, String)]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    if items.is_empty() {
        menu.append(&MenuItem::with_id(
            app,
            "none",
            "Nobody needs you today",
            false,
            None::<&str>,
        )?)?;
    }
    for (id, label) in items {
        menu.append(&MenuItem::with_id(
            app,
            id.as_str(),
            label,
            true,
            None::<&str>,
        )?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        "open",
        "Open Kith",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        "quit",
        "Quit Kith",
        true,
        None::<&str>,
    )?)?;
    Ok(menu)
}

/// Shows the main window, creating it again if it was closed.
pub(crate) fn show_main<R: Runtime>(app: &AppHandle<R>) {
    let window = match app.get_webview_window("main") {
        Some(window) => Ok(window),
        None => match app.config().app.windows.first() {
            Some(config) => crate::first_paint::build(app, config),
            None => return,
        },
    };
    match window {
        Ok(window) => {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        Err(e) => tracing::warn!(error = %e, "cannot open the window"),
    }
}
