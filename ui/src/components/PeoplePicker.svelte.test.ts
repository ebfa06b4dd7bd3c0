// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import PeoplePicker from "./PeoplePicker.svelte";
import { press, settle, typeInto } from "../lib/test-dom";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  clearMocks();
});

const summary = (id: number, displayName: string, role: string | null, company: string | null) => ({
  id,
  displayName,
  company,
  role,
  primaryEmail: null,
  primaryPhone: null,
  circle: "network",
  lastTouchAt: null,
  nextDueAt: null,
  due: "upcoming",
});

const suggestions = () =>
  [...document.querySelectorAll('[data-testid="log-suggestion"]')].map((b) => b.textContent?.replace(/\s+/g, " ").trim());

describe("PeoplePicker", () => {
  it("tells two people of one name apart by their role and company", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "search_contacts") throw `unexpected ${cmd}`;
      asked.push(args);
      return [summary(1, "Ana Lima", "Designer", "Acme"), summary(2, "Ana Lima", null, "Globex"), summary(3, "Ana Souza", null, null)];
    });
    const people = $state<{ id: number; name: string }[]>([]);
    mounted = mount(PeoplePicker, { target: document.body, props: { people, id: "who", testid: "log" } });
    typeInto(document.getElementById("who") as HTMLInputElement, "ana");
    await settle();

    expect(suggestions()).toEqual(["Ana Lima Designer · Acme", "Ana Lima Globex", "Ana Souza"]);
    const details = [...document.querySelectorAll('[data-testid="log-suggestion-detail"]')].map((d) => d.textContent);
    expect(details).toEqual(["Designer · Acme", "Globex"]);
    // More than the six it used to ask for.
    expect((asked[0] as { query: { limit: number } }).query.limit).toBeGreaterThanOrEqual(8);
  });

  it("closes its list on Escape and tells the form around that the Escape was taken", async () => {
    mockIPC(() => [summary(1, "Priya Raman", "Engineer", null)]);
    let formSaw: boolean | null = null;
    // The form around, as a listener outside the picker.
    const form = document.createElement("div");
    document.body.append(form);
    document.body.addEventListener("keydown", (e) => (formSaw = e.defaultPrevented));
    const people = $state<{ id: number; name: string }[]>([]);
    mounted = mount(PeoplePicker, { target: form, props: { people, id: "who", testid: "log" } });
    const input = document.getElementById("who") as HTMLInputElement;
    typeInto(input, "pri");
    await settle();
    expect(suggestions()).toEqual(["Priya Raman Engineer"]);

    press(input, "Escape");
    expect(suggestions()).toEqual([]);
    expect(formSaw).toBe(true);
    expect(input.value).toBe("pri");

    // The list closed, the next Escape is the form's.
    press(input, "Escape");
    expect(formSaw).toBe(false);

    // Enter does not send a half-typed name with the form: it shows the list again.
    const enter = press(input, "Enter");
    expect(enter.defaultPrevented).toBe(true);
    expect(suggestions()).toEqual(["Priya Raman Engineer"]);
    press(input, "Enter");
    expect(people).toEqual([{ id: 1, name: "Priya Raman" }]);
    expect(input.value).toBe("");
  });

  it("closes its list on Escape from a suggestion and gives the typing the focus back", async () => {
    mockIPC(() => [summary(1, "Priya Raman", null, null)]);
    const people = $state<{ id: number; name: string }[]>([]);
    mounted = mount(PeoplePicker, { target: document.body, props: { people, id: "who", testid: "log" } });
    const input = document.getElementById("who") as HTMLInputElement;
    typeInto(input, "pri");
    await settle();
    const suggestion = document.querySelector('[data-testid="log-suggestion"]') as HTMLButtonElement;
    suggestion.focus();
    const event = press(suggestion, "Escape");
    expect(event.defaultPrevented).toBe(true);
    expect(suggestions()).toEqual([]);
    expect(document.activeElement).toBe(input);
  });
});

describe("PeoplePicker from the keyboard", () => {
  it("moves from the typing into the suggestions with ↓ and back with ↑", async () => {
    mockIPC(() => [summary(1, "Ivan Petrov", "CTO", "Globex"), summary(2, "Ivana Horvat", null, null)]);
    const people = $state<{ id: number; name: string }[]>([]);
    mounted = mount(PeoplePicker, { target: document.body, props: { people, id: "who", testid: "log" } });
    const input = document.getElementById("who") as HTMLInputElement;
    input.focus();
    typeInto(input, "ivan");
    await settle();
    const buttons = [...document.querySelectorAll('[data-testid="log-suggestion"]')] as HTMLButtonElement[];

    press(input, "ArrowDown");
    expect(document.activeElement).toBe(buttons[0]);
    press(buttons[0], "ArrowDown");
    expect(document.activeElement).toBe(buttons[1]);
    press(buttons[1], "ArrowUp");
    press(buttons[0], "ArrowUp");
    expect(document.activeElement).toBe(input);
  });
});
