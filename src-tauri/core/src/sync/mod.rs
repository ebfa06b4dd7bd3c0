//! Sharing the network through a standard CardDAV/CalDAV server (PRODUCT.md §6): the rules,
//! pure. `card` reads a server's vCard as Kith's view of a contact and writes Kith's changes
//! back into the server's own copy, property by property, so that what Kith does not model
//! (photos, other apps' properties, Apple's grouped labels) survives; `merge` joins a
//! contact changed on both sides since the last round against what both agreed on then;
//! `task` does the same for a follow-up as a task (VTODO) in a task list; `pull` decides
//! what each card or task the server sent does in Kith, and `push` what a round sends. The
//! store keeps the per-contact and per-task state (`store/sync.rs`), loads what the
//! decisions need and applies them; talking to the server is the `kith-sync` crate's.
//! Nothing here does I/O.

pub mod card;
pub mod merge;
pub mod pull;
pub mod push;
pub mod task;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::ContactInput;
use merge::SyncConflict;

/// The server Kith shares the network through (its password is kept apart, in the desktop's
/// secret store or a private file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncAccount {
    /// The server's address, as the user gave it.
    pub url: String,
    pub user: String,
    /// The address book's href on the server, once chosen.
    #[ts(optional = nullable)]
    pub address_book: Option<String>,
    /// The task list's href (a CalDAV calendar that holds tasks), where the server has one.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub task_list: Option<String>,
    /// The address book takes vCard 3.0 only (RFC 6352 `supported-address-data`): new cards
    /// are written as 3.0.
    #[serde(default)]
    pub vcard3_only: bool,
    /// The user allowed plain http to a server on another machine (the password then
    /// crosses the network unencrypted).
    #[serde(default)]
    pub plain_http: bool,
}

/// A collection the account can use: an address book, or a calendar that keeps tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Collection {
    pub href: String,
    /// Its display name, if the server gives one.
    #[ts(optional = nullable)]
    pub name: Option<String>,
}

/// What *Test connection* found: the account's address books and task lists (none on a
/// server that keeps only contacts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServerCollections {
    pub address_books: Vec<Collection>,
    pub task_lists: Vec<Collection>,
}

/// Where sync stands, for the status line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncStatus {
    #[ts(optional = nullable)]
    pub account: Option<SyncAccount>,
    /// When the last round ended.
    #[ts(optional = nullable)]
    pub last_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the last round failed, in words; absent when it went through.
    #[ts(optional = nullable)]
    pub last_error: Option<String>,
    /// Fields where the server's value won and Kith's waits in the conflict log.
    pub conflicts: u32,
    /// Where the password is kept.
    #[ts(optional = nullable)]
    pub password_place: Option<PasswordPlace>,
    /// Cards and tasks rounds leave alone until they change on the server (Kith cannot read
    /// or take them), newest first.
    #[serde(default)]
    pub left_alone: Vec<LeftAlone>,
}

/// A card or a task that rounds leave alone until it changes on the server, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LeftAlone {
    pub item: SyncItem,
    /// Where it is on the server.
    pub href: String,
    pub reason: String,
    /// When a round last met it.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The two kinds of item a round syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SyncItem {
    /// A contact's card in the address book.
    Card,
    /// A follow-up's or a reminder's task in the task list.
    Task,
}

/// How far a round's writes are, for the window while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncProgress {
    /// Cards written so far.
    pub done: u32,
    /// Cards this round writes.
    pub total: u32,
}

/// A field both sides changed, as the conflict log keeps it until the user settles it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeptConflict {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub contact_id: i64,
    /// Whom it is about.
    pub name: String,
    #[serde(flatten)]
    pub conflict: SyncConflict,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// What the first round with an address book that already holds cards would do, shown
/// before anything is written on either side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FirstSync {
    /// Cards in the address book.
    pub cards: u32,
    /// People new to Kith, by name.
    pub new_people: Vec<String>,
    /// Contacts already in Kith that a card turns out to be (same email, phone or LinkedIn
    /// profile): joined field by field.
    pub linked: Vec<String>,
    /// Fields both fill differently: the server's value would be kept, Kith's saved in the
    /// conflict log.
    pub conflicts: Vec<KeptConflict>,
    /// Kith's contacts that would go to the server as new cards.
    pub to_send: u32,
    /// Cards Kith would leave alone, with why.
    pub skipped: Vec<String>,
}

/// Where the sync password is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PasswordPlace {
    /// The desktop's Secret Service (GNOME Keyring, KWallet).
    SecretService,
    /// A file in the data folder readable by the user alone: no Secret Service runs.
    File,
}

/// A card the server holds, as one round brought it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    pub href: String,
    pub etag: Option<String>,
    /// The vCard.
    pub text: String,
}

/// What a round's pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PullReport {
    /// New people from the server.
    pub added: u32,
    /// Contacts the server changed (and Kith had not).
    pub updated: u32,
    /// Contacts changed on both sides, joined field by field.
    pub merged: u32,
    /// Contacts already in Kith that a server card turned out to be (same email, phone or
    /// LinkedIn profile), now linked to it.
    pub linked: u32,
    /// Contacts the server deleted: archived in Kith, their history kept.
    pub archived: u32,
    /// Archived contacts whose card came back (restored on another device, or edited there
    /// after a delete): active again, their history kept.
    pub restored: u32,
    /// Fields where the server's value won over Kith's (kept in the conflict log).
    pub conflicts: u32,
    /// Cards Kith leaves alone (groups, places) or could not read, with why.
    pub skipped: Vec<String>,
}

/// What Kith has to send: new cards, changed cards and deletions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushPlan {
    pub creates: Vec<Push>,
    pub updates: Vec<Push>,
    pub deletes: Vec<Tombstone>,
}

/// One card to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    pub contact_id: i64,
    pub href: String,
    /// The version it replaces (`None` for a new card: written only if none is there).
    pub etag: Option<String>,
    /// The vCard to write.
    pub text: String,
    /// Kith's view it carries: what both will agree on once written.
    pub view: ContactInput,
    /// When that view was read.
    pub read_at: chrono::DateTime<chrono::Utc>,
}

/// A card to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    pub href: String,
    pub etag: Option<String>,
}

/// What a task stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskItem {
    FollowUp(i64),
    /// A reminder's next time (its occurrence due then).
    Reminder {
        id: i64,
        due_at: chrono::DateTime<chrono::Utc>,
    },
}

impl TaskItem {
    /// The same follow-up or reminder, whichever time it stands for.
    pub fn same(&self, other: &TaskItem) -> bool {
        match (self, other) {
            (TaskItem::FollowUp(a), TaskItem::FollowUp(b)) => a == b,
            (TaskItem::Reminder { id: a, .. }, TaskItem::Reminder { id: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// One task to write for a follow-up or a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskPush {
    pub item: TaskItem,
    pub href: String,
    /// The version it replaces (`None` for a new task: written only if none is there).
    pub etag: Option<String>,
    /// The calendar object to write.
    pub text: String,
    /// The task it carries: what both will agree on once written.
    pub view: task::TaskView,
    /// When that view was read.
    pub read_at: chrono::DateTime<chrono::Utc>,
}

/// What Kith has to send to the task list: tasks for new follow-ups and reminders, and
/// changed ones (a follow-up or a reminder that goes leaves a [`Tombstone`] like a card).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskPlan {
    pub creates: Vec<TaskPush>,
    pub updates: Vec<TaskPush>,
}

/// What one round did with tasks, both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TaskReport {
    /// Follow-ups new from the server (a task naming a contact Kith knows).
    pub added: u32,
    /// Follow-ups the server changed (a new title or date, done or open again), and
    /// reminders' times done on the server.
    pub updated: u32,
    /// Tasks written for new follow-ups.
    pub created: u32,
    /// Tasks changed on the server.
    pub sent: u32,
    /// Tasks Kith could not take (a title too long or on several lines, a date out of
    /// range), with why.
    pub skipped: Vec<String>,
}

/// What one round did, both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoundReport {
    pub pulled: PullReport,
    /// Cards written for contacts new to the server.
    pub created: u32,
    /// Cards changed on the server.
    pub updated: u32,
    /// Cards deleted on the server.
    pub deleted: u32,
    /// Writes that met a newer version on the server, which was pulled and joined first.
    pub retried: u32,
    /// Follow-ups as tasks.
    pub tasks: TaskReport,
}
