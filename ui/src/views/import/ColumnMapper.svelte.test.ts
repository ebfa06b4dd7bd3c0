// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { mount, unmount } from "svelte";
import ColumnMapper from "./ColumnMapper.svelte";
import type { Field } from "../../lib/bindings/Field";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
});

describe("ColumnMapper", () => {
  it("offers every kind of column in the backend's words, a contact's field as the contact page says it", () => {
    const set: [number, Field][] = [];
    const mapping = { columns: ["name", "howWeMet"] as Field[] };
    mounted = mount(ColumnMapper, {
      target: document.body,
      props: {
        columns: { headers: ["Full name", "Met at"], mapping, sample: [["Priya Raman", "RustConf"]], usable: true },
        mapping,
        onset: (i: number, f: Field) => set.push([i, f]),
      },
    });
    const selects = [...document.body.querySelectorAll<HTMLSelectElement>("[data-testid=import-column]")];
    expect(selects).toHaveLength(2);
    const options = [...selects[1].options].map((o) => [o.value, o.textContent]);
    expect(options).toHaveLength(16);
    expect(options[0]).toEqual(["ignore", "— leave out —"]);
    expect(options).toContainEqual(["howWeMet", "How you met"]);
    expect(options).toContainEqual(["timeZone", "Time zone"]);
    expect(options).toContainEqual(["connectedOn", "Connected on"]);
    selects[0].value = "company";
    selects[0].dispatchEvent(new Event("change", { bubbles: true }));
    expect(set).toEqual([[0, "company"]]);
  });
});
