//! Events and groups (PRODUCT.md §2): a user group that meets every few weeks, a conference,
//! an online session — with a date, a rhythm, a link and the people who go. Going to one
//! logs an interaction with each person met. Pure functions over an event and a `now`:
//! when it happens next, in its own time zone and across DST changes; they never run SQL.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::local_instant;
use crate::model::{link, long_text, optional_single_line, single_line, MAX_NOTES_CHARS};
use crate::{Error, Result};

/// Most people one event lists.
pub const MAX_ATTENDEES: usize = 500;
/// Most weeks between two meetings of a group.
pub const MAX_REPEAT_WEEKS: u32 = 52;

/// How an event repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum Repeat {
    /// Once.
    Never,
    /// Every `weeks` weeks on the same weekday (a meetup every 6 weeks).
    EveryWeeks { weeks: u32 },
    /// Each month on the same weekday of the month as the first date: the first Tuesday,
    /// the third Thursday, or the last Friday when the first date was the month's last.
    MonthlyOnWeekday,
}

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
        if let Repeat::EveryWeeks { weeks } = self.repeat {
            if !(1..=MAX_REPEAT_WEEKS).contains(&weeks) {
                return Err(Error::invalid(
                    "repeat",
                    format!("Repeat every 1 to {MAX_REPEAT_WEEKS} weeks."),
                ));
            }
        }
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
            repeat: self.repeat,
            time_zone: crate::model::time_zone(self.time_zone)?,
            location: optional_single_line("location", "The place", self.location)?,
            link,
            notes: long_text("notes", "Notes", self.notes, MAX_NOTES_CHARS)?,
            attendee_ids,
        })
    }

    /// The wall-clock start time (validated events always have one).
    fn time(&self) -> NaiveTime {
        parse_time(&self.start_time).unwrap_or(NaiveTime::MIN)
    }

    /// The date of occurrence `n` (0 is the first date), if there is one.
    fn date_of(&self, n: u32) -> Option<NaiveDate> {
        match self.repeat {
            Repeat::Never => (n == 0).then_some(self.start_date),
            Repeat::EveryWeeks { weeks } => self
                .start_date
                .checked_add_signed(Duration::weeks(i64::from(weeks) * i64::from(n))),
            Repeat::MonthlyOnWeekday => {
                let month = self
                    .start_date
                    .with_day(1)?
                    .checked_add_months(Months::new(n))?;
                let weekday = self.start_date.weekday();
                let ordinal = (self.start_date.day() - 1) / 7; // 0 = first
                if is_last_of_month(self.start_date) && ordinal >= 3 {
                    last_weekday(month, weekday)
                } else {
                    NaiveDate::from_weekday_of_month_opt(
                        month.year(),
                        month.month(),
                        weekday,
                        u8::try_from(ordinal + 1).ok()?,
                    )
                }
            }
        }
    }

    /// The start of the first occurrence, in zone `tz`.
    pub fn first_start(&self, tz: Tz) -> Option<DateTime<Utc>> {
        self.date_of(0)
            .map(|d| local_instant(tz, d.and_time(self.time())))
    }

    /// The start of the first occurrence that starts at or after `from`, in zone `tz`
    /// (the event's own zone, see [`Event::zone`]).
    pub fn next_start(&self, tz: Tz, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let start = |n: u32| {
            self.date_of(n)
                .map(|d| local_instant(tz, d.and_time(self.time())))
        };
        // Jump close to `from`, then walk: never more than a few steps.
        let from_date = from.with_timezone(&tz).date_naive();
        let days = (from_date - self.start_date).num_days().max(0) - 1;
        let mut n = match self.repeat {
            Repeat::Never => 0,
            Repeat::EveryWeeks { weeks } => {
                u32::try_from(days.max(0) / (7 * i64::from(weeks))).unwrap_or(u32::MAX)
            }
            Repeat::MonthlyOnWeekday => u32::try_from(days.max(0) / 31).unwrap_or(u32::MAX),
        };
        for _ in 0..64 {
            let at = start(n)?;
            if at >= from {
                return Some(at);
            }
            n = n.checked_add(1)?;
        }
        None
    }
}

/// `date` is in the last seven days of its month.
fn is_last_of_month(date: NaiveDate) -> bool {
    date.checked_add_signed(Duration::days(7))
        .is_none_or(|d| d.month() != date.month())
}

/// The last `weekday` of the month that starts on `first`.
fn last_weekday(first: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let next_month = first.checked_add_months(Months::new(1))?;
    let last = next_month.pred_opt()?;
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    last.checked_sub_signed(Duration::days(i64::from(back)))
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
    pub attendees: Vec<Attendee>,
}

/// How long after its start an occurrence still counts as "next".
pub const STILL_ON_HOURS: i64 = 6;

/// The start of the latest occurrence at or before `now`.
pub fn last_start(event: &EventInput, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    // No occurrence is further apart from the next than one rhythm (a month is at most
    // five weeks between the same weekdays).
    let first = event.first_start(tz)?;
    let mut from = match event.repeat {
        Repeat::Never => first,
        Repeat::EveryWeeks { weeks } => now - Duration::weeks(i64::from(weeks)),
        Repeat::MonthlyOnWeekday => now - Duration::weeks(5),
    }
    .max(first);
    let mut last = None;
    while let Some(at) = event.next_start(tz, from) {
        if at > now {
            break;
        }
        last = Some(at);
        from = at + Duration::seconds(1);
    }
    last
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const BERLIN: Tz = chrono_tz::Europe::Berlin;

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

    fn local(at: DateTime<Utc>) -> String {
        at.with_timezone(&BERLIN)
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn a_group_every_six_weeks_keeps_its_wall_clock_time_across_dst() {
        // Tuesday 3 February 2026, 18:30 in Berlin, every 6 weeks.
        let e = event((2026, 2, 3), "18:30", Repeat::EveryWeeks { weeks: 6 });
        let next = |from| local(e.next_start(BERLIN, from).unwrap());
        assert_eq!(next(utc(2026, 1, 1, 0)), "Tue 2026-02-03 18:30");
        assert_eq!(next(utc(2026, 2, 4, 0)), "Tue 2026-03-17 18:30");
        // After the spring change (29 March) still 18:30 local, now 16:30 UTC.
        let april = e.next_start(BERLIN, utc(2026, 3, 18, 0)).unwrap();
        assert_eq!(local(april), "Tue 2026-04-28 18:30");
        assert_eq!(april, Utc.with_ymd_and_hms(2026, 4, 28, 16, 30, 0).unwrap());
        // Exactly at the start counts as next; a second later the one after.
        assert_eq!(e.next_start(BERLIN, april), Some(april));
        assert_eq!(
            local(e.next_start(BERLIN, april + Duration::seconds(1)).unwrap()),
            "Tue 2026-06-09 18:30"
        );
        // Years ahead, still on a Tuesday.
        assert!(next(utc(2030, 1, 1, 0)).starts_with("Tue 2030-01"));
    }

    #[test]
    fn monthly_groups_keep_their_weekday_of_the_month() {
        // The first Thursday: 5 February 2026.
        let first = event((2026, 2, 5), "19:00", Repeat::MonthlyOnWeekday);
        assert_eq!(
            local(first.next_start(BERLIN, utc(2026, 2, 6, 0)).unwrap()),
            "Thu 2026-03-05 19:00"
        );
        assert_eq!(
            local(first.next_start(BERLIN, utc(2026, 3, 6, 0)).unwrap()),
            "Thu 2026-04-02 19:00"
        );
        // The last Friday: 30 January 2026; February's is the 27th, May's the 29th.
        let last = event((2026, 1, 30), "17:00", Repeat::MonthlyOnWeekday);
        assert_eq!(
            local(last.next_start(BERLIN, utc(2026, 2, 1, 0)).unwrap()),
            "Fri 2026-02-27 17:00"
        );
        assert_eq!(
            local(last.next_start(BERLIN, utc(2026, 5, 1, 0)).unwrap()),
            "Fri 2026-05-29 17:00"
        );
        // The fourth Monday that is not the last (22 June 2026; June has a 29th).
        let fourth = event((2026, 6, 22), "12:00", Repeat::MonthlyOnWeekday);
        assert_eq!(
            local(fourth.next_start(BERLIN, utc(2026, 6, 23, 0)).unwrap()),
            "Mon 2026-07-27 12:00"
        );
    }

    #[test]
    fn a_one_off_event_is_over_once_it_began_and_the_last_one_is_known() {
        let once = event((2026, 5, 20), "09:00", Repeat::Never);
        assert!(once.next_start(BERLIN, utc(2026, 5, 19, 0)).is_some());
        assert_eq!(once.next_start(BERLIN, utc(2026, 5, 21, 0)), None);
        assert_eq!(last_start(&once, BERLIN, utc(2026, 5, 19, 0)), None);
        assert_eq!(
            last_start(&once, BERLIN, utc(2026, 6, 1, 0)).map(local),
            Some("Wed 2026-05-20 09:00".into())
        );
        let weekly = event((2026, 1, 6), "18:00", Repeat::EveryWeeks { weeks: 1 });
        assert_eq!(
            last_start(&weekly, BERLIN, utc(2026, 11, 23, 12)).map(local),
            Some("Tue 2026-11-17 18:00".into())
        );
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
