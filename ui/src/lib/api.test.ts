import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { api, ApiError, errorMessage, failure, GONE } from "./api";

afterEach(() => clearMocks());

describe("api", () => {
  it("sends a command its arguments and returns its answer", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { id: 3, displayName: "Priya Raman" };
    });
    const contact = await api.getContact(3);
    expect(contact.displayName).toBe("Priya Raman");
    expect(calls).toEqual([["get_contact", { id: 3 }]]);
  });

  it("turns a command's error into an ApiError with its kind, sentence and field", async () => {
    mockIPC(() => {
      throw { kind: "invalid", message: "Give the contact a name.", field: "displayName" };
    });
    const failed = await api.addContact({ displayName: " " } as never).catch((e) => e);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed.kind).toBe("invalid");
    expect(failed.field).toBe("displayName");
    expect(errorMessage(failed)).toBe("Give the contact a name.");
  });

  it("treats what Tauri itself refuses (a plain string) as invalid input", async () => {
    mockIPC(() => {
      throw "invalid args `id` for command `get_contact`: invalid type: string";
    });
    const failed = await api.getContact("x" as never).catch((e) => e);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed.kind).toBe("invalid");
    expect(failed.field).toBeNull();
    expect(errorMessage(failed)).toContain("invalid args `id`");
  });

  it("shows anything else thrown as its text", () => {
    expect(errorMessage(new Error("boom"))).toBe("Error: boom");
    expect(errorMessage("plain")).toBe("plain");
  });

  it("shows a refused input beside its field, and a refusal naming no field as a sentence", () => {
    expect(failure(new ApiError("invalid", "Give the contact a name.", "displayName"))).toEqual({
      show: "field",
      field: "displayName",
      message: "Give the contact a name.",
    });
    expect(failure(new ApiError("invalid", "invalid args `id`", null))).toEqual({
      show: "general",
      message: "invalid args `id`",
    });
  });

  it("tells a record deleted elsewhere and a conflict apart from other failures", () => {
    expect(failure(new ApiError("notFound", "interaction 4 was not found", null))).toEqual({
      show: "gone",
      message: GONE,
    });
    expect(failure(new ApiError("conflict", "This import was already undone.", null))).toEqual({
      show: "conflict",
      message: "This import was already undone.",
    });
    for (const kind of ["parse", "storage", "io", "network"] as const) {
      expect(failure(new ApiError(kind, "the disk is full", "path")).show).toBe("general");
    }
  });

  it("says a kind it does not know yet, or anything else thrown, as its sentence", async () => {
    mockIPC(() => {
      throw { kind: "corrupt", message: "Contact 3 is damaged: restore a backup.", field: null };
    });
    const failed = await api.getContact(3).catch((e) => e);
    expect(failure(failed)).toEqual({ show: "general", message: "Contact 3 is damaged: restore a backup." });
    expect(failure(new Error("boom"))).toEqual({ show: "general", message: "Error: boom" });
  });
});
