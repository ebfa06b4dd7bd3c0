// What a screen loads and shows: its value, whether the first load is done, and the error
// of the last load or action. Loading again keeps the value shown until the new one
// arrives, and only the latest load counts.

import { errorMessage } from "./api";
import { latestOnly, STALE } from "./latest";

export interface Resource<T> {
  readonly value: T;
  /** The first load is done (whether it worked or not). */
  readonly loaded: boolean;
  /** What went wrong last, in words; screens put an action's failure here too. */
  error: string | null;
  /** Loads (again); resolves when this load is done or superseded. */
  load(): Promise<void>;
}

export function resource<T>(fetch: () => Promise<T>, initial: T): Resource<T> {
  let value = $state.raw(initial);
  let loaded = $state(false);
  let error = $state<string | null>(null);
  const gate = latestOnly();
  return {
    get value() {
      return value;
    },
    get loaded() {
      return loaded;
    },
    get error() {
      return error;
    },
    set error(message: string | null) {
      error = message;
    },
    async load() {
      try {
        const next = await gate(fetch());
        if (next === STALE) return;
        value = next;
        error = null;
      } catch (e) {
        error = errorMessage(e);
      } finally {
        loaded = true;
      }
    },
  };
}
