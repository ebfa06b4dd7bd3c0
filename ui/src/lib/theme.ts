// Light or dark: the user's choice in Settings, or the desktop's while Kith follows it (and
// as it changes). The stylesheet's dark colours apply under `data-theme="dark"`.
//
// The window starts in the stored theme: the backend hands the page its preferences' theme
// (and whether the onboarding ran) in `window.__KITH_START__` before any of its scripts run,
// and sets the theme on the document itself, so the first paint is never the wrong colour.

import type { Theme } from "./bindings/Theme";

/** What the backend says before the page's first paint (absent outside the app). */
export interface Start {
  theme: Theme;
  onboarded: boolean;
}

/** The window's start, as the backend gave it; null where none was given. */
export function started(): Start | null {
  const start = (window as { __KITH_START__?: Start }).__KITH_START__;
  return start && typeof start === "object" ? start : null;
}

const desktopDark = window.matchMedia("(prefers-color-scheme: dark)");
let chosen: Theme = started()?.theme ?? "system";

function apply() {
  const dark = chosen === "dark" || (chosen === "system" && desktopDark.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

desktopDark.addEventListener("change", apply);

/** Shows the window in `theme` from now on. */
export function useTheme(theme: Theme): void {
  chosen = theme;
  apply();
}

/** Shows the window in the theme it was started in (the desktop's if none was given). */
export function useStartTheme(): void {
  apply();
}
