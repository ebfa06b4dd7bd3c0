// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Goal } from "../../lib/api";
import GoalForm from "./GoalForm.svelte";
import { closeForm, openForm, press, settle, typeInto } from "../../lib/test-dom";

afterEach(() => {
  closeForm();
  document.body.innerHTML = "";
  clearMocks();
});

const goal: Goal = {
  id: 3,
  createdAt: "2026-11-01T09:00:00Z",
  updatedAt: "2026-11-01T09:00:00Z",
  kind: "reconnectColleagues",
  title: "Reconnect with former colleagues",
  why: "",
  metric: "distinctContactsReached",
  target: 5,
  period: "monthly",
  deadline: null,
  audience: { circles: [], tags: ["former colleague"], companies: [], contactIds: [] },
  startDate: "2026-11-01",
  status: "active",
};

const question = () => document.querySelector('[data-testid="discard-question"]');
const title = () => document.getElementById("goal-title") as HTMLInputElement | null;

function open() {
  mockIPC((cmd) => {
    if (cmd === "goal_audience") return { people: 4, tagsWithNobody: [], tags: [] };
    throw `unexpected ${cmd}`;
  });
  return openForm(GoalForm, { goal, onsaved: () => {} });
}

describe("GoalForm", () => {
  it("asks before changes go, on Escape or Cancel, and keeps them as a draft if taken away", async () => {
    const { cancelled } = open();
    await settle();
    const field = title();
    if (!field) throw new Error("no title field");
    // Nothing changed: Escape closes at once.
    press(field, "Escape");
    expect(cancelled()).toBe(1);

    const changed = open();
    await settle();
    typeInto(title()!, "Reconnect with the Lisbon team");
    press(title()!, "Escape");
    expect(question()?.textContent).toContain("Discard your changes to this goal?");
    expect(changed.cancelled()).toBe(0);
    (document.querySelector('[data-testid="discard-question-keep"]') as HTMLButtonElement).click();
    flushSync();
    expect(question()).toBeNull();
    expect(title()?.value).toBe("Reconnect with the Lisbon team");

    // Another screen: the form goes unasked and comes back with what was typed.
    closeForm();
    document.body.innerHTML = "";
    const again = open();
    await settle();
    expect(title()?.value).toBe("Reconnect with the Lisbon team");
    expect(document.querySelector('[data-testid="goal-draft"]')).not.toBeNull();
    [...document.querySelectorAll<HTMLButtonElement>("button")].find((b) => b.textContent === "Cancel")?.click();
    flushSync();
    (document.querySelector('[data-testid="discard-question-discard"]') as HTMLButtonElement).click();
    expect(again.cancelled()).toBe(1);
  });
});
