import { describe, expect, it } from "vitest";
import { bulkDone, undoneSaid } from "./bulk";

describe("bulk edit words", () => {
  it("say what was set for how many", () => {
    const changed = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: i,
        displayName: `P${i}`,
        before: { field: "circle" as const, value: "network" as const },
      }));
    expect(bulkDone({ edit: { field: "circle", value: "close" }, at: "", chosen: 12, changed: changed(12) })).toBe(
      "Set circle Close for 12 people.",
    );
    expect(bulkDone({ edit: { field: "tag", value: "Kept up with" }, at: "", chosen: 3, changed: changed(2) })).toBe(
      "Tagged 3 people “Kept up with” (1 person had it already).",
    );
    expect(bulkDone({ edit: { field: "cadence", value: 30 }, at: "", chosen: 1, changed: changed(1) })).toBe(
      "Set a rhythm of every 30 days for 1 person.",
    );
  });

  it("name who was changed since and left as is", () => {
    expect(undoneSaid({ restored: 12, kept: [] })).toBe("Put back for 12 people.");
    expect(undoneSaid({ restored: 11, kept: ["Ben Okafor"] })).toBe(
      "Put back for 11 people; Ben Okafor was changed since and left as they are.",
    );
  });
});
