// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import TimeZoneField from "./TimeZoneField.svelte";
import { press } from "../lib/test-dom";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
});

const options = () => [...document.querySelectorAll('[data-testid="tz-option"]')].map((o) => o.textContent?.trim());

describe("TimeZoneField", () => {
  it("offers the matching zones, takes one with ↓ and Enter, and closes its list alone on Escape", () => {
    const form = document.createElement("div");
    document.body.append(form);
    let formSaw: boolean | null = null;
    document.body.addEventListener("keydown", (e) => (formSaw = e.defaultPrevented));
    const props = $state({ value: "", id: "tz", zones: ["America/New_York", "Europe/Lisbon", "Europe/London", "Asia/Tokyo"] });
    mounted = mount(TimeZoneField, { target: form, props });
    const input = document.getElementById("tz") as HTMLInputElement;
    input.value = "new york";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(options()).toEqual(["America/New York"]);
    expect(input.getAttribute("aria-expanded")).toBe("true");

    press(input, "Escape");
    expect(formSaw).toBe(true);
    expect(options()).toEqual([]);
    expect(input.value).toBe("new york");
    // The list closed: this Escape is the form's.
    press(input, "Escape");
    expect(formSaw).toBe(false);

    input.value = "euro";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(options()).toEqual(["Europe/Lisbon", "Europe/London"]);
    press(input, "ArrowDown");
    press(input, "Enter");
    expect(props.value).toBe("Europe/London");
    expect(options()).toEqual([]);
  });
});
