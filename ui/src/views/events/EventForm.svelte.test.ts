// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import EventForm from "./EventForm.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  clearMocks();
});

async function settle() {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  flushSync();
}

function press(target: Element, key: string) {
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  flushSync();
}

function typeInto(field: HTMLInputElement, text: string) {
  field.value = text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

function open() {
  mockIPC((cmd) => {
    if (cmd === "repeat_choices") return [{ repeat: { kind: "never" }, words: "once" }];
    if (cmd === "search_contacts") return [{ id: 4, displayName: "Bruno Costa", company: "Impact Hub", role: null }];
    throw `unexpected ${cmd}`;
  });
  let cancelled = 0;
  const target = document.createElement("div");
  document.body.append(target);
  mounted = mount(EventForm, {
    target,
    props: {
      onsaved: () => {},
      oncancel: () => {
        cancelled++;
        if (mounted) unmount(mounted);
        mounted = null;
      },
    },
  });
  flushSync();
  return { cancelled: () => cancelled };
}

describe("EventForm", () => {
  it("closes the people list on Escape, asks before a named event goes, and keeps it as a draft if taken away", async () => {
    const { cancelled } = open();
    typeInto(field("event-title"), "Rust Lisbon meetup");
    const who = field("event-people");
    who.focus();
    typeInto(who, "bru");
    await settle();
    expect(document.querySelector('[data-testid="event-suggestion"]')?.textContent).toContain("Impact Hub");

    press(who, "Escape");
    expect(document.querySelector('[data-testid="event-suggestion"]')).toBeNull();
    expect(document.querySelector('[data-testid="discard-question"]')).toBeNull();
    press(who, "Escape");
    expect(document.querySelector('[data-testid="discard-question"]')?.textContent).toContain("Discard this new event?");
    expect(cancelled()).toBe(0);

    // Another screen opened: the form goes unasked, and comes back with the name.
    if (mounted) unmount(mounted);
    mounted = null;
    document.body.innerHTML = "";
    open();
    expect(field("event-title").value).toBe("Rust Lisbon meetup");
    expect(document.querySelector('[data-testid="event-draft"]')).not.toBeNull();
  });
});
