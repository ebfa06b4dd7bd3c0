//! Events and groups (PRODUCT.md §2): a user group that meets every few weeks, a conference,
//! an online session — with a date, a rhythm, a link and the people who go. Going to one
//! logs an interaction with each person met. Pure functions over an event and a `now`:
//! when it happens next, in its own time zone and across DST changes; they never run SQL.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{link, long_text, optional_single_line, single_line, MAX_NOTES_CHARS};
use crate::repeat::{Repeat, Series};
use crate::{Error, Result};

/// Most people one event lists.
pub const MAX_ATTENDEES: usize = 500;

/// An event as the user enters it. Times are wall-clock times in the event's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct EventInput {
    pub title: String,
    /// The first (or only) date.
    pub start_date: NaiveDate,
    /// "HH:MM" on that date.
    pub start_time: String,
    pub repeat: Repeat,
    /// An IANA zone; absent means the user's.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub time_zone: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub location: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub link: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub notes: Option<String>,
    /// The people who go (the group's members).
    #[serde(default)]
    #[ts(type = "number[]")]
    pub attendee_ids: Vec<i64>,
}

impl EventInput {
    /// Trims every field and checks every rule; returns the cleaned event or the first rule
    /// broken.
    pub fn validated(self) -> Result<EventInput> {
        let title = single_line("title", "The name", &self.title)?
            .ok_or_else(|| Error::invalid("title", "Give the event a name."))?;
        if !(2000..=2200).contains(&self.start_date.year()) {
            return Err(Error::invalid("startDate", "That date is out of range."));
        }
        let start_time = parse_time(&self.start_time)?.format("%H:%M").to_string();
        let repeat = self.repeat.validated()?;
        let link = match self.link.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(l) => Some(link("link", l)?),
        };
        let mut attendee_ids = self.attendee_ids;
        attendee_ids.sort_unstable();
        attendee_ids.dedup();
        if attendee_ids.len() > MAX_ATTENDEES {
            return Err(Error::invalid(
                "attendeeIds",
                format!("An event lists at most {MAX_ATTENDEES} people."),
            ));
        }
        Ok(EventInput {
            title,
            start_date: self.start_date,
            start_time,
            repeat,
            time_zone: crate::model::time_zone(self.time_zone)?,
            location: optional_single_line("location", "The place", self.location)?,
            link,
            notes: long_text("notes", "Notes", self.notes, MAX_NOTES_CHARS)?,
            attendee_ids,
        })
    }

    /// Its meetings in zone `tz` (the event's own, see [`Event::zone`]).
    pub fn series(&self, tz: Tz) -> Series {
        Series {
            first: self.start_date,
            // Validated events always have a time.
            time: parse_time(&self.start_time).unwrap_or(NaiveTime::MIN),
            repeat: self.repeat,
            tz,
        }
    }
}

fn parse_time(text: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        Error::invalid(
            "startTime",
            format!("“{text}” is not a time of day such as 18:30."),
        )
    })
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Event {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub fields: EventInput,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    /// The zone its times are in: its own, else the user's.
    pub fn zone(&self, user_tz: Tz) -> Tz {
        self.fields
            .time_zone
            .as_deref()
            .and_then(|z| z.parse().ok())
            .unwrap_or(user_tz)
    }
}

/// One person going to an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attendee {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
}

/// An event with what the Events page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EventView {
    pub event: Event,
    /// When it starts next (an occurrence that began in the last few hours still counts,
    /// so "I went" is at hand on the evening itself); `None` once it is over.
    pub next: Option<DateTime<Utc>>,
    /// The latest occurrence that has begun, if any.
    pub last: Option<DateTime<Utc>>,
    /// How it repeats, in words: "once", "every 6 weeks on Tuesday", "every first Thursday".
    pub repeats: String,
    pub attendees: Vec<Attendee>,
}

/// How long after its start an occurrence still counts as "next".
pub const STILL_ON_HOURS: i64 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    fn event(date: (i32, u32, u32), time: &str, repeat: Repeat) -> EventInput {
        EventInput {
            title: "Rust meetup".into(),
            start_date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            start_time: time.into(),
            repeat,
            time_zone: None,
            location: None,
            link: None,
            notes: None,
            attendee_ids: vec![],
        }
    }

    #[test]
    fn bad_events_are_refused_field_by_field() {
        let field = |e: EventInput| e.validated().unwrap_err().field();
        let ok = event((2026, 2, 3), " 7:05 ", Repeat::EveryWeeks { weeks: 2 });
        let clean = ok.clone().validated().unwrap();
        assert_eq!(clean.start_time, "07:05");
        assert_eq!(
            field(EventInput {
                title: "  ".into(),
                ..ok.clone()
            }),
            Some("title")
        );
        assert_eq!(
            field(EventInput {
                start_time: "25:00".into(),
                ..ok.clone()
            }),
            Some("startTime")
        );
        assert_eq!(
            field(EventInput {
                repeat: Repeat::EveryWeeks { weeks: 0 },
                ..ok.clone()
            }),
            Some("repeat")
        );
        assert_eq!(
            field(EventInput {
                time_zone: Some("Mars/Base".into()),
                ..ok.clone()
            }),
            Some("timeZone")
        );
        assert_eq!(
            field(EventInput {
                link: Some("not a link".into()),
                ..ok.clone()
            }),
            Some("link")
        );
        assert_eq!(
            field(EventInput {
                attendee_ids: (0..=MAX_ATTENDEES as i64).collect(),
                ..ok
            }),
            Some("attendeeIds")
        );
    }
}
