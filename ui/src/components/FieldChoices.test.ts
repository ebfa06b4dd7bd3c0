// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import FieldChoices from "./FieldChoices.svelte";
import type { ContactField } from "../lib/bindings/ContactField";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
});

describe("FieldChoices", () => {
  it("says what is added and hands back the fields ticked to take the other's value", () => {
    let take: ContactField[] = [];
    mounted = mount(FieldChoices, {
      target: document.body,
      props: {
        adds: ["email “p@home.example”", "tag “Mentors”"],
        conflicts: [
          { field: "displayName", current: "Priya Raman", incoming: "Priya R." },
          { field: "company", current: "Acme", incoming: "Globex" },
        ],
        get take() {
          return take;
        },
        set take(next: ContactField[]) {
          take = next;
        },
        testid: "merge-take",
        gains: "Priya Raman gains",
      },
    });
    const text = document.body.textContent ?? "";
    expect(text).toContain("Priya Raman gains email “p@home.example”, tag “Mentors”");
    expect(text).toContain("Company: use “Globex”");
    const company = document.body.querySelector<HTMLInputElement>("[data-testid=merge-take-company]");
    if (!company) throw new Error("no company choice");
    expect(company.checked).toBe(false);
    company.click();
    flushSync();
    expect(take).toEqual(["company"]);
    company.click();
    flushSync();
    expect(take).toEqual([]);
  });
});
