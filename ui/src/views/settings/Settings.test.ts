// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Settings from "./Settings.svelte";
import Preferences from "./Preferences.svelte";
import { drafts } from "./drafts.svelte";
import type { Preferences as Prefs } from "../../lib/api";

let stored: Prefs;
let saves: Prefs[];
let mounted: Record<string, unknown> | null = null;

/** The backend as Settings sees it: preferences that are kept, and empty lists elsewhere. */
function backend() {
  mockIPC((cmd, args) => {
    switch (cmd) {
      case "get_preferences":
        return stored;
      case "set_preferences": {
        stored = { ...(args as { preferences: Prefs }).preferences };
        saves.push(stored);
        return stored;
      }
      case "get_start_at_login":
        return false;
      case "tray_status":
        return null;
      case "get_circle_cadences":
        return { inner: 14, close: 30, network: 90, acquaintance: 180 };
      case "sync_status":
        return { conflicts: 0, leftAlone: [] };
      case "plugin:event|listen":
        return 1;
      default:
        return [];
    }
  });
}

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
  }
}

function show(component: typeof Preferences | typeof Settings) {
  mounted = mount(component, { target: document.body });
}

function field<T extends HTMLElement>(css: string): T {
  const el = document.body.querySelector<T>(css);
  if (!el) throw new Error(`nothing matches ${css}`);
  return el;
}

function choose(css: string, value: string, event: "change" | "input") {
  const el = field<HTMLInputElement | HTMLSelectElement>(css);
  el.value = value;
  el.dispatchEvent(new Event(event, { bubbles: true }));
  flushSync();
}

beforeEach(() => {
  stored = {
    nudgeTime: "09:00",
    timeZone: "UTC",
    onboarded: true,
    dailyBudget: 3,
    weekStart: "monday",
    quietFrom: "21:00",
    quietTo: "08:00",
    workingDays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
    theme: "light",
  };
  saves = [];
  drafts.preferences = null;
  drafts.cadences = null;
  drafts.tagRules = null;
  document.documentElement.dataset.theme = "light";
  backend();
});

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  clearMocks();
});

describe("Settings → Your day", () => {
  it("applies and keeps the appearance as soon as it is chosen, without Save", async () => {
    show(Preferences);
    await settle();
    choose("#pref-theme", "dark", "change");
    expect(document.documentElement.dataset.theme).toBe("dark");
    await settle();
    expect(saves.map((p) => p.theme)).toEqual(["dark"]);
    expect(stored.theme).toBe("dark");
    // Only the appearance: nothing else typed in the form is saved with it.
    expect(field("[data-testid=theme-saved]").textContent).toContain("Applied");
  });

  it("keeps an unsaved edit while the user is elsewhere, and says so when they are back", async () => {
    show(Preferences);
    await settle();
    choose("#pref-time", "07:30", "input");
    expect(field("[data-testid=preferences-unsaved]").textContent).toContain("Not saved yet");
    // Away to another screen and back.
    if (mounted) unmount(mounted);
    mounted = null;
    document.body.innerHTML = "";
    show(Preferences);
    await settle();
    expect(field<HTMLInputElement>("#pref-time").value).toBe("07:30");
    expect(field("[data-testid=preferences-kept]").textContent).toContain("unsaved changes");
    expect(saves).toEqual([]);
    // Saved, it is no longer a draft.
    field<HTMLButtonElement>("[data-testid=save-preferences]").click();
    await settle();
    expect(stored.nudgeTime).toBe("07:30");
    expect(drafts.preferences).toBeNull();
  });

  it("a theme chosen after an edit saves the theme alone and keeps the edit as a draft", async () => {
    show(Preferences);
    await settle();
    choose("#pref-budget", "5", "input");
    choose("#pref-theme", "dark", "change");
    await settle();
    expect(saves.map((p) => [p.theme, p.dailyBudget])).toEqual([["dark", 3]]);
    expect(drafts.preferences?.dailyBudget).toBe(5);
  });
});

describe("Settings", () => {
  it("has a short index whose entries jump to their part and take the focus there", async () => {
    show(Settings);
    await settle();
    const index = field("nav[data-testid=settings-index]");
    expect(index.getAttribute("aria-label")).toBeTruthy();
    const links = [...index.querySelectorAll<HTMLAnchorElement>("a[href]")];
    expect(links.map((a) => a.textContent?.trim())).toEqual([
      "Your day",
      "Keep in touch",
      "Nudges",
      "Sync",
      "Data",
    ]);
    for (const link of links) {
      const id = link.getAttribute("href")?.slice(1) ?? "";
      const part = document.getElementById(id);
      expect(part, `${link.textContent} leads somewhere`).not.toBeNull();
      link.click();
      expect(document.activeElement).toBe(part);
    }
  });

  it("keeps the cadences typed and not saved when Settings is left", async () => {
    show(Settings);
    await settle();
    const inner = field<HTMLInputElement>("[data-testid=cadence-form] input");
    inner.value = "10";
    inner.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    if (mounted) unmount(mounted);
    mounted = null;
    document.body.innerHTML = "";
    show(Settings);
    await settle();
    expect(field<HTMLInputElement>("[data-testid=cadence-form] input").value).toBe("10");
    expect(field("[data-testid=cadences-unsaved]").textContent).toContain("Not saved yet");
  });
});
