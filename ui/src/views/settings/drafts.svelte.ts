// What was typed in Settings and not saved yet, kept while the user visits other screens
// (leaving Settings never drops an edit silently): each card takes its draft back when it
// is shown again, and says so.

import type { Preferences } from "../../lib/api";

export const drafts = $state({
  /** "Your day" as edited, while it differs from what is stored. */
  preferences: null as Preferences | null,
  /** Days between touches per circle, as typed. */
  cadences: null as Record<string, string> | null,
  /** The tag rules, as typed. */
  tagRules: null as { tag: string; days: string }[] | null,
});

/** Whether two plain values (a form's draft and what is stored) say the same. */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
