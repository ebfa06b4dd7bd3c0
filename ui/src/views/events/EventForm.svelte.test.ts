// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import EventForm from "./EventForm.svelte";
import { closeForm, openForm, press, settle, typeInto } from "../../lib/test-dom";

afterEach(() => {
  closeForm();
  document.body.innerHTML = "";
  clearMocks();
});

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

function open() {
  mockIPC((cmd) => {
    if (cmd === "repeat_choices") return [{ repeat: { kind: "never" }, words: "once" }];
    if (cmd === "search_contacts") return [{ id: 4, displayName: "Bruno Costa", company: "Impact Hub", role: null }];
    throw `unexpected ${cmd}`;
  });
  return openForm(EventForm, { onsaved: () => {} });
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
    closeForm();
    document.body.innerHTML = "";
    open();
    expect(field("event-title").value).toBe("Rust Lisbon meetup");
    expect(document.querySelector('[data-testid="event-draft"]')).not.toBeNull();
  });
});
