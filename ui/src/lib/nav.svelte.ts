// App-wide navigation state: which screen is showing, which contact is open, and requests
// from keyboard shortcuts (focus the search, open the log form).

export type View = "contacts" | "settings";

export const nav = $state({
  view: "contacts" as View,
  /** The contact open on the Contacts screen. */
  contactId: null as number | null,
  /** Bumped to ask the Contacts screen to focus its search field. */
  focusSearch: 0,
  /** Bumped to ask the open contact page to show its log-an-interaction form. */
  openLog: 0,
});

export function openContact(id: number, log = false) {
  nav.view = "contacts";
  nav.contactId = id;
  if (log) nav.openLog += 1;
}
