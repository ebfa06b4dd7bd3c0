// Light or dark: the user's choice in Settings, or the desktop's while Kith follows it (and
// as it changes). The stylesheet's dark colours apply under `data-theme="dark"`.

import type { Theme } from "./bindings/Theme";

const desktopDark = window.matchMedia("(prefers-color-scheme: dark)");
let chosen: Theme = "system";

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
