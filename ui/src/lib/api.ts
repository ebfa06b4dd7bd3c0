// The one place the UI talks to the Rust backend. Every call is typed with the bindings
// generated from the Rust types (src/lib/bindings, never edited by hand), and every
// failure becomes an `ApiError` with a readable message and, when known, the input field.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { CommandError } from "./bindings/CommandError";
import type { Contact } from "./bindings/Contact";
import type { ContactSummary } from "./bindings/ContactSummary";
import type { Delivery } from "./bindings/Delivery";
import type { ContactInput } from "./bindings/ContactInput";
import type { NudgeOutcome } from "./bindings/NudgeOutcome";

export type { Contact, ContactSummary, Delivery, ContactInput, NudgeOutcome };

export class ApiError extends Error {
  readonly kind: string;
  readonly field: string | null;

  constructor(kind: string, message: string, field: string | null) {
    super(message);
    this.kind = kind;
    this.field = field;
  }
}

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as CommandError).kind === "string" &&
    typeof (value as CommandError).message === "string"
  );
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isCommandError(e)) throw new ApiError(e.kind, e.message, e.field ?? null);
    // Arguments Tauri could not decode, or a denied command: a plain string.
    throw new ApiError("invalid", typeof e === "string" ? e : String(e), null);
  }
}

export const api = {
  listContacts: () => call<ContactSummary[]>("list_contacts"),
  addContact: (contact: ContactInput) => call<Contact>("add_contact", { contact }),
  getContact: (id: number) => call<Contact>("get_contact", { id }),
  sendTestNudge: () => call<Delivery>("send_test_nudge"),
  actOnNudge: (nudgeId: string, action: string) =>
    call<NudgeOutcome>("act_on_nudge", { nudgeId, action }),
  onNudgeOutcome: (handler: (outcome: NudgeOutcome) => void): Promise<UnlistenFn> =>
    listen<NudgeOutcome>("nudge-outcome", (event) => handler(event.payload)),
};
