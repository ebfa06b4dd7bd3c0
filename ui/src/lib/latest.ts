// Calls where only the latest answer counts: typing fast, or changing a column while a
// preview is on its way, sends several; an older answer arriving late must not overwrite
// a newer one.

/** What a superseded call resolves to. */
export const STALE: unique symbol = Symbol("stale");

/**
 * A gate for one stream of calls: `gate(promise)` resolves to the promise's value, or to
 * `STALE` when another call went through the gate since; a superseded call's error is
 * swallowed, the latest one's is thrown.
 */
export function latestOnly(): <T>(call: Promise<T>) => Promise<T | typeof STALE> {
  let seq = 0;
  return <T>(call: Promise<T>) => {
    const mine = ++seq;
    return call.then(
      (value) => (mine === seq ? value : STALE),
      (error: unknown) => {
        if (mine === seq) throw error;
        return STALE;
      },
    );
  };
}
