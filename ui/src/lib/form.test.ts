import { describe, expect, it } from "vitest";
import { ApiError, GONE } from "./api";
import { FORM, FormErrors } from "./form.svelte";

describe("FormErrors", () => {
  it("puts a refusal beside the field the backend names", () => {
    const errors = new FormErrors("contact");
    errors.fail(new ApiError("invalid", "Give the contact a name.", "displayName"));
    expect(errors.of("displayName")).toBe("Give the contact a name.");
    expect(errors.of(FORM)).toBeUndefined();
    expect(errors.any).toBe(true);
  });

  it("puts an error that names no field on the form, and clears", () => {
    const errors = new FormErrors("contact");
    errors.fail(new ApiError("storage", "database error: disk I/O error", null));
    expect(errors.of(FORM)).toBe("database error: disk I/O error");
    errors.fail(new Error("boom"));
    expect(errors.of(FORM)).toBe("Error: boom");
    errors.set("target", "Use a whole number.");
    expect([errors.of("target"), errors.of(FORM)]).toEqual(["Use a whole number.", undefined]);
    errors.clear();
    expect(errors.any).toBe(false);
  });

  it("says a record deleted elsewhere on the form, even when the backend names a field", () => {
    const errors = new FormErrors("goal");
    errors.fail(new ApiError("notFound", "goal 4 was not found", "id"));
    expect([errors.of("id"), errors.of(FORM)]).toEqual([undefined, GONE]);
  });

  it("names each error's test id after its form and field", () => {
    expect(new FormErrors("event").testid("startTime")).toBe("event-error-startTime");
  });
});
