import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { resource } from "./resource.svelte";

describe("resource", () => {
  it("starts with its initial value, then shows what the load brought", async () => {
    let calls = 0;
    const r = resource(async () => ++calls, 0);
    expect([r.value, r.loaded, r.error]).toEqual([0, false, null]);
    await r.load();
    expect([r.value, r.loaded, r.error]).toEqual([1, true, null]);
  });

  it("keeps the value it has when a load fails, and says why", async () => {
    let fail = false;
    const r = resource(async () => {
      if (fail) throw new ApiError("storage", "database error: disk I/O error", null);
      return ["Priya"];
    }, [] as string[]);
    await r.load();
    fail = true;
    await r.load();
    expect(r.value).toEqual(["Priya"]);
    expect(r.error).toBe("database error: disk I/O error");
    fail = false;
    await r.load();
    expect(r.error).toBeNull();
  });

  it("lets only the latest load show when answers arrive out of order", async () => {
    const answers: ((v: string) => void)[] = [];
    const r = resource(() => new Promise<string>((resolve) => answers.push(resolve)), "");
    const first = r.load();
    const second = r.load();
    answers[1]("new");
    answers[0]("old");
    await Promise.all([first, second]);
    expect(r.value).toBe("new");
  });
});
