// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { Closing, escapeForForm, keepDraft, takeDraft } from "./closing.svelte";

afterEach(() => {
  document.body.innerHTML = "";
});

function escapeOn(target: Element): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

describe("escapeForForm", () => {
  it("leaves the Escape that closes a date field's calendar to the calendar", () => {
    const when = document.createElement("input");
    when.type = "date";
    document.body.append(when);
    const seen: boolean[] = [];
    document.body.addEventListener("keydown", (e) => seen.push(escapeForForm(e)));

    // Typed in, no calendar: the Escape is the form's.
    escapeOn(when);
    // A click opens the calendar; its Escape closes it and only it; the next is the form's.
    when.click();
    escapeOn(when);
    escapeOn(when);
    // A date chosen closes the calendar too.
    when.click();
    when.dispatchEvent(new Event("change", { bubbles: true }));
    escapeOn(when);
    expect(seen).toEqual([true, false, true, true]);
  });

  it("leaves an Escape something inside took (a suggestion list) to it", () => {
    const field = document.createElement("input");
    document.body.append(field);
    field.addEventListener("keydown", (e) => e.preventDefault());
    let seen: boolean | null = null;
    document.body.addEventListener("keydown", (e) => (seen = escapeForForm(e)));
    escapeOn(field);
    expect(seen).toBe(false);
  });
});

describe("Closing", () => {
  it("closes at once when nothing was typed, else asks; keep and discard answer the question", () => {
    let typed = "";
    let closed = 0;
    const closing = new Closing(
      () => typed !== "",
      () => void closed++,
    );
    closing.request();
    expect(closed).toBe(1);
    expect(closing.unsettled).toBe(false);

    const again = new Closing(
      () => typed !== "",
      () => void closed++,
    );
    typed = "a note";
    expect(again.unsettled).toBe(true);
    again.request();
    expect(again.asking).toBe(true);
    expect(closed).toBe(1);
    again.keep();
    expect(again.asking).toBe(false);
    again.request();
    again.discard();
    expect(closed).toBe(2);
    // Discarded: nothing to keep as a draft.
    expect(again.unsettled).toBe(false);
  });

  it("hands a kept draft over once", () => {
    keepDraft("log:7", { notes: "half a thought" });
    expect(takeDraft("log:7")).toEqual({ notes: "half a thought" });
    expect(takeDraft("log:7")).toBeUndefined();
  });
});
