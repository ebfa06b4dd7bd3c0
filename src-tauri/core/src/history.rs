//! Connection history and homework: interactions (a call, a coffee, an intro…) with one or
//! more contacts, and follow-ups owed to a contact. Types shared with the UI and the rules
//! that make an input valid; the store writes them.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{long_text, MAX_NOTES_CHARS};
use crate::{Error, Result};

/// Most contacts one interaction can involve (an event with many people met).
pub const MAX_PARTICIPANTS: usize = 100;
/// Longest follow-up title.
pub const MAX_TITLE_CHARS: usize = 300;
/// How far ahead an interaction may be dated: a day covers time-zone slips, not plans.
pub const MAX_FUTURE: Duration = Duration::days(1);
/// Earliest year an interaction or a due date may carry.
pub const EARLIEST_YEAR: i32 = 1900;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum InteractionKind {
    Call,
    VideoCall,
    Email,
    Message,
    Coffee,
    Meeting,
    Event,
    Intro,
    SharedArticle,
    ThankYouNote,
    /// The day a connection was made (LinkedIn's "Connected On"), as imports record it.
    Connected,
    Other,
}

impl InteractionKind {
    pub const ALL: [InteractionKind; 12] = [
        InteractionKind::Call,
        InteractionKind::VideoCall,
        InteractionKind::Email,
        InteractionKind::Message,
        InteractionKind::Coffee,
        InteractionKind::Meeting,
        InteractionKind::Event,
        InteractionKind::Intro,
        InteractionKind::SharedArticle,
        InteractionKind::ThankYouNote,
        InteractionKind::Connected,
        InteractionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InteractionKind::Call => "call",
            InteractionKind::VideoCall => "videoCall",
            InteractionKind::Email => "email",
            InteractionKind::Message => "message",
            InteractionKind::Coffee => "coffee",
            InteractionKind::Meeting => "meeting",
            InteractionKind::Event => "event",
            InteractionKind::Intro => "intro",
            InteractionKind::SharedArticle => "sharedArticle",
            InteractionKind::ThankYouNote => "thankYouNote",
            InteractionKind::Connected => "connected",
            InteractionKind::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<InteractionKind> {
        InteractionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// Who reached out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Direction {
    /// I reached out.
    Outbound,
    /// They reached out.
    Inbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outbound => "outbound",
            Direction::Inbound => "inbound",
        }
    }

    pub fn parse(name: &str) -> Option<Direction> {
        [Direction::Outbound, Direction::Inbound]
            .into_iter()
            .find(|d| d.as_str() == name)
    }
}

/// What the log-an-interaction form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct InteractionInput {
    #[ts(type = "Array<number>")]
    pub contact_ids: Vec<i64>,
    pub kind: InteractionKind,
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub direction: Option<Direction>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub notes: Option<String>,
}

/// An interaction as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Interaction {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "Array<number>")]
    pub contact_ids: Vec<i64>,
    pub kind: InteractionKind,
    pub occurred_at: DateTime<Utc>,
    pub direction: Option<Direction>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An interaction as it was when deleted, with what pointed at it: what Undo puts back (the
/// same id, its follow-ups and its event linked again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeletedInteraction {
    pub interaction: Interaction,
    /// The event it was logged for, if any.
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// The follow-ups that came out of it.
    #[ts(type = "Array<number>")]
    pub follow_up_ids: Vec<i64>,
    /// The imports that logged it ("connected on"), so undoing one still takes it away.
    #[ts(type = "Array<number>")]
    pub import_ids: Vec<i64>,
}

impl InteractionInput {
    /// Checks the rules that need no database: at least one contact, each once; a date that
    /// is neither before 1900 nor more than a day ahead of `now`; notes of a sane size.
    pub fn validated(mut self, now: DateTime<Utc>) -> Result<InteractionInput> {
        if self.contact_ids.is_empty() {
            return Err(Error::invalid(
                "contactIds",
                "Choose at least one person for this interaction.",
            ));
        }
        self.contact_ids.sort_unstable();
        self.contact_ids.dedup();
        if self.contact_ids.len() > MAX_PARTICIPANTS {
            return Err(Error::invalid(
                "contactIds",
                format!("One interaction can involve at most {MAX_PARTICIPANTS} people."),
            ));
        }
        if self.occurred_at > now + MAX_FUTURE {
            return Err(Error::invalid(
                "occurredAt",
                "That date is in the future: log interactions once they happened.",
            ));
        }
        if self.occurred_at.year() < EARLIEST_YEAR {
            return Err(Error::invalid(
                "occurredAt",
                format!("That date is before {EARLIEST_YEAR}."),
            ));
        }
        self.notes = long_text("notes", "Notes", self.notes, MAX_NOTES_CHARS)?;
        Ok(self)
    }
}

/// What the add-follow-up form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct FollowUpInput {
    #[ts(type = "number")]
    pub contact_id: i64,
    #[serde(default)]
    #[ts(optional = nullable, type = "number")]
    pub interaction_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub due_on: Option<NaiveDate>,
}

/// A follow-up ("homework") as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowUp {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub contact_id: i64,
    #[ts(type = "number | null")]
    pub interaction_id: Option<i64>,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A contact with its history and homework, as the contact page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactPage {
    pub contact: crate::model::Contact,
    /// Where the contact stands against their cadence now.
    pub due: crate::cadence::DueState,
    pub timeline: Vec<Interaction>,
    pub follow_ups: Vec<FollowUp>,
    /// The active or paused goals this contact counts toward.
    pub goals: Vec<crate::goals::GoalRef>,
    /// The last year week by week: touches, and the weeks past their cadence.
    pub year: Vec<crate::pictures::StripWeek>,
}

impl FollowUpInput {
    pub fn validated(mut self) -> Result<FollowUpInput> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(Error::invalid("title", "Say what you will do."));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(Error::invalid(
                "title",
                format!("Keep it under {MAX_TITLE_CHARS} characters."),
            ));
        }
        if title.chars().any(char::is_control) {
            return Err(Error::invalid("title", "The title must fit on one line."));
        }
        self.title = title.to_owned();
        if let Some(due) = self.due_on {
            if !(EARLIEST_YEAR..=2200).contains(&due.year()) {
                return Err(Error::invalid("dueOn", "That due date is out of range."));
            }
        }
        Ok(self)
    }
}

impl FollowUp {
    /// The touch that tells the contact the homework is done ("let them know").
    pub fn loop_back(&self, now: DateTime<Utc>) -> InteractionInput {
        InteractionInput {
            contact_ids: vec![self.contact_id],
            kind: InteractionKind::Message,
            occurred_at: now,
            direction: Some(Direction::Outbound),
            notes: Some(format!("Let them know: {}", self.title)),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    fn call(ids: Vec<i64>, at: DateTime<Utc>) -> InteractionInput {
        InteractionInput {
            contact_ids: ids,
            kind: InteractionKind::Call,
            occurred_at: at,
            direction: None,
            notes: None,
        }
    }

    fn field(r: Result<impl std::fmt::Debug>) -> &'static str {
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn participants_are_required_and_kept_once() {
        assert_eq!(field(call(vec![], now()).validated(now())), "contactIds");
        let ok = call(vec![3, 1, 3], now()).validated(now()).unwrap();
        assert_eq!(ok.contact_ids, [1, 3]);
        let crowd = call((1..=101).collect(), now());
        assert_eq!(field(crowd.validated(now())), "contactIds");
    }

    #[test]
    fn dates_must_be_sensible() {
        assert!(call(vec![1], now() + Duration::hours(20))
            .validated(now())
            .is_ok());
        assert_eq!(
            field(call(vec![1], now() + Duration::days(2)).validated(now())),
            "occurredAt"
        );
        let ancient = Utc.with_ymd_and_hms(1899, 12, 31, 0, 0, 0).unwrap();
        assert_eq!(field(call(vec![1], ancient).validated(now())), "occurredAt");
    }

    #[test]
    fn follow_ups_need_a_title() {
        let f = |title: &str| FollowUpInput {
            contact_id: 1,
            interaction_id: None,
            title: title.into(),
            due_on: None,
        };
        assert_eq!(
            f("  Send the article ").validated().unwrap().title,
            "Send the article"
        );
        assert_eq!(field(f(" ").validated()), "title");
        assert_eq!(field(f(&"x".repeat(301)).validated()), "title");
        let far = FollowUpInput {
            due_on: NaiveDate::from_ymd_opt(2999, 1, 1),
            ..f("Later")
        };
        assert_eq!(field(far.validated()), "dueOn");
    }

    #[test]
    fn unknown_kinds_are_refused_over_ipc() {
        let json = r#"{"contactIds":[1],"kind":"telepathy","occurredAt":"2026-11-23T09:00:00Z"}"#;
        assert!(serde_json::from_str::<InteractionInput>(json).is_err());
        let json = r#"{"contactIds":[1],"kind":"coffee","occurredAt":"not a date"}"#;
        assert!(serde_json::from_str::<InteractionInput>(json).is_err());
    }
}
