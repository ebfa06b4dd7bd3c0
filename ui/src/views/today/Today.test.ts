// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { settle } from "../../lib/test-dom";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { KeepUpChoices, Suggestion } from "../../lib/api";
import Today from "./Today.svelte";

const priya: Suggestion = {
  contactId: 1,
  name: "Priya Raman",
  score: 30,
  action: "wishHappyBirthday",
  logs: "message",
  reasons: [{ signal: "birthday", text: "Birthday today" }],
  points: [],
  followUpId: null,
};
const ana: Suggestion = {
  contactId: 2,
  name: "Ana Lima",
  score: 39,
  action: "doFollowUp",
  logs: "other",
  reasons: [{ signal: "followUp", text: "Follow-up 5 days late: send the deck" }],
  points: [],
  followUpId: 7,
};
const ben: Suggestion = { ...priya, contactId: 3, name: "Ben Okafor", action: "call", logs: "call", reasons: [] };

/** A backend in memory: Today lists whoever is not answered yet; every call is recorded. */
let calls: [string, Record<string, unknown>][];
let listed: Suggestion[];
let mounted: Record<string, unknown> | null = null;
const connection = (id: number, displayName: string, company: string) => ({
  id,
  displayName,
  company,
  role: "Engineer",
  primaryEmail: null,
  primaryPhone: null,
  circle: "network",
  lastTouchAt: null,
  nextDueAt: null,
  due: "upcoming",
});
let choices: KeepUpChoices;

beforeEach(() => {
  calls = [];
  listed = [ana, priya, ben];
  choices = {
    offer: true,
    kept: 0,
    notYet: 800,
    recent: [connection(11, "Ivan Petrov", "Acme"), connection(12, "Jon Smith", "Globex")],
    companies: [{ name: "Acme", count: 40, people: [connection(11, "Ivan Petrov", "Acme"), connection(13, "Mia Wong", "Acme")] }],
    tags: [],
  } as KeepUpChoices;
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push([cmd, a]);
      switch (cmd) {
        case "today":
          return listed;
        case "get_preferences":
          return { dailyBudget: 3 };
        case "network_picture":
          throw { kind: "notFound", message: "not in this test", field: null };
        case "log_interaction": {
          const i = a.interaction as { contactIds: number[] };
          listed = listed.filter((s) => !i.contactIds.includes(s.contactId));
          return { id: 41 };
        }
        case "set_follow_up_done":
          if (a.done) listed = listed.filter((s) => s.followUpId !== a.id);
          else listed = [ana, ...listed];
          return { id: a.id, title: "send the deck", completedAt: a.done ? "2026-12-03T10:00:00Z" : null };
        case "report_back":
          return { id: 42 };
        case "keep_up_choices":
          return choices;
        case "bulk_edit_contacts": {
          const ids = a.ids as number[];
          choices = { ...choices, kept: choices.kept + 1, recent: choices.recent.filter((p) => !ids.includes(p.id)) };
          return { edit: a.edit, at: "2026-12-03T10:00:00Z", chosen: 1, changed: [] };
        }
        case "undo_bulk_edit":
          return { restored: 1, kept: [] };
        case "snooze_suggestion":
        case "dismiss_suggestion":
          listed = listed.filter((s) => s.contactId !== a.id);
          return null;
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
});

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  clearMocks();
  document.body.innerHTML = "";
});

const byTestId = (id: string) => [...document.body.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const texts = (id: string) => byTestId(id).map((e) => e.textContent?.trim());
const cardOf = (name: string) =>
  byTestId("suggestion").find((c) => c.querySelector("[data-testid=suggestion-name]")?.textContent === name);
const button = (card: HTMLElement | undefined, id: string) => {
  const b = card?.querySelector<HTMLButtonElement>(`[data-testid=${id}]`);
  if (!b) throw new Error(`no ${id} button`);
  return b;
};
const count = (cmd: string) => calls.filter(([c]) => c === cmd).length;

async function open() {
  mounted = mount(Today, { target: document.body });
  await settle();
}

describe("Today's cards", () => {
  it("a birthday card logged as done becomes, in its place, what was done: a second click logs nothing", async () => {
    await open();
    expect(texts("suggestion-name")).toEqual(["Ana Lima", "Priya Raman", "Ben Okafor"]);
    const done = button(cardOf("Priya Raman"), "log-done");
    done.click();
    done.click();
    await settle();
    expect(count("log_interaction")).toBe(1);
    const logged = calls.find(([c]) => c === "log_interaction")?.[1].interaction as { kind: string };
    expect(logged.kind).toBe("message");
    // The confirmation is where the card was: second of three, and the card is gone.
    const rows = [...document.body.querySelectorAll("[data-testid=suggestion], [data-testid=acted]")];
    expect(rows.map((r) => r.getAttribute("data-testid"))).toEqual(["suggestion", "acted", "suggestion"]);
    expect(texts("today-note")).toEqual(["Logged: wish a happy birthday with Priya Raman."]);
    expect(texts("suggestion-name")).toEqual(["Ana Lima", "Ben Okafor"]);
    // The second click of a double click lands on Undo: it is the tail of the same click.
    button(byTestId("acted")[0], "undo").dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 2 }));
    await settle();
    expect(count("delete_interaction")).toBe(0);
  });

  it("Done logs the kind of touch the suggestion says, whatever its action", async () => {
    // The backend decides what each action logs; the window only passes it on.
    listed = [{ ...ben, logs: "videoCall" }];
    await open();
    button(cardOf("Ben Okafor"), "log-done").click();
    await settle();
    const logged = calls.find(([c]) => c === "log_interaction")?.[1].interaction as { kind: string };
    expect(logged.kind).toBe("videoCall");
    expect(texts("today-note")).toEqual(["Logged: call with Ben Okafor."]);
  });

  it("Undo takes the touch back and the card returns", async () => {
    await open();
    button(cardOf("Priya Raman"), "log-done").click();
    await settle();
    listed = [ana, priya, ben];
    button(byTestId("acted")[0], "undo").click();
    await settle();
    expect(calls.filter(([c]) => c === "delete_interaction").map(([, a]) => a.id)).toEqual([41]);
    expect(byTestId("acted")).toEqual([]);
    expect(texts("suggestion-name")).toEqual(["Ana Lima", "Priya Raman", "Ben Okafor"]);
  });

  it("Done on a promise ticks the follow-up instead of logging a touch, and offers to let them know", async () => {
    await open();
    const done = button(cardOf("Ana Lima"), "log-done");
    expect(done.textContent?.trim()).toBe("Mark as done");
    done.click();
    await settle();
    expect(calls.filter(([c]) => c === "set_follow_up_done").map(([, a]) => a)).toEqual([{ id: 7, done: true }]);
    expect(count("log_interaction")).toBe(0);
    expect(texts("today-note")).toEqual(["Done: “send the deck”. Let Ana Lima know?"]);
    button(byTestId("acted")[0], "acted-offer").click();
    await settle();
    expect(calls.filter(([c]) => c === "report_back").map(([, a]) => a.id)).toEqual([7]);
    expect(texts("today-note")).toEqual(["Done: “send the deck”, and Ana Lima knows (a message is logged)."]);
    // Undo takes back both steps: the message logged and the tick.
    button(byTestId("acted")[0], "undo").click();
    await settle();
    expect(calls.filter(([c]) => c === "delete_interaction").map(([, a]) => a.id)).toEqual([42]);
    expect(calls.filter(([c]) => c === "set_follow_up_done").map(([, a]) => a.done)).toEqual([true, false]);
    expect(texts("suggestion-name")[0]).toBe("Ana Lima");
  });

  it("Tomorrow, In a week and Not today say so in place, with an Undo that brings the card back", async () => {
    await open();
    button(cardOf("Ben Okafor"), "snooze-day").click();
    await settle();
    expect(texts("today-note")).toEqual(["Ben Okafor is back tomorrow."]);
    button(cardOf("Priya Raman"), "dismiss").click();
    await settle();
    expect(texts("today-note")).toEqual(["Not today for Priya Raman.", "Ben Okafor is back tomorrow."]);
    listed = [ana, priya];
    button(byTestId("acted")[0], "undo").click();
    await settle();
    expect(calls.filter(([c]) => c === "unhide_suggestion").map(([, a]) => a.id)).toEqual([1]);
    expect(texts("suggestion-name")).toEqual(["Ana Lima", "Priya Raman"]);
    expect(texts("today-note")).toEqual(["Ben Okafor is back tomorrow."]);
  });

  it("a step that fails says so on its card, which stays as it was", async () => {
    await open();
    mockIPC(
      (cmd) => {
        if (cmd === "log_interaction") throw { kind: "storage", message: "The disk is full.", field: null };
        return cmd === "today" ? listed : cmd === "get_preferences" ? { dailyBudget: 3 } : null;
      },
      { shouldMockEvents: true },
    );
    button(cardOf("Priya Raman"), "log-done").click();
    await settle();
    expect(texts("card-error")).toEqual(["The disk is full."]);
    expect(cardOf("Priya Raman")?.querySelector("[data-testid=card-error]")).not.toBeNull();
    expect(byTestId("acted")).toEqual([]);
    expect(button(cardOf("Priya Raman"), "log-done").disabled).toBe(false);
  });

  it("when every card is answered the day says so, and the answers stay in view", async () => {
    choices = { ...choices, offer: false, kept: 40, notYet: 0, recent: [], companies: [] };
    await open();
    for (const name of ["Ana Lima", "Priya Raman", "Ben Okafor"]) {
      button(cardOf(name), "snooze-week").click();
      await settle();
    }
    expect(byTestId("acted").length).toBe(3);
    expect(byTestId("today-empty").length).toBe(1);
  });
});

describe("Today after importing only connections", () => {
  it("offers a few to keep up with, each given a rhythm in one click, with Undo in place", async () => {
    listed = [];
    await open();
    expect(byTestId("today-empty")).toEqual([]);
    expect(byTestId("keep-up").length).toBe(1);
    expect(texts("keep-up-group")).toEqual(["Recent connections", "At Acme (40)"]);
    byTestId("keep-up-group")[1].click();
    flushSync();
    const people = () => byTestId("keep-up-person").map((p) => p.querySelector(".name")?.textContent);
    expect(people()).toEqual(["Ivan Petrov", "Mia Wong"]);
    const rhythm = byTestId("keep-up-rhythm")[0] as HTMLSelectElement;
    rhythm.selectedIndex = [...rhythm.options].findIndex((o) => o.textContent === "month");
    rhythm.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    byTestId("keep-up-button")[1].click();
    await settle();
    expect(JSON.parse(JSON.stringify(calls.filter(([c]) => c === "bulk_edit_contacts").map(([, a]) => a)))).toEqual([
      { ids: [13], edit: { field: "cadence", value: 30 } },
    ]);
    // Mia stays where she was, kept, while the list reloads around her.
    expect(people()).toEqual(["Ivan Petrov", "Mia Wong"]);
    expect(texts("keep-up-kept")).toEqual(["✓ Every month"]);
    (byTestId("keep-up-person")[1].querySelector("button:last-child") as HTMLButtonElement).click();
    await settle();
    expect(count("undo_bulk_edit")).toBe(1);
    expect(texts("keep-up-kept")).toEqual([]);
  });

  it("says nothing of connections when Today has work or nobody waits without a rhythm", async () => {
    await open();
    expect(byTestId("keep-up")).toEqual([]);
    expect(count("keep_up_choices")).toBe(0);
    unmount(mounted!);
    listed = [];
    choices = { ...choices, offer: false, notYet: 0, recent: [], companies: [] };
    await open();
    expect(byTestId("keep-up")).toEqual([]);
    expect(byTestId("today-empty").length).toBe(1);
  });
});
