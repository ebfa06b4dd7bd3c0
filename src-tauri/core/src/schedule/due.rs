//! What is due between two instants: the digest on working days, every occurrence of the
//! user's reminders, open follow-ups and birthdays at the nudge time, event starts an hour
//! ahead and "Did you reach them?" after a call — each moved past quiet hours. Pure: the
//! store loads the [`Sources`] for the [`Window`] a check needs and hands them in.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{DayRules, Due, ReminderKind, Source, CALL_CHECK_AFTER, EVENT_LEAD};
use crate::events::Event;
use crate::reminder::Reminder;

/// An open follow-up of an active contact, due on `due_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpDue {
    pub id: i64,
    pub contact_id: i64,
    pub title: String,
    pub due_on: NaiveDate,
}

/// An active contact's birthday, falling on `on` (see [`crate::calendar::birthday_in`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthdayOn {
    pub on: NaiveDate,
    pub contact_id: i64,
    pub name: String,
}

/// A call the user started from a nudge (its occurrence is "calling").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallStarted {
    pub occurrence_id: i64,
    pub contact_id: i64,
    pub name: String,
    pub at: DateTime<Utc>,
}

/// What a check of `(from, to]` must load: occurrences held by quiet hours are due when
/// they end, so it looks back as far as they can last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The earliest instant whose occurrence can still be due in the window.
    pub early: DateTime<Utc>,
    /// The user's days around it (follow-ups and birthdays on these days).
    pub days: Vec<NaiveDate>,
    /// Calls started in this span are asked about in the window.
    pub calls_from: DateTime<Utc>,
    pub calls_to: DateTime<Utc>,
}

impl Window {
    pub fn new(rules: &DayRules, from: DateTime<Utc>, to: DateTime<Utc>) -> Window {
        let early = from - rules.longest_wait();
        Window {
            from,
            to,
            early,
            days: rules.days_around(early, to),
            calls_from: early - CALL_CHECK_AFTER,
            calls_to: to - CALL_CHECK_AFTER,
        }
    }
}

/// Everything the due rules read, as the store loads it for a [`Window`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub reminders: Vec<Reminder>,
    pub follow_ups: Vec<FollowUpDue>,
    pub birthdays: Vec<BirthdayOn>,
    pub events: Vec<Event>,
    pub calls: Vec<CallStarted>,
}

/// Every occurrence due in the window, after quiet hours.
pub fn due_between(rules: &DayRules, window: &Window, sources: &Sources) -> Vec<Due> {
    let (early, to) = (window.early, window.to);
    let mut raw: Vec<Due> = Vec::new();
    let mut push = |source: Source, kind, contact_id, title: String, at| {
        raw.push(Due {
            source,
            kind,
            contact_id,
            title,
            due_at: at,
        })
    };
    for at in rules.digests(early, to) {
        push(
            Source::Digest,
            ReminderKind::Digest,
            None,
            "Today's plan".into(),
            at,
        );
    }
    for r in &sources.reminders {
        let source = Source::Reminder { id: r.id };
        let kind = r.kind();
        for at in r.fields.series(r.zone()).between(early, to) {
            push(
                source,
                kind,
                r.fields.contact_id,
                r.fields.title.clone(),
                at,
            );
        }
    }
    for f in &sources.follow_ups {
        push(
            Source::FollowUp { id: f.id },
            ReminderKind::FollowUp,
            Some(f.contact_id),
            f.title.clone(),
            rules.nudge_on(f.due_on),
        );
    }
    for b in &sources.birthdays {
        push(
            Source::Birthday {
                contact_id: b.contact_id,
                year: b.on.year(),
            },
            ReminderKind::Birthday,
            Some(b.contact_id),
            format!("{}'s birthday", b.name),
            rules.nudge_on(b.on),
        );
    }
    for event in &sources.events {
        let series = event.fields.series(event.zone(rules.tz));
        for start in series.between(early + EVENT_LEAD, to + EVENT_LEAD) {
            push(
                Source::Event { id: event.id },
                ReminderKind::EventStart,
                None,
                event.fields.title.clone(),
                start - EVENT_LEAD,
            );
        }
    }
    for c in &sources.calls {
        push(
            Source::CallCheck {
                occurrence_id: c.occurrence_id,
            },
            ReminderKind::CallCheck,
            Some(c.contact_id),
            format!("Did you reach {}?", c.name),
            c.at + CALL_CHECK_AFTER,
        );
    }
    raw.into_iter()
        .map(|d| Due {
            due_at: rules.allowed(d.due_at),
            ..d
        })
        .filter(|d| d.due_at > window.from && d.due_at <= to)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventInput;
    use crate::reminder::ReminderInput;
    use crate::repeat::Repeat;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    /// Lisbon (UTC in winter), nudges at 09:00 on weekdays, quiet 22:00–07:00.
    fn rules() -> DayRules {
        super::super::weekday_rules(chrono_tz::Europe::Lisbon, (22, 7))
    }

    fn reminder(id: i64, title: &str, date: &str, time: &str, repeat: Repeat) -> Reminder {
        Reminder {
            id,
            fields: ReminderInput {
                contact_id: Some(id * 10),
                title: title.into(),
                date: date.parse().unwrap(),
                time: time.into(),
                repeat,
            },
            time_zone: "Europe/Lisbon".into(),
            repeats: String::new(),
            created_at: at("2026-11-01T00:00:00Z"),
        }
    }

    fn due(from: &str, to: &str, sources: &Sources) -> Vec<(String, String)> {
        let rules = rules();
        let window = Window::new(&rules, at(from), at(to));
        let mut found: Vec<(String, String)> = due_between(&rules, &window, sources)
            .into_iter()
            .map(|d| {
                let at = d.due_at.format("%a %d %H:%M").to_string();
                (d.source.to_string(), at)
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn the_digest_comes_on_working_days_only() {
        // Friday 27 to Monday 30 November 2026.
        let found = due(
            "2026-11-27T00:00:00Z",
            "2026-11-30T23:59:00Z",
            &Sources::default(),
        );
        assert_eq!(
            found,
            [
                ("digest".into(), "Fri 27 09:00".into()),
                ("digest".into(), "Mon 30 09:00".into())
            ]
        );
    }

    #[test]
    fn reminders_come_at_their_time_and_quiet_hours_hold_them_till_morning() {
        let sources = Sources {
            reminders: vec![
                reminder(1, "Call Bob", "2026-11-24", "10:30", Repeat::Never),
                reminder(2, "Late one", "2026-11-24", "23:15", Repeat::Never),
                // Every Tuesday from 3 November.
                reminder(
                    3,
                    "Call Mum",
                    "2026-11-03",
                    "18:00",
                    Repeat::EveryWeeks { weeks: 1 },
                ),
                reminder(4, "Long gone", "2026-10-01", "10:00", Repeat::Never),
            ],
            ..Sources::default()
        };
        let found = due("2026-11-24T00:00:00Z", "2026-11-25T12:00:00Z", &sources);
        assert_eq!(
            found,
            [
                ("digest".into(), "Tue 24 09:00".into()),
                ("digest".into(), "Wed 25 09:00".into()),
                ("reminder:1".into(), "Tue 24 10:30".into()),
                // 23:15 is quiet: it waits for 07:00.
                ("reminder:2".into(), "Wed 25 07:00".into()),
                ("reminder:3".into(), "Tue 24 18:00".into()),
            ]
        );
    }

    #[test]
    fn follow_ups_birthdays_events_and_calls_each_come_when_they_should() {
        let sources = Sources {
            follow_ups: vec![FollowUpDue {
                id: 7,
                contact_id: 3,
                title: "Send the slides".into(),
                due_on: "2026-11-24".parse().unwrap(),
            }],
            birthdays: vec![BirthdayOn {
                on: "2026-11-24".parse().unwrap(),
                contact_id: 4,
                name: "Priya".into(),
            }],
            events: vec![Event {
                id: 5,
                fields: EventInput {
                    title: "Rust meetup".into(),
                    start_date: "2026-11-03".parse().unwrap(),
                    start_time: "19:00".into(),
                    repeat: Repeat::EveryWeeks { weeks: 3 },
                    time_zone: None,
                    location: None,
                    link: None,
                    notes: None,
                    attendee_ids: Vec::new(),
                },
                created_at: at("2026-11-01T00:00:00Z"),
                updated_at: at("2026-11-01T00:00:00Z"),
            }],
            calls: vec![CallStarted {
                occurrence_id: 9,
                contact_id: 3,
                name: "Bob".into(),
                at: at("2026-11-24T15:00:00Z"),
            }],
            ..Sources::default()
        };
        let found = due("2026-11-24T08:00:00Z", "2026-11-24T21:00:00Z", &sources);
        let event_at = (at("2026-11-24T19:00:00Z") - EVENT_LEAD)
            .format("%a %d %H:%M")
            .to_string();
        let call_at = (at("2026-11-24T15:00:00Z") + CALL_CHECK_AFTER)
            .format("%a %d %H:%M")
            .to_string();
        assert_eq!(
            found,
            [
                ("birthday:4:2026".into(), "Tue 24 09:00".into()),
                ("callCheck:9".into(), call_at),
                ("digest".into(), "Tue 24 09:00".into()),
                ("event:5".into(), event_at),
                ("followUp:7".into(), "Tue 24 09:00".into()),
            ]
        );
        // Outside the window, none of them.
        assert_eq!(
            due("2026-11-25T10:00:00Z", "2026-11-25T12:00:00Z", &sources),
            Vec::<(String, String)>::new()
        );
    }
}
