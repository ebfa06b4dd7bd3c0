// The contact list's keyboard: one Tab stop, and keys that move the active row or choose
// rows, as a listbox does. Pure, so that every key is tested without a window.

/** Where the active row of `count` rows goes for `key` from row `active` (-1: none yet), a
 * page being `page` rows; `null` when the key does not move it. */
export function moved(key: string, active: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const from = Math.min(active, last);
  switch (key) {
    case "ArrowDown":
      return from < 0 ? 0 : Math.min(from + 1, last);
    case "ArrowUp":
      return from < 0 ? 0 : Math.max(from - 1, 0);
    case "Home":
      return 0;
    case "End":
      return last;
    case "PageDown":
      return Math.min(Math.max(from, 0) + page, last);
    case "PageUp":
      return Math.max(from - page, 0);
    default:
      return null;
  }
}

/** The ids of rows `from` to `to` (either order, both included) of `ids`. */
export function span(ids: readonly number[], from: number, to: number): number[] {
  const [a, b] = from <= to ? [from, to] : [to, from];
  return ids.slice(Math.max(a, 0), b + 1);
}
