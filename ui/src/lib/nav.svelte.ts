// App-wide navigation state: which screen is showing, which contact is open, and requests
// from keyboard shortcuts (focus the search, open the log form).

export type View = "today" | "contacts" | "goals" | "events" | "settings";

export const nav = $state({
  /** Kith opens on Today: who to reach out to, and how. */
  view: "today" as View,
  /** The contact open on the Contacts screen. */
  contactId: null as number | null,
  /** Bumped to ask the Contacts screen to focus its search field. */
  focusSearch: 0,
  /** Bumped to ask the open contact page to show its log-an-interaction form. */
  openLog: 0,
  /** Asks Today to offer "Choose a few people to keep up with" (after an import). */
  keepUp: false,
  /** List filters set from elsewhere (a tag or company clicked on a contact page). */
  tag: null as string | null,
  company: null as string | null,
});

/** Shows the contacts with this tag or at this company. */
export function filterBy(filter: { tag?: string; company?: string }) {
  nav.view = "contacts";
  nav.tag = filter.tag ?? null;
  nav.company = filter.company ?? null;
}

/** Shows Today with a few connections to give a rhythm to: the first step after an import. */
export function chooseWhomToKeepUpWith() {
  nav.keepUp = true;
  nav.view = "today";
}

export function openContact(id: number, log = false) {
  nav.view = "contacts";
  nav.contactId = id;
  if (log) nav.openLog += 1;
}
