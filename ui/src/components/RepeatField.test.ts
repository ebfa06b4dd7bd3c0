// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Repeat } from "../lib/api";
import RepeatField from "./RepeatField.svelte";

// Svelte reads a select's choice as `select.querySelector(":checked")`; browsers match the
// selected option there, happy-dom matches checked inputs only.
const query = HTMLSelectElement.prototype.querySelector;
HTMLSelectElement.prototype.querySelector = function (this: HTMLSelectElement, selector: string) {
  return selector === ":checked" ? (this.options[this.selectedIndex] ?? null) : query.call(this, selector);
} as typeof query;

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  clearMocks();
});

/** Lets the IPC answers arrive and the component update. */
async function settle() {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  flushSync();
}

describe("RepeatField", () => {
  it("offers the backend's words for the date and gives a rhythm only for a whole 'every N'", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "repeat_choices") throw `unexpected ${cmd}`;
      asked.push(args);
      const n = (args as { every: number }).every;
      return [
        { repeat: { kind: "never" }, words: "once" },
        { repeat: { kind: "everyDays", days: n }, words: `every ${n} days` },
        { repeat: { kind: "everyWeeks", weeks: n }, words: `every ${n} weeks on Monday` },
        { repeat: { kind: "monthlyOnWeekday" }, words: "every first Monday" },
        { repeat: { kind: "yearly" }, words: "every year on 2 December" },
      ];
    });
    let repeat: Repeat | null = { kind: "never" };
    mounted = mount(RepeatField, {
      target: document.body,
      props: {
        get repeat() {
          return repeat;
        },
        set repeat(value: Repeat | null) {
          repeat = value;
        },
        date: "2030-12-02",
        id: "r",
      },
    });
    await settle();
    const options = [...document.body.querySelectorAll("option")].map((o) => o.textContent);
    expect(options).toEqual([
      "Once",
      "Every 1 days",
      "Every 1 weeks on Monday",
      "Every first Monday",
      "Every year on 2 December",
    ]);
    expect(asked[0]).toEqual({ startDate: "2030-12-02", every: 1 });

    const select = document.body.querySelector("select") as HTMLSelectElement;
    select.value = "monthlyOnWeekday";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    expect(repeat).toEqual({ kind: "monthlyOnWeekday" });
    expect(document.getElementById("r-every")).toBeNull();

    select.value = "everyWeeks";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    const every = document.getElementById("r-every") as HTMLInputElement;
    every.value = "three";
    every.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(repeat).toBeNull();
    expect(every.getAttribute("aria-invalid")).toBe("true");

    every.value = "6";
    every.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    expect(repeat).toEqual({ kind: "everyWeeks", weeks: 6 });
    expect(asked.at(-1)).toEqual({ startDate: "2030-12-02", every: 6 });
    expect(select.options[select.selectedIndex].textContent).toBe("Every 6 weeks on Monday");
  });
});
