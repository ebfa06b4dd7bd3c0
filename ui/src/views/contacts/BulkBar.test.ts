// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import BulkBar from "./BulkBar.svelte";
import type { BulkEdit } from "../../lib/api";

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
});

function set(id: string, value: string) {
  const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement;
  el.value = value;
  el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
  flushSync();
}

function apply() {
  document.querySelector<HTMLButtonElement>("[data-testid=bulk-apply]")?.click();
  flushSync();
}

describe("BulkBar", () => {
  it("sends a circle, a rhythm (empty: the circle's), a tag added or taken away", () => {
    const sent: BulkEdit[] = [];
    mounted = mount(BulkBar, {
      target: document.body,
      props: { count: 12, shown: 840, tags: ["Rust"], onapply: (e: BulkEdit) => void sent.push(e), onchooseall: () => {}, onclear: () => {} },
    });
    flushSync();
    expect(document.querySelector("[data-testid=chosen-count]")?.textContent).toBe("12 people");
    set("bulk-circle", "inner");
    apply();
    set("bulk-field", "cadence");
    set("bulk-days", "45");
    apply();
    set("bulk-days", "");
    apply();
    set("bulk-field", "tag");
    set("bulk-tag", "Kept up with");
    apply();
    set("bulk-field", "untag");
    apply();
    expect(sent).toEqual([
      { field: "circle", value: "inner" },
      { field: "cadence", value: 45 },
      { field: "cadence", value: null },
      { field: "tag", value: "Kept up with" },
      { field: "untag", value: "Kept up with" },
    ]);
    expect([...document.querySelectorAll("#bulk-tags option")].map((o) => (o as HTMLOptionElement).value)).toEqual(["Rust"]);
  });
});
