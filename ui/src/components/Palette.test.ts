// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Palette from "./Palette.svelte";
import { nav } from "../lib/nav.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  clearMocks();
});

const people = [
  { id: 7, displayName: "Ana Lima", company: "Acme", role: "Designer" },
  { id: 9, displayName: "Anaïs Dubois", company: null, role: null },
];

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
  }
}

describe("Palette", () => {
  it("lists its results as options with nothing interactive inside them, and a click opens the person", async () => {
    mockIPC((cmd) => (cmd === "search_contacts" ? people : cmd === "count_contacts" ? people.length : null));
    let closed = false;
    mounted = mount(Palette, { target: document.body, props: { onclose: () => (closed = true) } });
    const input = document.body.querySelector<HTMLInputElement>("[data-testid=palette-input]");
    if (!input) throw new Error("no palette input");
    input.value = "an";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();

    const options = [...document.body.querySelectorAll<HTMLElement>("[role=option]")];
    expect(options.map((o) => o.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      expect.stringContaining("Ana Lima"),
      expect.stringContaining("Anaïs Dubois"),
    ]);
    // axe's nested-interactive: an option is one control, with no button or link inside.
    for (const option of options) {
      expect(option.querySelector("button, a[href], input, [tabindex]")).toBeNull();
    }
    expect(input.getAttribute("aria-activedescendant")).toBe(options[0].id);

    options[1].click();
    expect(nav.contactId).toBe(9);
    expect(closed).toBe(true);
  });
});
