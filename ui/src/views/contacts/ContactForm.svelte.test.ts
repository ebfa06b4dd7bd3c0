// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ContactForm from "./ContactForm.svelte";
import { closeForm, openForm, press, typeInto } from "../../lib/test-dom";

afterEach(() => {
  closeForm();
  document.body.innerHTML = "";
  clearMocks();
});

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

/** The new-contact form, closed by unmounting it as the contact list does. */
function open() {
  mockIPC((cmd) => {
    if (cmd === "get_circle_cadences") return { inner: 14, close: 30, network: 90, acquaintance: 180 };
    throw `unexpected ${cmd}`;
  });
  return openForm(ContactForm, { onsaved: () => {} });
}

describe("ContactForm", () => {
  it("closes the time zone's list on Escape, then asks before a half-filled contact goes", () => {
    const { cancelled } = open();
    typeInto(field("cf-name"), "Priya Raman");
    const zone = field("cf-tz");
    zone.focus();
    typeInto(zone, "lisb");
    expect(document.querySelectorAll('[data-testid="cf-tz-option"]')).toHaveLength(1);

    press(zone, "Escape");
    expect(document.querySelectorAll('[data-testid="cf-tz-option"]')).toHaveLength(0);
    expect(document.querySelector('[data-testid="discard-question"]')).toBeNull();
    press(zone, "Escape");
    expect(cancelled()).toBe(0);
    expect(document.querySelector('[data-testid="discard-question"]')?.textContent).toContain("Discard this new contact?");
    (document.querySelector('[data-testid="discard-question-discard"]') as HTMLButtonElement).click();
    flushSync();
    expect(cancelled()).toBe(1);
  });

  it("keeps a half-filled contact as a draft when the form goes away unasked", () => {
    open();
    typeInto(field("cf-name"), "Ana Lima");
    typeInto(field("cf-company"), "Globex");
    closeForm();
    document.body.innerHTML = "";

    open();
    expect(field("cf-name").value).toBe("Ana Lima");
    expect(field("cf-company").value).toBe("Globex");
    expect(document.querySelector('[data-testid="contact-draft"]')).not.toBeNull();
    // What came back counts as typed: Escape asks.
    press(field("cf-name"), "Escape");
    expect(document.querySelector('[data-testid="discard-question"]')).not.toBeNull();
  });

  it("shows the rhythm field's unit after it and the circle's days while it is empty", async () => {
    open();
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
    expect(document.querySelector('label[for="cf-cadence"]')?.textContent).toBe("Keep in touch every");
    expect(field("cf-cadence").placeholder).toBe("90");
    expect(document.getElementById("cf-cadence-unit")?.textContent).toBe("days");
  });
});
