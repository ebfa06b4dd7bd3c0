// @vitest-environment happy-dom
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import ActivityChart from "./ActivityChart.svelte";
import GoalChart from "./GoalChart.svelte";
import type { WeekTouches } from "../lib/bindings/WeekTouches";
import type { PeriodCount } from "../lib/bindings/PeriodCount";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
});

/** The stylesheet as the app loads it, and the charts as written. */
const read = (file: string) => readFileSync(new URL(file, import.meta.url), "utf8");
const css = read("../app.css");

/** The custom properties declared in the rule for `selector` in app.css. */
function properties(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no rule for ${selector} in app.css`);
  const body = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe("the chart palette", () => {
  const light = properties(":root");
  const themes = { light, dark: { ...light, ...properties(':root[data-theme="dark"]') } };
  const series = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-mark"];

  it.each(Object.entries(themes))("is at least 3:1 against the card in the %s theme", (_, vars) => {
    for (const name of series) {
      const ratio = contrast(vars[name], vars["--surface"]);
      expect(ratio, `${name} ${vars[name]} on ${vars["--surface"]}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(3);
    }
  });

  it("is what the charts draw with", () => {
    for (const file of ["./ActivityChart.svelte", "./GoalChart.svelte"]) {
      const text = read(file);
      const colours = [...text.matchAll(/(?:fill|stroke|background):\s*var\((--[\w-]+)\)/g)].map((m) => m[1]);
      expect(colours.length, file).toBeGreaterThan(0);
      for (const c of colours) expect(["--surface", ...series], `${file} draws with ${c}`).toContain(c);
    }
  });
});

function week(start: string, calls: number, other = 0): WeekTouches {
  return { start, calls, messages: 0, inPerson: 0, other };
}

describe("ActivityChart", () => {
  const weeks = [
    week("2026-10-19", 1),
    week("2026-10-26", 0, 2),
    week("2026-11-02", 3),
    week("2026-11-09", 0),
    week("2026-11-16", 0),
    week("2026-11-23", 1),
    week("2026-11-30", 2, 1),
  ];

  it("has every week's numbers in a table, shown on demand, and names months and this week", () => {
    mounted = mount(ActivityChart, { target: document.body, props: { weeks } });
    const table = document.querySelector<HTMLTableElement>("[data-testid=activity-table]");
    if (!table) throw new Error("no table");
    const rows = [...table.querySelectorAll("tbody tr")].map((r) =>
      [...r.children].map((c) => c.textContent?.trim()),
    );
    expect(rows).toHaveLength(7);
    expect(rows[1].slice(1)).toEqual(["0", "0", "0", "2", "2"]);
    expect(rows[6][0]).toMatch(/\(this week\)$/);
    expect(rows[6].slice(1)).toEqual(["2", "0", "0", "1", "3"]);
    expect(table.parentElement?.classList.contains("visually-hidden")).toBe(true);

    const toggle = document.querySelector<HTMLButtonElement>("[data-testid=activity-table-toggle]");
    expect(toggle?.getAttribute("aria-expanded")).toBe("false");
    toggle?.click();
    flushSync();
    expect(table.parentElement?.classList.contains("visually-hidden")).toBe(false);
    expect(toggle?.getAttribute("aria-expanded")).toBe("true");
    expect(toggle?.textContent?.trim()).toBe("Hide table");

    const label = document.querySelector("svg")?.getAttribute("aria-label") ?? "";
    expect(label).toContain("10 in all, 3 this week");
    expect(label).not.toMatch(/\d+, \d+, \d+/);

    // November begins in the week of 26 October, December in this week (ticked, its name
    // left to "this week").
    const months = [...document.querySelectorAll("[data-testid=activity-months] .month")].map((m) => m.textContent);
    expect(months).toEqual([new Date("2026-11-02T12:00:00").toLocaleDateString(undefined, { month: "short" })]);
    expect(document.querySelectorAll("svg line.tick")).toHaveLength(2);
    expect(document.querySelector("[data-testid=activity-this-week]")?.textContent).toBe("this week");
    expect(document.querySelectorAll("svg rect.this-week")).toHaveLength(1);
  });
});

describe("GoalChart", () => {
  const period = (start: string, count: number, met = false): PeriodCount => ({
    start: `${start}T00:00:00Z`,
    end: `${start}T00:00:00Z`,
    count,
    met,
  });

  it("says in words where a goal in its first period stands", () => {
    mounted = mount(GoalChart, {
      target: document.body,
      props: { history: [period("2026-12-01", 0)], target: 4, label: "People reached", period: "month" },
    });
    const first = document.querySelector("[data-testid=goal-chart-first]");
    expect(first?.textContent?.replace(/\s+/g, " ").trim()).toBe("Your first month: 0 so far, of 4");
    expect(document.querySelector("svg")).toBeNull();
  });

  it("draws the periods once there are several, each also in a table", () => {
    mounted = mount(GoalChart, {
      target: document.body,
      props: {
        history: [period("2026-11-23", 3, true), period("2026-11-30", 1)],
        target: 2,
        label: "People reached",
        period: "week",
      },
    });
    expect(document.querySelector("[data-testid=goal-chart-first]")).toBeNull();
    expect(document.querySelectorAll("svg rect")).toHaveLength(2);
    const cells = [...document.querySelectorAll("tbody tr")].map((r) => r.textContent?.replace(/\s+/g, " "));
    expect(cells[0]).toContain("3yes");
    expect(cells[1]).toMatch(/\(this week\)1no/);
  });
});
