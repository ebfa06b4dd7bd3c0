//! What a pulled card or task does in Kith: pure decisions over what the server sent and what
//! the store found for it (the contact or follow-up it belongs to, with what both sides last
//! agreed on). The store finds those, calls [`decide_card`] or [`decide_task`] and applies the
//! outcome; nothing here reads or writes the database.

use chrono::{DateTime, Utc};

use super::card::ServerCard;
use super::merge::{merge, Merged, SyncConflict};
use super::task::{self, ServerTask, TaskView};
use crate::history::FollowUpInput;
use crate::model::ContactInput;
use crate::Result;

/// What Kith has that a pulled card may be, as the store finds it (by the card's href, then
/// the UID or href Kith named it with, then what identifies the person).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one per pulled card, moved straight into the decision"
)]
pub enum CardLocal {
    /// Kith deleted this card's contact; the delete is not sent yet.
    Deleting,
    /// The contact whose card this is, with the view both last agreed on.
    Known {
        id: i64,
        current: ContactInput,
        agreed: ContactInput,
    },
    /// The contact Kith named this card for, though it does not know the card on the server
    /// (its write's answer was lost, or it was deleted and has come back).
    Named {
        id: i64,
        current: ContactInput,
        archived: bool,
    },
    /// An active contact without a card that this card is (same email, phone or LinkedIn
    /// profile; never a name alone).
    Unlinked { id: i64, current: ContactInput },
    /// No one: a person new to Kith.
    New,
}

/// What a pulled card does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one per pulled card, applied straight away"
)]
pub enum CardOutcome {
    /// Nothing yet: deleted in Kith, the push deletes it (or meets a newer version and lets it
    /// come back).
    Wait,
    /// Not a person (a group or a place): said in the report, nothing kept.
    NotAPerson,
    /// Left alone until it changes on the server, with why.
    Skip(String),
    /// Taken into Kith.
    Take(Take),
}

/// A card taken into Kith: the contact it goes to, what that becomes, and what both now
/// agree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Take {
    pub target: Target,
    /// The contact as it becomes (checked).
    pub contact: ContactInput,
    /// The contact's fields change (an existing contact's; a new one is written whole).
    pub write: bool,
    /// Fields where the server's value won (Kith's kept in the conflict log).
    pub conflicts: Vec<SyncConflict>,
    /// The server's copy as Kith reads it: what both agree on from now.
    pub agreed: ContactInput,
    /// The contact is the server's copy: agreed now. Otherwise (a join kept Kith's side, or
    /// the server lost Kith's own properties) it is pushed next, whenever it was last updated.
    pub agreed_now: bool,
    /// The card's UID, the name Kith keeps for it (without one, its href is its name).
    pub uid: Option<String>,
    /// How the round's report counts it.
    pub change: Change,
}

/// The contact a taken card goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new contact, from the card.
    New,
    /// Contact `id`; `restore`: archived here, it comes back (its history kept).
    Existing { id: i64, restore: bool },
}

/// How a pull's report counts a taken card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Updated,
    Merged,
    Linked,
    Restored,
    /// Nothing Kith shows changed.
    None,
}

/// What the card in `read` (as [`super::card::read`] read it) does, given what Kith has for it.
pub fn decide_card(read: &Result<Option<ServerCard>>, local: CardLocal) -> CardOutcome {
    if local == CardLocal::Deleting {
        return CardOutcome::Wait;
    }
    let server = match read {
        Ok(Some(server)) => server,
        Ok(None) => return CardOutcome::NotAPerson,
        Err(e) => return CardOutcome::Skip(e.to_string()),
    };
    let raw = &server.contact;
    let existing = |id, restore| Target::Existing { id, restore };
    let as_is = |contact| Merged {
        contact,
        conflicts: Vec::new(),
    };
    // The contact it goes to, what that was (none when new), what it becomes with the fields
    // where the server's value won, and how the report counts it.
    let (target, before, joined, change) = match local {
        CardLocal::Deleting => return CardOutcome::Wait,
        CardLocal::Known {
            id,
            current,
            agreed,
        } => {
            let theirs = with_kith_kept(server, &current);
            let (joined, change) = if current != agreed {
                (merge(&agreed, &current, &theirs), Change::Merged)
            } else if theirs != current {
                (as_is(theirs), Change::Updated)
            } else {
                (as_is(theirs), Change::None)
            };
            (existing(id, false), Some(current), joined, change)
        }
        // Kith's own card, stored though the answer was lost: Kith's contact is the newer.
        CardLocal::Named {
            id,
            current,
            archived: false,
        } => {
            let joined = as_is(current.clone());
            (existing(id, false), Some(current), joined, Change::None)
        }
        // The card of a contact archived here (deleted on the server, or archived on another
        // device) is back: the contact comes back with it.
        CardLocal::Named {
            id,
            current,
            archived: true,
        } => {
            let joined = as_is(with_kith_kept(server, &current));
            (existing(id, true), Some(current), joined, Change::Restored)
        }
        // The same person, already in Kith, with nothing agreed yet: what each side has,
        // joined (the server wins a field both fill differently, Kith's value kept in the log).
        CardLocal::Unlinked { id, current } => {
            let theirs = with_kith_kept(server, &current);
            let joined = merge(&ContactInput::default(), &current, &theirs);
            (existing(id, false), Some(current), joined, Change::Linked)
        }
        CardLocal::New => (Target::New, None, as_is(raw.clone()), Change::Added),
    };
    let contact = match joined.contact.validated() {
        Ok(contact) => contact,
        Err(e) => return CardOutcome::Skip(e.to_string()),
    };
    CardOutcome::Take(Take {
        target,
        write: before.is_some_and(|before| before != contact),
        agreed_now: contact == *raw,
        contact,
        conflicts: joined.conflicts,
        agreed: raw.clone(),
        uid: server.uid.clone(),
        change,
    })
}

/// The server's view with Kith's own fields taken from `current` when another app stripped
/// every `X-KITH-*` property from the card.
pub fn with_kith_kept(server: &ServerCard, current: &ContactInput) -> ContactInput {
    let mut theirs = server.contact.clone();
    if !server.has_kith {
        theirs.circle = current.circle;
        theirs.cadence_days = current.cadence_days;
        theirs.preferred_channel = current.preferred_channel;
        theirs.how_we_met = current.how_we_met.clone();
    }
    theirs
}

/// What the server deleting a card does in Kith.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardGone {
    /// A card Kith deleted too: nothing left but to forget it.
    Forget,
    /// Kith changed contact `id` since both agreed: the edit wins, its card is written again.
    Unlink(i64),
    /// Contact `id` is archived (its history stays).
    Archive(i64),
}

/// What the deletion of a card does, given its contact `(id, as it is, as both last agreed
/// on it)` (`None`: a card Kith does not know).
pub fn decide_card_gone(known: Option<(i64, &ContactInput, &ContactInput)>) -> CardGone {
    match known {
        None => CardGone::Forget,
        Some((id, current, agreed)) if current != agreed => CardGone::Unlink(id),
        Some((id, ..)) => CardGone::Archive(id),
    }
}

/// What Kith has that a pulled task may be, as the store finds it by its href (then the href
/// Kith named it with, then the contact card its UID names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskLocal {
    /// A reminder's task this device wrote, with what both last agreed on.
    Reminder { agreed: TaskView },
    /// The follow-up of `contact` whose task this is, with what both last agreed on.
    Known {
        id: i64,
        contact: i64,
        current: TaskView,
        agreed: TaskView,
    },
    /// The follow-up Kith named this task for, though it does not know it on the server.
    Named { id: i64, current: TaskView },
    /// No follow-up; the contact whose card the task names, if Kith knows it.
    New { contact: Option<i64> },
}

/// What a pulled task does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskOutcome {
    /// Nothing: an event or another object, a task Kith cannot read, another device's reminder,
    /// a task done before Kith saw it, or one about no contact Kith knows.
    Ignore,
    /// Left alone until it changes on the server, with why.
    Skip(String),
    /// A reminder's task: the server's copy is kept; `settle`: done there (at this time), it
    /// settles the time the task stands for.
    Reminder {
        settle: Option<DateTime<Utc>>,
        agreed: TaskView,
    },
    /// A follow-up's task, taken.
    FollowUp(TakeTask),
}

/// A task taken into a follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeTask {
    pub target: TaskTarget,
    /// The follow-up as it becomes (checked).
    pub view: TaskView,
    /// The server's copy: what both agree on from now.
    pub agreed: TaskView,
    /// The follow-up is the server's copy: agreed now; otherwise the next push sends it.
    pub agreed_now: bool,
}

/// The follow-up a taken task goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskTarget {
    /// A new follow-up of contact `contact`.
    New { contact: i64 },
    /// Follow-up `id`, as it is.
    Kept { id: i64 },
    /// Follow-up `id`, changed; done, it was done at `done_at`.
    Changed { id: i64, done_at: DateTime<Utc> },
}

/// What the task in `read` (as [`task::read`] read it) does, given what Kith has for it.
pub fn decide_task(
    read: &Result<Option<ServerTask>>,
    local: TaskLocal,
    now: DateTime<Utc>,
) -> TaskOutcome {
    let Ok(Some(server)) = read else {
        return TaskOutcome::Ignore;
    };
    if let TaskLocal::Reminder { agreed } = local {
        let settle = (server.view.done && !agreed.done).then(|| server.done_at(now));
        return TaskOutcome::Reminder {
            settle,
            agreed: server.view.clone(),
        };
    }
    // Reminders' tasks are each device's own.
    if server.reminder {
        return TaskOutcome::Ignore;
    }
    if server.due_unreadable {
        // Its follow-up keeps the date it has.
        return TaskOutcome::Skip(
            "its due date (DUE) is no date that can be (a month 13, a day 32, a year past 9999)"
                .to_owned(),
        );
    }
    let (target, view) = match local {
        TaskLocal::Reminder { .. } => return TaskOutcome::Ignore,
        TaskLocal::Known {
            id,
            contact,
            current,
            agreed,
        } => {
            let joined = match valid(contact, task::merge(&agreed, &current, &server.view)) {
                Ok(joined) => joined,
                Err(e) => return TaskOutcome::Skip(e.to_string()),
            };
            let target = if joined != current {
                TaskTarget::Changed {
                    id,
                    done_at: server.done_at(now),
                }
            } else {
                TaskTarget::Kept { id }
            };
            (target, joined)
        }
        // Kith's own task, stored though the answer was lost: the follow-up is the newer.
        TaskLocal::Named { id, current } => (TaskTarget::Kept { id }, current),
        TaskLocal::New { .. } if server.view.done => return TaskOutcome::Ignore,
        TaskLocal::New { contact: None } => return TaskOutcome::Ignore,
        TaskLocal::New {
            contact: Some(contact),
        } => match valid(contact, server.view.clone()) {
            Ok(view) => (TaskTarget::New { contact }, view),
            Err(e) => return TaskOutcome::Skip(e.to_string()),
        },
    };
    TaskOutcome::FollowUp(TakeTask {
        target,
        agreed_now: view == server.view,
        view,
        agreed: server.view.clone(),
    })
}

/// `view` as a follow-up of `contact` may be (a title on one line and not too long, a date in
/// range), its title trimmed.
fn valid(contact: i64, view: TaskView) -> Result<TaskView> {
    let input = FollowUpInput {
        contact_id: contact,
        interaction_id: None,
        title: view.title,
        due_on: view.due,
    }
    .validated()?;
    Ok(TaskView {
        title: input.title,
        due: input.due_on,
        done: view.done,
    })
}

/// What the server deleting a follow-up's task does in Kith.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskGone {
    /// A task Kith does not know as a follow-up's (deleted here too, or a reminder's).
    Forget,
    /// Follow-up `id` is done (nothing the user wrote goes); `counted`: it was open.
    Complete { id: i64, counted: bool },
}

/// What the deletion of a task does, given its follow-up `(id, whether it is open)` (`None`:
/// no follow-up Kith knows).
pub fn decide_task_gone(follow_up: Option<(i64, bool)>) -> TaskGone {
    match follow_up {
        None => TaskGone::Forget,
        Some((id, open)) => TaskGone::Complete { id, counted: open },
    }
}

#[cfg(test)]
mod tests;
