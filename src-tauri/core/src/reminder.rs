//! Reminders and their occurrences as Kith speaks of them: what the user sets, each
//! occurrence as logged, where it stands and how it reached the user. Plain data that
//! crosses IPC; the store loads and saves it, `schedule` says when it is due.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::repeat::{Repeat, Series};
use crate::schedule::{ReminderKind, Source};

/// A reminder as the user sets it: once at `date` `time`, or from then on as `repeat` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ReminderInput {
    #[serde(default)]
    #[ts(optional = nullable, type = "number | null")]
    pub contact_id: Option<i64>,
    pub title: String,
    pub date: NaiveDate,
    /// "HH:MM", in the user's time zone.
    pub time: String,
    /// How it repeats from `date` on (absent: once).
    #[serde(default = "once")]
    pub repeat: Repeat,
}

fn once() -> Repeat {
    Repeat::Never
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reminder {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub fields: ReminderInput,
    /// The zone its time is in (the user's when it was set).
    pub time_zone: String,
    /// How it repeats, in words: "once", "every first Monday", …
    pub repeats: String,
    pub created_at: DateTime<Utc>,
}

/// Where an occurrence stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OccurrenceState {
    /// Due and sent (or about to be).
    Fired,
    /// Replaced by a later one of the same reminder while the app was away.
    Missed,
    /// The user chose Call; Kith asks later whether they reached them.
    Calling,
    Done,
    Snoozed,
    Dismissed,
}

/// How an occurrence reached the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DeliveryChannel {
    /// A desktop notification.
    Desktop,
    /// The app's window (no notification service).
    InApp,
}

/// One occurrence of a reminder, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Occurrence {
    #[ts(type = "number")]
    pub id: i64,
    /// What it comes from, as its stored text over IPC (`reminder:12`, …).
    #[ts(type = "string")]
    pub source: Source,
    pub kind: ReminderKind,
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    pub title: String,
    pub due_at: DateTime<Utc>,
    pub fired_at: DateTime<Utc>,
    pub state: OccurrenceState,
    pub delivery: Option<DeliveryChannel>,
}

/// What the user did with a nudge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OccurrenceAction {
    /// Done: a touch with the contact is logged (a call unless `kind` says otherwise).
    Done,
    /// Again in a day.
    Snooze,
    Dismiss,
    /// Calling now: asked "Did you reach them?" after [`schedule::CALL_CHECK_AFTER`].
    Call,
}

impl Reminder {
    /// The zone its times are in: the one it was set in. Kith writes only checked zone names
    /// there, so one that does not parse is a damaged row or a zone this build's tzdb lacks;
    /// it is read as UTC rather than as the user's zone: the zone is stored precisely so a
    /// reminder does not move when the user's zone does, and UTC is what every reader (the
    /// scheduler, the task sync, the calendar export) agrees on without asking the settings,
    /// so its nudge, its task and its exported event keep the same time.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// What kind of reminder it is: once, or on a rule.
    pub fn kind(&self) -> ReminderKind {
        match self.fields.repeat {
            Repeat::Never => ReminderKind::OneOff,
            _ => ReminderKind::Recurring,
        }
    }
}

impl ReminderInput {
    /// When it first comes, as wall-clock time in its zone.
    pub fn starts_at(&self) -> NaiveDateTime {
        let time = chrono::NaiveTime::parse_from_str(&self.time, "%H:%M").unwrap_or_default();
        self.date.and_time(time)
    }

    /// Its times in zone `tz` (its own, see [`Reminder::zone`]).
    pub fn series(&self, tz: chrono_tz::Tz) -> Series {
        Series {
            first: self.date,
            time: self.starts_at().time(),
            repeat: self.repeat,
            tz,
        }
    }
}
