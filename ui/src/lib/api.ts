// The one place the UI talks to the Rust backend. Every call is typed with the bindings
// generated from the Rust types (src/lib/bindings, never edited by hand), and every
// failure becomes an `ApiError` with a readable message and, when known, the input field.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { setUserZone } from "./format";
import type { AppEvent } from "./bindings/AppEvent";
import type { CommandError } from "./bindings/CommandError";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { NudgeAnswer } from "./bindings/NudgeAnswer";
import type { Contact } from "./bindings/Contact";
import type { ContactSummary } from "./bindings/ContactSummary";
import type { Delivery } from "./bindings/Delivery";
import type { ContactInput } from "./bindings/ContactInput";
import type { ContactPage } from "./bindings/ContactPage";
import type { ContactQuery } from "./bindings/ContactQuery";
import type { ContactSort } from "./bindings/ContactSort";
import type { TagCount } from "./bindings/TagCount";
import type { CircleCadences } from "./bindings/CircleCadences";
import type { CadenceRule } from "./bindings/CadenceRule";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { FollowUp } from "./bindings/FollowUp";
import type { FollowUpInput } from "./bindings/FollowUpInput";
import type { Interaction } from "./bindings/Interaction";
import type { DeletedInteraction } from "./bindings/DeletedInteraction";
import type { KeepUpChoices } from "./bindings/KeepUpChoices";
import type { InteractionInput } from "./bindings/InteractionInput";
import type { NudgeOutcome } from "./bindings/NudgeOutcome";
import type { Goal } from "./bindings/Goal";
import type { GoalInput } from "./bindings/GoalInput";
import type { GoalKind } from "./bindings/GoalKind";
import type { GoalView } from "./bindings/GoalView";
import type { Audience } from "./bindings/Audience";
import type { AudienceCheck } from "./bindings/AudienceCheck";
import type { Period } from "./bindings/Period";
import type { Preferences } from "./bindings/Preferences";
import type { Suggestion } from "./bindings/Suggestion";
import type { Event } from "./bindings/Event";
import type { EventInput } from "./bindings/EventInput";
import type { EventView } from "./bindings/EventView";
import type { Repeat } from "./bindings/Repeat";
import type { RepeatChoice } from "./bindings/RepeatChoice";
import type { Collection } from "./bindings/Collection";
import type { ServerCollections } from "./bindings/ServerCollections";
import type { FirstSync } from "./bindings/FirstSync";
import type { Area } from "./bindings/Area";
import type { LinkKind } from "./bindings/LinkKind";
import type { NetworkPicture } from "./bindings/NetworkPicture";
import type { TaskReport } from "./bindings/TaskReport";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { RoundReport } from "./bindings/RoundReport";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { KeptConflict } from "./bindings/KeptConflict";
import type { WeekStart } from "./bindings/WeekStart";
import type { Day } from "./bindings/Day";
import type { Occurrence } from "./bindings/Occurrence";
import type { Reminder } from "./bindings/Reminder";
import type { ReminderInput } from "./bindings/ReminderInput";
import type { Choice } from "./bindings/Choice";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportReport } from "./bindings/ImportReport";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { Mapping } from "./bindings/Mapping";
import type { ContactField } from "./bindings/ContactField";
import type { Duplicates } from "./bindings/Duplicates";
import type { MergePreview } from "./bindings/MergePreview";
import type { MergeReport } from "./bindings/MergeReport";
import type { MergeSummary } from "./bindings/MergeSummary";
import type { BulkEdit } from "./bindings/BulkEdit";
import type { BulkReport } from "./bindings/BulkReport";
import type { BulkUndoReport } from "./bindings/BulkUndoReport";

export type {
  AppEvent,
  BulkEdit,
  BulkReport,
  BulkUndoReport,
  Duplicates,
  MergePreview,
  MergeReport,
  MergeSummary,
  NudgeAnswer,
  CadenceRule,
  BackupInfo,
  RestoreReport,
  CircleCadences,
  Contact,
  ContactInput,
  ContactPage,
  ContactQuery,
  ContactSort,
  ContactSummary,
  DeletedInteraction,
  Delivery,
  ErrorKind,
  FollowUp,
  FollowUpInput,
  Goal,
  GoalInput,
  GoalKind,
  GoalView,
  Interaction,
  KeepUpChoices,
  InteractionInput,
  NudgeOutcome,
  Event,
  EventInput,
  EventView,
  Day,
  Occurrence,
  Preferences,
  Choice,
  ImportOptions,
  ImportPreview,
  ImportReport,
  ImportSummary,
  Mapping,
  Reminder,
  ReminderInput,
  Repeat,
  RepeatChoice,
  Collection,
  ServerCollections,
  FirstSync,
  Area,
  LinkKind,
  NetworkPicture,
  TaskReport,
  RoundReport,
  SyncStatus,
  SyncProgress,
  KeptConflict,
  Suggestion,
  TagCount,
  WeekStart,
};

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly field: string | null;

  constructor(kind: ErrorKind, message: string, field: string | null) {
    super(message);
    this.kind = kind;
    this.field = field;
  }
}

/** The sentence to show for a failed call (or anything else thrown). */
export function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : String(e);
}

/** How the window shows a failed call, by its kind: a refused input beside its field, a
 * record that is gone (deleted elsewhere: reload), a change the data no longer allows (say
 * why, reload), anything else as its sentence. */
export type Failure =
  | { show: "field"; field: string; message: string }
  | { show: "gone"; message: string }
  | { show: "conflict"; message: string }
  | { show: "general"; message: string };

/** The sentence for a record that is no longer there. */
export const GONE = "It is no longer there: it was deleted elsewhere (another window, the command line or sync).";

/** What a failed call (or anything else thrown) is to the window. */
export function failure(e: unknown): Failure {
  if (!(e instanceof ApiError)) return { show: "general", message: String(e) };
  const message = e.message;
  switch (e.kind) {
    case "invalid":
      return e.field ? { show: "field", field: e.field, message } : { show: "general", message };
    case "notFound":
      return { show: "gone", message: GONE };
    case "conflict":
      return { show: "conflict", message };
    case "parse":
    case "storage":
    case "io":
    case "network":
      return { show: "general", message };
    default:
      // A kind this window does not know yet (a newer backend): its sentence, as it is.
      return { show: "general", message };
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

/** Listens to one of the events the backend sends (their names are a generated union). */
function on<T>(event: AppEvent, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => handler(e.payload));
}

async function call<T>(
  command: string,
  args: Record<string, unknown> | Uint8Array = {},
): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isCommandError(e)) throw new ApiError(e.kind, e.message, e.field ?? null);
    // Arguments Tauri could not decode, or a denied command: a plain string.
    throw new ApiError("invalid", typeof e === "string" ? e : String(e), null);
  }
}

function learnZone(prefs: Preferences): Preferences {
  setUserZone(prefs.timeZone);
  return prefs;
}

export const api = {
  listContacts: () => call<ContactSummary[]>("list_contacts"),
  listArchived: () => call<ContactSummary[]>("list_archived"),
  purgeContact: (id: number) => call<null>("purge_contact", { id }),
  findDuplicates: () => call<Duplicates>("find_duplicates"),
  mergePreview: (keep: number, other: number) => call<MergePreview>("merge_preview", { keep, other }),
  mergeContacts: (keep: number, other: number, take: ContactField[]) =>
    call<MergeReport>("merge_contacts", { keep, other, take }),
  listMerges: () => call<MergeSummary[]>("list_merges"),
  undoMerge: (id: number) => call<Contact>("undo_merge", { id }),
  notDuplicates: (a: number, b: number) => call<null>("not_duplicates", { a, b }),
  searchContacts: (query: ContactQuery) => call<ContactSummary[]>("search_contacts", { query }),
  countContacts: (query: ContactQuery) => call<number>("count_contacts", { query }),
  listTags: () => call<TagCount[]>("list_tags"),
  addContact: (contact: ContactInput) => call<Contact>("add_contact", { contact }),
  updateContact: (id: number, contact: ContactInput) =>
    call<Contact>("update_contact", { id, contact }),
  getContact: (id: number) => call<Contact>("get_contact", { id }),
  contactPage: (id: number) => call<ContactPage>("contact_page", { id }),
  archiveContact: (id: number) => call<Contact>("archive_contact", { id }),
  restoreContact: (id: number) => call<Contact>("restore_contact", { id }),
  logInteraction: (interaction: InteractionInput) =>
    call<Interaction>("log_interaction", { interaction }),
  updateInteraction: (id: number, interaction: InteractionInput) =>
    call<Interaction>("update_interaction", { id, interaction }),
  deleteInteraction: (id: number) => call<DeletedInteraction>("delete_interaction", { id }),
  restoreInteraction: (deleted: DeletedInteraction) =>
    call<Interaction>("restore_interaction", { deleted }),
  addFollowUp: (followUp: FollowUpInput) => call<FollowUp>("add_follow_up", { followUp }),
  setFollowUpDone: (id: number, done: boolean) =>
    call<FollowUp>("set_follow_up_done", { id, done }),
  reportBack: (followUpId: number) => call<Interaction>("report_back", { id: followUpId }),
  getCircleCadences: () => call<CircleCadences>("get_circle_cadences"),
  setCircleCadences: (cadences: CircleCadences) =>
    call<CircleCadences>("set_circle_cadences", { cadences }),
  getCadenceRules: () => call<CadenceRule[]>("get_cadence_rules"),
  setCadenceRules: (rules: CadenceRule[]) => call<CadenceRule[]>("set_cadence_rules", { rules }),
  listBackups: () => call<BackupInfo[]>("list_backups"),
  backUpNow: () => call<BackupInfo>("back_up_now"),
  restoreBackup: (fileName: string) => call<RestoreReport>("restore_backup", { fileName }),
  goalViews: () => call<GoalView[]>("goal_views"),
  goalTemplate: (kind: GoalKind) => call<GoalInput>("goal_template", { kind }),
  goalStart: (period: Period) => call<string>("goal_start", { period }),
  goalAudience: (audience: Audience) => call<AudienceCheck>("goal_audience", { audience }),
  addGoal: (goal: GoalInput) => call<Goal>("add_goal", { goal }),
  updateGoal: (id: number, goal: GoalInput) => call<Goal>("update_goal", { id, goal }),
  deleteGoal: (id: number) => call<null>("delete_goal", { id }),
  eventViews: () => call<EventView[]>("event_views"),
  addEvent: (event: EventInput) => call<Event>("add_event", { event }),
  updateEvent: (id: number, event: EventInput) => call<Event>("update_event", { id, event }),
  deleteEvent: (id: number) => call<null>("delete_event", { id }),
  attendEvent: (id: number, occurredAt: string, met: number[], notes: string | null) =>
    call<Interaction>("attend_event", { id, occurredAt, met, notes }),
  getStartAtLogin: () => call<boolean>("get_start_at_login"),
  setStartAtLogin: (enabled: boolean) => call<boolean>("set_start_at_login", { enabled }),
  // Every view counts days in the user's zone: it is learnt wherever preferences pass.
  getPreferences: () => call<Preferences>("get_preferences").then(learnZone),
  setPreferences: (preferences: Preferences) =>
    call<Preferences>("set_preferences", { preferences }).then(learnZone),
  today: () => call<Suggestion[]>("today"),
  snoozeSuggestion: (id: number, days: number) => call<null>("snooze_suggestion", { id, days }),
  dismissSuggestion: (id: number) => call<null>("dismiss_suggestion", { id }),
  unhideSuggestion: (id: number) => call<null>("unhide_suggestion", { id }),
  keepUpChoices: () => call<KeepUpChoices>("keep_up_choices"),
  sendTestNudge: () => call<Delivery>("send_test_nudge"),
  actOnNudge: (nudgeId: string, action: NudgeAnswer) =>
    call<NudgeOutcome>("act_on_nudge", { nudgeId, action }),
  onNudgeOutcome: (handler: (outcome: NudgeOutcome) => void): Promise<UnlistenFn> =>
    on<NudgeOutcome>("nudge-outcome", handler),
  /** Closes the window; Kith keeps running in the tray. */
  closeWindow: () => getCurrentWindow().close(),
  /** Ends Kith (without a tray, the window's close only minimises it). */
  quit: () => getCurrentWindow().destroy(),
  onOpenContact: (handler: (id: number) => void): Promise<UnlistenFn> =>
    on<number>("open-contact", handler),
  inAppNudges: () => call<Delivery[]>("in_app_nudges"),
  onNudgeInApp: (handler: (delivery: Delivery) => void): Promise<UnlistenFn> =>
    on<Delivery>("nudge-in-app", handler),
  listReminders: () => call<Reminder[]>("list_reminders"),
  addReminder: (reminder: ReminderInput) => call<Reminder>("add_reminder", { reminder }),
  deleteReminder: (id: number) => call<null>("delete_reminder", { id }),
  repeatChoices: (startDate: string, every: number) =>
    call<RepeatChoice[]>("repeat_choices", { startDate, every }),
  recentOccurrences: () => call<Occurrence[]>("recent_occurrences"),
  syncStatus: () => call<SyncStatus>("sync_status"),
  /** Test connection: the account's address books. */
  /** `plainHttp`: the user allows plain http to another machine (the password goes in clear). */
  syncBooks: (url: string, user: string, password: string, plainHttp = false) =>
    call<ServerCollections>("sync_books", { url, user, password, plainHttp }),
  /** What the first round with `addressBook` (or the "Kith" one, null) would do; null when empty. */
  syncPreview: (
    url: string,
    user: string,
    password: string,
    addressBook: string | null,
    plainHttp = false,
  ) => call<FirstSync | null>("sync_preview", { url, user, password, addressBook, plainHttp }),
  /**
   * Connects with the address book at `addressBook`, or a new "Kith" one (null), and the task
   * list at `taskList`, or a "Kith" one (null), or none ("": follow-ups stay in Kith).
   */
  syncConnect: (
    url: string,
    user: string,
    password: string,
    addressBook: string | null,
    taskList: string | null,
    plainHttp = false,
  ) => call<SyncStatus>("sync_connect", { url, user, password, addressBook, taskList, plainHttp }),
  syncNow: () => call<RoundReport>("sync_now"),
  syncDisconnect: () => call<SyncStatus>("sync_disconnect"),
  syncConflicts: () => call<KeptConflict[]>("sync_conflicts"),
  /** Settles a conflict: `restore` takes your value back. */
  settleSyncConflict: (id: number, restore: boolean) =>
    call<SyncStatus>("settle_sync_conflict", { id, restore }),
  /** Why there is no tray icon here (closing the window minimises it); null with one. */
  trayStatus: () => call<string | null>("tray_status"),
  /** The network at a glance: touches by week, people by circle and by due state. */
  networkPicture: () => call<NetworkPicture>("network_picture"),
  /** Opens a detail in the desktop's app (web, mail, phone); anything else is refused. */
  openLink: (url: string) => call<LinkKind>("open_link", { url }),
  onSynced: (handler: (status: SyncStatus) => void): Promise<UnlistenFn> =>
    on<SyncStatus>("synced", handler),
  /** A sync round's writes went on: `done` of `total` cards (every 25, and at the end). */
  onSyncProgress: (handler: (progress: SyncProgress) => void): Promise<UnlistenFn> =>
    on<SyncProgress>("sync-progress", handler),
  /** Another process changed these parts of the network (the command line, a sync round…). */
  onChanged: (handler: (areas: Area[]) => void): Promise<UnlistenFn> => on<Area[]>("changed", handler),
  /** Sends the file's bytes as the raw request body; they wait for preview and confirm. */
  loadImportFile: (bytes: Uint8Array) => call<null>("load_import_file", bytes),
  previewImport: (fileName: string, mapping: Mapping | null, options: ImportOptions) =>
    call<ImportPreview>("preview_import", { fileName, mapping, options }),
  confirmImport: (
    fileName: string,
    mapping: Mapping | null,
    options: ImportOptions,
    choices: Choice[],
  ) => call<ImportReport>("confirm_import", { fileName, mapping, options, choices }),
  listImports: () => call<ImportSummary[]>("list_imports"),
  undoImport: (id: number) => call<ImportSummary>("undo_import", { id }),
  /** Sets one circle, rhythm or tag on everyone in `ids`, all or none. */
  bulkEditContacts: (ids: number[], edit: BulkEdit) =>
    call<BulkReport>("bulk_edit_contacts", { ids, edit }),
  /** Puts back what a bulk edit changed, for everyone not changed since. */
  undoBulkEdit: (report: BulkReport) => call<BulkUndoReport>("undo_bulk_edit", { report }),
};
