// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ContactQuery, ContactSummary } from "../lib/api";
import Palette from "./Palette.svelte";
import { nav } from "../lib/nav.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  clearMocks();
});

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
  }
}

const people = [
  { id: 7, displayName: "Ana Lima", company: "Acme", role: "Designer" },
  { id: 9, displayName: "Anaïs Dubois", company: null, role: null },
];


function person(id: number, name: string): ContactSummary {
  return { id, displayName: name, company: null, role: null, circle: "network" } as unknown as ContactSummary;
}

/** A network where `matching` people are named Ana …; a search answers the first `limit`. */
function network(matching: number) {
  mockIPC((cmd, args) => {
    const query = (args as { query: ContactQuery }).query;
    const all = Array.from({ length: matching }, (_, i) => person(i + 1, `Ana ${i + 1}`));
    const found = query.text.trim().toLowerCase().startsWith("an") ? all : [];
    if (cmd === "search_contacts") return found.slice(0, query.limit ?? found.length);
    if (cmd === "count_contacts") return found.length;
    throw new Error(`unexpected ${cmd}`);
  });
}

async function type(text: string) {
  const input = document.body.querySelector<HTMLInputElement>("[data-testid=palette-input]");
  if (!input) throw new Error("no input");
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  await settle();
}

const count = () => document.body.querySelector("[data-testid=palette-count]")?.textContent?.trim() ?? null;
const shown = () => document.body.querySelectorAll("[data-testid=palette-result]").length;

describe("Palette", () => {
  it("says how many people match beside the first eight it shows", async () => {
    network(1250);
    mounted = mount(Palette, { target: document.body, props: { onclose: () => {} } });
    await type("ana");
    expect(shown()).toBe(8);
    expect(count()).toBe(`${(1250).toLocaleString()} people match, first 8 shown`);

    await type("zed");
    expect(shown()).toBe(0);
    expect(count()).toBe(null);
  });

  it("says so when everyone who matches is shown", async () => {
    network(1);
    mounted = mount(Palette, { target: document.body, props: { onclose: () => {} } });
    await type("an");
    expect(shown()).toBe(1);
    expect(count()).toBe("1 person matches");
  });

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
