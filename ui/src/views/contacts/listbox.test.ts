import { describe, expect, it } from "vitest";
import { moved, span } from "./listbox";

describe("moved", () => {
  it("steps one row with the arrows and stops at either end", () => {
    expect(moved("ArrowDown", 0, 5, 3)).toBe(1);
    expect(moved("ArrowDown", 4, 5, 3)).toBe(4);
    expect(moved("ArrowUp", 2, 5, 3)).toBe(1);
    expect(moved("ArrowUp", 0, 5, 3)).toBe(0);
  });

  it("starts on the first row when none is active yet", () => {
    expect(moved("ArrowDown", -1, 5, 3)).toBe(0);
    expect(moved("ArrowUp", -1, 5, 3)).toBe(0);
    expect(moved("PageDown", -1, 5, 3)).toBe(3);
  });

  it("jumps a page, or to the first and last row", () => {
    expect(moved("PageDown", 1, 840, 10)).toBe(11);
    expect(moved("PageDown", 835, 840, 10)).toBe(839);
    expect(moved("PageUp", 11, 840, 10)).toBe(1);
    expect(moved("PageUp", 4, 840, 10)).toBe(0);
    expect(moved("Home", 500, 840, 10)).toBe(0);
    expect(moved("End", 3, 840, 10)).toBe(839);
  });

  it("comes back inside a list that shrank under it", () => {
    expect(moved("ArrowUp", 9, 3, 10)).toBe(1);
    expect(moved("ArrowDown", 9, 3, 10)).toBe(2);
  });

  it("leaves other keys and an empty list alone", () => {
    expect(moved("a", 1, 5, 3)).toBeNull();
    expect(moved("Enter", 1, 5, 3)).toBeNull();
    expect(moved("ArrowDown", -1, 0, 3)).toBeNull();
  });
});

describe("span", () => {
  it("takes the rows between two, in either order, both included", () => {
    const ids = [10, 11, 12, 13, 14];
    expect(span(ids, 1, 3)).toEqual([11, 12, 13]);
    expect(span(ids, 3, 1)).toEqual([11, 12, 13]);
    expect(span(ids, 2, 2)).toEqual([12]);
  });
});
