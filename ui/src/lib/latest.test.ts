import { describe, expect, it } from "vitest";
import { latestOnly, STALE } from "./latest";

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("latestOnly", () => {
  it("gives a call's answer when no other call came after it", async () => {
    const gate = latestOnly();
    await expect(gate(Promise.resolve(7))).resolves.toBe(7);
  });

  it("makes an older answer arriving late stale", async () => {
    const gate = latestOnly();
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = gate(older.promise);
    const second = gate(newer.promise);
    newer.resolve("jo");
    older.resolve("j");
    await expect(second).resolves.toBe("jo");
    await expect(first).resolves.toBe(STALE);
  });

  it("throws the latest call's error and swallows a superseded one's", async () => {
    const gate = latestOnly();
    const older = deferred<number>();
    const first = gate(older.promise);
    const second = gate(Promise.reject(new Error("the latest failed")));
    older.reject(new Error("an old failure"));
    await expect(first).resolves.toBe(STALE);
    await expect(second).rejects.toThrow("the latest failed");
  });
});
