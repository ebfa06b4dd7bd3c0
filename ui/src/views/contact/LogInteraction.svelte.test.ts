// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Contact } from "../../lib/api";
import LogInteraction from "./LogInteraction.svelte";
import { closeForm, openForm, press, settle, typeInto } from "../../lib/test-dom";

afterEach(() => {
  closeForm();
  document.body.innerHTML = "";
  clearMocks();
});

const marta = { id: 1, displayName: "Marta Silva", preferredChannel: null } as unknown as Contact;

/** The log form, opened by a focused button, closed by unmounting it as the contact page does. */
function open() {
  const opener = document.createElement("button");
  opener.dataset.testid = "log-interaction";
  document.body.append(opener);
  opener.focus();
  return { opener, ...openForm(LogInteraction, { contact: marta, onlogged: () => {} }) };
}

describe("LogInteraction", () => {
  it("keeps a typed note through an Escape in the people picker and asks before discarding it", async () => {
    mockIPC((cmd) => {
      if (cmd !== "search_contacts") throw `unexpected ${cmd}`;
      return [{ id: 2, displayName: "Priya Raman", company: "Acme", role: null }];
    });
    const { opener, cancelled } = open();
    const notes = document.getElementById("log-notes") as HTMLTextAreaElement;
    typeInto(notes, "Talked about her move.\nPromised the slides.");
    const who = document.getElementById("log-who") as HTMLInputElement;
    who.focus();
    typeInto(who, "pri");
    await settle();
    expect(document.querySelectorAll('[data-testid="log-suggestion"]')).toHaveLength(1);

    // The first Escape closes the suggestions, and only them.
    press(who, "Escape");
    expect(document.querySelectorAll('[data-testid="log-suggestion"]')).toHaveLength(0);
    expect(cancelled()).toBe(0);
    expect((document.getElementById("log-notes") as HTMLTextAreaElement).value).toBe(
      "Talked about her move.\nPromised the slides.",
    );

    // The next asks, and Escape keeps editing.
    press(who, "Escape");
    expect(cancelled()).toBe(0);
    expect(document.querySelector('[data-testid="discard-question"]')?.textContent).toContain("Discard your note?");
    press(document.activeElement as Element, "Escape");
    expect(document.querySelector('[data-testid="discard-question"]')).toBeNull();
    expect(document.activeElement).toBe(who);

    // Cancel asks too; Discard closes, and the focus is back on the button that opened it.
    (document.querySelector(".buttons .button:not(.primary)") as HTMLButtonElement).click();
    flushSync();
    expect(cancelled()).toBe(0);
    (document.querySelector('[data-testid="discard-question-discard"]') as HTMLButtonElement).click();
    flushSync();
    expect(cancelled()).toBe(1);
    await settle();
    expect(document.activeElement).toBe(opener);
  });

  it("closes at once on Escape when nothing was typed", () => {
    const { cancelled } = open();
    press(document.getElementById("log-kind") as Element, "Escape");
    expect(cancelled()).toBe(1);
  });
});

describe("LogInteraction's draft", () => {
  it("keeps a note when the form goes away unasked, and gives it back the next time", () => {
    open();
    const notes = document.getElementById("log-notes") as HTMLTextAreaElement;
    typeInto(notes, "Half a thought about the offsite");
    // Another contact opened: the page takes the form away without Cancel or Escape.
    closeForm();
    document.body.innerHTML = "";

    open();
    expect((document.getElementById("log-notes") as HTMLTextAreaElement).value).toBe("Half a thought about the offsite");
    expect(document.querySelector('[data-testid="log-draft"]')?.textContent?.trim()).toBe("Your unsaved note is back.");

    // Discarded, it is gone for good.
    press(document.getElementById("log-kind") as Element, "Escape");
    (document.querySelector('[data-testid="discard-question-discard"]') as HTMLButtonElement).click();
    flushSync();
    open();
    expect((document.getElementById("log-notes") as HTMLTextAreaElement).value).toBe("");
    expect(document.querySelector('[data-testid="log-draft"]')).toBeNull();
  });
});
