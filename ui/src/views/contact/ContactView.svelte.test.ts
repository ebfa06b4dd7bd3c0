// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { mount, unmount } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Contact, ContactPage, DeletedInteraction, Interaction } from "../../lib/api";
import { byTestid, settle } from "../../lib/test-dom";
import ContactView from "./ContactView.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = "";
  clearMocks();
});

const ana: Contact = {
  id: 3,
  displayName: "Ana Lima",
  givenName: "Ana",
  familyName: "Lima",
  emails: [],
  phones: [],
  links: [],
  company: null,
  role: null,
  location: null,
  timeZone: null,
  howWeMet: null,
  notes: null,
  tags: [],
  circle: "network",
  cadenceDays: null,
  effectiveCadenceDays: null,
  cadenceSource: { from: "circle" },
  preferredChannel: null,
  birthday: null,
  lastTouchAt: "2026-11-20T10:00:00Z",
  nextDueAt: null,
  overdueAt: null,
  createdAt: "2026-01-01T10:00:00Z",
  updatedAt: "2026-01-01T10:00:00Z",
  archivedAt: null,
};

const coffee: Interaction = {
  id: 41,
  contactIds: [3],
  kind: "coffee",
  occurredAt: "2026-11-20T10:00:00Z",
  direction: "outbound",
  notes: "She is moving to Lisbon",
  createdAt: "2026-11-20T10:05:00Z",
  updatedAt: "2026-11-20T10:05:00Z",
};

const followUp = {
  id: 7,
  contactId: 3,
  interactionId: 41 as number | null,
  title: "Send her the flat listings",
  dueOn: null,
  completedAt: null,
  createdAt: "2026-11-20T10:05:00Z",
  updatedAt: "2026-11-20T10:05:00Z",
};

describe("ContactView's history", () => {
  it("undoes a deleted touch by restoring the same touch, not logging a new one", async () => {
    const deleted: DeletedInteraction = { interaction: coffee, eventId: null, followUpIds: [7], importIds: [] };
    let present = true;
    const calls: [string, Record<string, unknown>][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args as Record<string, unknown>]);
      if (cmd === "contact_page") {
        const page: ContactPage = {
          contact: ana,
          due: "noRhythm",
          timeline: present ? [coffee] : [],
          followUps: [{ ...followUp, interactionId: present ? 41 : null }],
          goals: [],
          year: [],
        };
        return page;
      }
      if (cmd === "delete_interaction") {
        present = false;
        return deleted;
      }
      if (cmd === "restore_interaction") {
        present = true;
        return coffee;
      }
      if (cmd === "list_reminders") return [];
      if (cmd === "repeat_choices") return [];
      if (cmd.startsWith("plugin:event|")) return 1;
      throw `unexpected ${cmd}`;
    });
    // As on the contacts screen: a change on the page refreshes it (and the list beside it).
    const props = $state({
      id: 3,
      refreshKey: 0,
      onedit: () => {},
      onarchived: () => {},
      onchanged: () => (props.refreshKey += 1),
    });
    mounted = mount(ContactView, { target: document.body, props });
    await settle();
    const remove = document.querySelector('[aria-label="Delete this coffee from the history"]') as HTMLButtonElement;
    remove.click();
    await settle();
    expect(document.querySelectorAll('[data-testid="timeline-entry"]').length).toBe(0);

    (byTestid("undo-delete") as HTMLButtonElement).click();
    await settle();
    expect(calls.filter(([c]) => c === "restore_interaction").map(([, a]) => a)).toEqual([{ deleted }]);
    expect(calls.some(([c]) => c === "log_interaction")).toBe(false);
    expect(document.querySelectorAll('[data-testid="timeline-entry"]').length).toBe(1);
    expect(byTestid("undo-delete")).toBeNull();
  });

  it("says a contact deleted elsewhere is gone instead of its page", async () => {
    mockIPC((cmd) => {
      if (cmd === "contact_page") throw { kind: "notFound", message: "contact 3 was not found", field: null };
      if (cmd.startsWith("plugin:event|")) return 1;
      throw `unexpected ${cmd}`;
    });
    mounted = mount(ContactView, {
      target: document.body,
      props: { id: 3, refreshKey: 0, onedit: () => {}, onarchived: () => {}, onchanged: () => {} },
    });
    await settle();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain("no longer in Kith");
  });
});
