//! The reminders the user sets, and what the due rules read: [`Store::due_between`] loads
//! the sources [`crate::schedule::due_between`] needs (reminders, follow-ups, birthdays,
//! events, calls) and [`Store::nudge_text`] what [`crate::nudge`] words. Firing and the
//! delivery log are in `occurrences.rs`. Never reads the clock: callers pass `now`.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{named_params, OptionalExtension, Row};

use super::{from_db_time, to_db_time, Store};
use crate::calendar::{self, local_instant};
use crate::model::single_line;
use crate::nudge::{self, NudgeText};
use crate::reminder::{Occurrence, Reminder, ReminderInput};
use crate::repeat::{self, Repeat};
use crate::schedule::{self, DayRules, Due, ReminderKind};
use crate::{Error, Result};

impl Store {
    /// The one nudge for occurrences fired together (see [`crate::nudge`]), with the
    /// names, Today's plan and the zone its words need. `None` for a digest with nobody to
    /// suggest (it stays quiet).
    pub fn nudge_text(
        &self,
        fired: &[Occurrence],
        now: DateTime<Utc>,
    ) -> Result<Option<NudgeText>> {
        let tz = self.day_rules()?.tz;
        let plan = if fired.iter().any(|o| o.kind == ReminderKind::Digest) {
            self.today(now, self.preferences()?.daily_budget as usize)?
        } else {
            Vec::new()
        };
        let mut texts = Vec::new();
        for o in fired {
            let name = match o.contact_id {
                Some(id) => Some(self.get_contact(id)?.display_name),
                None => None,
            };
            let context = nudge::Context {
                name: name.as_deref(),
                plan: &plan,
                tz,
            };
            texts.extend(nudge::word(o, &context));
        }
        Ok(nudge::combine(texts))
    }

    pub fn add_reminder(&mut self, input: ReminderInput, now: DateTime<Utc>) -> Result<Reminder> {
        let rules = self.day_rules()?;
        let input = self.checked_reminder(input, &rules, now)?;
        let id = self.write(|tx| insert_reminder(tx, &input, input.starts_at(), rules.tz, now))?;
        self.get_reminder(id)
    }

    pub fn delete_reminder(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            match tx.execute(
                "DELETE FROM reminders WHERE id = :id",
                named_params! { ":id": id },
            )? {
                0 => Err(Error::NotFound {
                    what: "reminder",
                    id,
                }),
                _ => Ok(()),
            }
        })
    }

    pub fn get_reminder(&self, id: i64) -> Result<Reminder> {
        load(&self.conn, id)
    }

    pub fn list_reminders(&self) -> Result<Vec<Reminder>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {REMINDER_COLUMNS} FROM reminders ORDER BY id"
        ))?;
        let rows = stmt.query_map([], reminder_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every occurrence of every reminder due in `(from, to]`, after quiet hours (the
    /// rules are [`schedule::due_between`]; this loads what they read).
    pub fn due_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Due>> {
        let rules = self.day_rules()?;
        let window = schedule::Window::new(&rules, from, to);
        let sources = self.read(|conn| {
            Ok(schedule::Sources {
                reminders: self.list_reminders()?,
                follow_ups: follow_ups_due(conn, &window.days)?,
                birthdays: window
                    .days
                    .iter()
                    .map(|day| self.birthdays_on(*day))
                    .collect::<Result<Vec<_>>>()?
                    .into_iter()
                    .flatten()
                    .collect(),
                events: self.all_events()?,
                calls: calls_started(conn, &window)?,
            })
        })?;
        Ok(schedule::due_between(&rules, &window, &sources))
    }

    /// Active contacts whose birthday falls on `date` ([`calendar::birthdays_falling_on`]).
    fn birthdays_on(&self, date: NaiveDate) -> Result<Vec<schedule::BirthdayOn>> {
        let days = calendar::birthdays_falling_on(date);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, display_name FROM contacts
             WHERE archived_at IS NULL AND birthday IS NOT NULL
               AND substr(birthday, -5) IN (SELECT value FROM json_each(:days))",
        )?;
        let days = serde_json::to_string(&days).unwrap_or_else(|_| "[]".into());
        let rows = stmt.query_map(named_params! { ":days": days }, |r| {
            Ok(schedule::BirthdayOn {
                on: date,
                contact_id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A reminder cleaned and checked: a title, a real contact, a valid time and rhythm, and
    /// for a one-off, a time still ahead.
    fn checked_reminder(
        &self,
        input: ReminderInput,
        rules: &DayRules,
        now: DateTime<Utc>,
    ) -> Result<ReminderInput> {
        let title = single_line("title", "The reminder", &input.title)?
            .ok_or_else(|| Error::invalid("title", "Say what to be reminded of."))?;
        let time = chrono::NaiveTime::parse_from_str(input.time.trim(), "%H:%M").map_err(|_| {
            Error::invalid(
                "time",
                format!("“{}” is not a time of day such as 09:00.", input.time),
            )
        })?;
        if let Some(contact) = input.contact_id {
            self.get_contact(contact).map_err(|_| {
                Error::invalid("contactId", format!("There is no contact {contact}."))
            })?;
        }
        if !(2000..=2200).contains(&input.date.year()) {
            return Err(Error::invalid("date", "That date is out of range."));
        }
        let repeat = input.repeat.validated()?;
        if repeat == Repeat::Never && local_instant(rules.tz, input.date.and_time(time)) <= now {
            return Err(Error::invalid(
                "date",
                "That time has passed: choose one ahead.",
            ));
        }
        Ok(ReminderInput {
            contact_id: input.contact_id,
            title,
            date: input.date,
            time: time.format("%H:%M").to_string(),
            repeat,
        })
    }
}

/// Open follow-ups of active contacts due on one of `days`.
fn follow_ups_due(
    conn: &rusqlite::Connection,
    days: &[NaiveDate],
) -> Result<Vec<schedule::FollowUpDue>> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.contact_id, f.title, f.due_on FROM follow_ups f
         JOIN contacts c ON c.id = f.contact_id
         WHERE f.completed_at IS NULL AND c.archived_at IS NULL
           AND f.due_on BETWEEN :first AND :last",
    )?;
    let rows = stmt.query_map(
        named_params! { ":first": first.to_string(), ":last": last.to_string() },
        |r| {
            let due_on: String = r.get(3)?;
            let due_on = due_on.parse::<NaiveDate>().map_err(|_| {
                rusqlite::Error::FromSqlConversionFailure(
                    3,
                    rusqlite::types::Type::Text,
                    format!("unreadable date “{due_on}” in the follow_ups table").into(),
                )
            })?;
            Ok(schedule::FollowUpDue {
                id: r.get(0)?,
                contact_id: r.get(1)?,
                title: r.get(2)?,
                due_on,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Calls started from a nudge in the window's span, to ask about.
fn calls_started(
    conn: &rusqlite::Connection,
    window: &schedule::Window,
) -> Result<Vec<schedule::CallStarted>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.contact_id, c.display_name, o.acted_at FROM occurrences o
         JOIN contacts c ON c.id = o.contact_id
         WHERE o.state = 'calling' AND o.acted_at BETWEEN :from AND :to",
    )?;
    let rows = stmt.query_map(
        named_params! {
            ":from": to_db_time(window.calls_from),
            ":to": to_db_time(window.calls_to),
        },
        |r| {
            Ok(schedule::CallStarted {
                occurrence_id: r.get(0)?,
                contact_id: r.get(1)?,
                name: r.get(2)?,
                at: from_db_time(r.get(3)?)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes a checked reminder starting at `starts` (wall-clock in `tz`); returns its id.
/// Reminder `id`.
pub(crate) fn load(conn: &rusqlite::Connection, id: i64) -> Result<Reminder> {
    conn.prepare_cached(&format!(
        "SELECT {REMINDER_COLUMNS} FROM reminders WHERE id = :id"
    ))?
    .query_row(named_params! { ":id": id }, reminder_from_row)
    .optional()?
    .ok_or(Error::NotFound {
        what: "reminder",
        id,
    })
}

pub(super) fn insert_reminder(
    tx: &rusqlite::Connection,
    input: &ReminderInput,
    starts: NaiveDateTime,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO reminders (contact_id, title, starts_at, time_zone, repeat, created_at)
         VALUES (:contact, :title, :starts, :zone, :repeat, :now)",
    )?
    .execute(named_params! {
        ":contact": input.contact_id,
        ":title": input.title,
        ":starts": starts.format("%Y-%m-%dT%H:%M").to_string(),
        ":zone": tz.name(),
        ":repeat": input.repeat,
        ":now": to_db_time(now),
    })?;
    Ok(tx.last_insert_rowid())
}

/// Migration 10: each reminder's RFC 5545 `rule` as the [`Repeat`] it means, its first date
/// moved to the first the rule names; then the column goes. A rule no `Repeat` says (none
/// that Kith's window wrote) is kept in words: the reminder stays, once, its title ending in
/// "(repeated: FREQ=…)", so the user can set it again.
pub(super) fn type_stored_rules(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let stored: Vec<(i64, String, String, String)> = tx
        .prepare("SELECT id, title, starts_at, rule FROM reminders WHERE rule IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare(
        "UPDATE reminders SET repeat = :repeat, starts_at = :starts, title = :title
         WHERE id = :id",
    )?;
    for (id, title, starts_at, rule) in stored {
        let starts = NaiveDateTime::parse_from_str(&starts_at, "%Y-%m-%dT%H:%M")
            .map_err(|_| Error::Corrupt(format!("reminder {id} starts at “{starts_at}”")))?;
        let (repeat, first, title) = match repeat::from_rule(&rule, starts.date()) {
            _ if rule.trim().is_empty() => (Repeat::Never, starts.date(), title),
            Some((repeat, first)) => (repeat, first, title),
            None => (
                Repeat::Never,
                starts.date(),
                format!("{title} (repeated: {rule})"),
            ),
        };
        update.execute(named_params! {
            ":id": id,
            ":repeat": repeat,
            ":starts": first.and_time(starts.time()).format("%Y-%m-%dT%H:%M").to_string(),
            ":title": title,
        })?;
    }
    tx.execute_batch("ALTER TABLE reminders DROP COLUMN rule")?;
    Ok(())
}

const REMINDER_COLUMNS: &str = "id, contact_id, title, starts_at, time_zone, repeat, created_at";

fn reminder_from_row(row: &Row<'_>) -> rusqlite::Result<Reminder> {
    let starts: String = row.get("starts_at")?;
    let starts = NaiveDateTime::parse_from_str(&starts, "%Y-%m-%dT%H:%M").map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            "unreadable time in the reminders table".into(),
        )
    })?;
    let repeat: Repeat = row.get("repeat")?;
    Ok(Reminder {
        id: row.get("id")?,
        fields: ReminderInput {
            contact_id: row.get("contact_id")?,
            title: row.get("title")?,
            date: starts.date(),
            time: starts.format("%H:%M").to_string(),
            repeat,
        },
        time_zone: row.get("time_zone")?,
        repeats: repeat.words(starts.date()),
        created_at: from_db_time(row.get("created_at")?)?,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::TimeZone;
    use chrono_tz::Tz;

    use chrono::Duration;

    use super::*;
    use crate::events::EventInput;
    use crate::history::FollowUpInput;
    use crate::history::{InteractionInput, InteractionKind};
    use crate::repeat::Repeat;

    use crate::preferences::Preferences;
    use crate::store::tests::temp_store;

    const LISBON: Tz = chrono_tz::Europe::Lisbon;

    /// Lisbon wall-clock time.
    pub(crate) fn at(d: (i32, u32, u32), h: u32, m: u32) -> DateTime<Utc> {
        LISBON
            .with_ymd_and_hms(d.0, d.1, d.2, h, m, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Monday 23 November 2026, 07:00 in Lisbon (UTC+0 in winter).
    pub(crate) fn monday() -> DateTime<Utc> {
        at((2026, 11, 23), 7, 0)
    }

    pub(crate) fn lisbon_store() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = temp_store();
        let prefs = store.preferences().unwrap();
        store
            .set_preferences(Preferences {
                time_zone: "Europe/Lisbon".into(),
                nudge_time: "09:00".into(),
                ..prefs
            })
            .unwrap();
        (dir, store)
    }

    pub(crate) fn person(store: &mut Store, name: &str, birthday: Option<(u32, u32)>) -> i64 {
        let someone = crate::testing::person(name);
        match birthday {
            Some((month, day)) => someone.birthday(month, day),
            None => someone,
        }
        .add(store, monday() - Duration::days(100))
        .unwrap()
    }

    pub(crate) fn summary(dues: &[Due]) -> Vec<(String, String)> {
        dues.iter()
            .map(|d| {
                (
                    d.source.to_string(),
                    d.due_at
                        .with_timezone(&LISBON)
                        .format("%a %H:%M")
                        .to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn every_kind_of_reminder_is_due_at_its_time_after_quiet_hours() {
        let (_dir, mut store) = lisbon_store();
        let ana = person(&mut store, "Ana", Some((11, 24)));
        let bob = person(&mut store, "Bob", None);
        store
            .add_follow_up(
                FollowUpInput {
                    contact_id: bob,
                    interaction_id: None,
                    title: "Send Bob the deck".into(),
                    due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
                },
                monday() - Duration::days(2),
            )
            .unwrap();
        // "Call Bob every first Monday" would be next in December; every Tuesday at 22:30
        // falls in quiet hours and waits until 08:00.
        store
            .add_reminder(
                ReminderInput {
                    contact_id: Some(bob),
                    title: "Call Bob".into(),
                    date: NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
                    time: "22:30".into(),
                    repeat: Repeat::EveryWeeks { weeks: 1 },
                },
                monday(),
            )
            .unwrap();
        store
            .add_reminder(
                ReminderInput {
                    contact_id: None,
                    title: "Book the venue".into(),
                    date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                    time: "15:45".into(),
                    repeat: Repeat::Never,
                },
                monday(),
            )
            .unwrap();
        store
            .add_event(
                EventInput {
                    title: "Rust meetup".into(),
                    start_date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                    start_time: "18:30".into(),
                    repeat: Repeat::Never,
                    time_zone: None,
                    location: None,
                    link: None,
                    notes: None,
                    attendee_ids: vec![ana],
                },
                monday(),
            )
            .unwrap();
        let dues = store
            .due_between(monday(), at((2026, 11, 25), 8, 30))
            .unwrap();
        let mut got = summary(&dues);
        got.sort_by_key(|(source, time)| (time.clone(), source.clone()));
        let want: Vec<(String, String)> = [
            ("digest", "Mon 09:00"),
            ("followUp:1", "Mon 09:00"),
            ("reminder:2", "Mon 15:45"),
            ("birthday:1:2026", "Tue 09:00"),
            ("digest", "Tue 09:00"),
            ("event:1", "Tue 17:30"),
            ("reminder:1", "Wed 08:00"),
        ]
        .iter()
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect();
        let mut want = want;
        want.sort_by_key(|(source, time)| (time.clone(), source.clone()));
        assert_eq!(got, want);
        assert_eq!(
            store.next_due(monday()).unwrap(),
            Some(at((2026, 11, 23), 9, 0))
        );
    }

    #[test]
    fn bad_reminders_are_refused_in_words_and_store_nothing() {
        let (_dir, mut store) = lisbon_store();
        let good = || ReminderInput {
            contact_id: None,
            title: "Call Bob".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            time: "10:00".into(),
            repeat: Repeat::MonthlyOnWeekday,
        };
        for (bad, field) in [
            (
                ReminderInput {
                    title: " ".into(),
                    ..good()
                },
                "title",
            ),
            (
                ReminderInput {
                    time: "10h".into(),
                    ..good()
                },
                "time",
            ),
            (
                ReminderInput {
                    repeat: Repeat::EveryWeeks { weeks: 0 },
                    ..good()
                },
                "repeat",
            ),
            (
                ReminderInput {
                    date: NaiveDate::from_ymd_opt(1900, 12, 3).unwrap(),
                    ..good()
                },
                "date",
            ),
            (
                ReminderInput {
                    contact_id: Some(99),
                    ..good()
                },
                "contactId",
            ),
            (
                ReminderInput {
                    date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                    repeat: Repeat::Never,
                    ..good()
                },
                "date",
            ),
        ] {
            assert_eq!(
                store.add_reminder(bad, monday()).unwrap_err().field(),
                Some(field)
            );
        }
        assert!(store.list_reminders().unwrap().is_empty());
        let r = store.add_reminder(good(), monday()).unwrap();
        assert_eq!(r.time_zone, "Europe/Lisbon");
        assert_eq!(store.list_reminders().unwrap(), std::slice::from_ref(&r));
        store.delete_reminder(r.id).unwrap();
        assert_eq!(
            store.delete_reminder(r.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn a_nudge_says_who_why_and_what_and_several_become_one() {
        let (_dir, mut store) = lisbon_store();
        let priya = person(&mut store, "Priya", Some((11, 23)));
        let marcus = person(&mut store, "Marcus", None);
        for (id, days) in [(priya, 95), (marcus, 120)] {
            store
                .log_interaction(
                    InteractionInput {
                        contact_ids: vec![id],
                        kind: InteractionKind::Coffee,
                        occurred_at: monday() - Duration::days(days),
                        direction: None,
                        notes: None,
                    },
                    monday(),
                )
                .unwrap();
        }
        store.fire_due(monday()).unwrap();
        let fired = store.fire_due(at((2026, 11, 23), 9, 0)).unwrap();
        let digest: Vec<Occurrence> = fired
            .iter()
            .filter(|o| o.kind == ReminderKind::Digest)
            .cloned()
            .collect();
        let text = store
            .nudge_text(&digest, at((2026, 11, 23), 9, 0))
            .unwrap()
            .unwrap();
        assert_eq!(text.summary, "Wish Priya a happy birthday — birthday today");
        assert_eq!(
            text.body,
            "Due 5 days ago (every 90 days)\nAlso today: Marcus"
        );
        assert_eq!(text.contact_id, Some(priya));
        // The digest and the birthday, due together, are one nudge.
        assert_eq!(fired.len(), 2);
        let both = store
            .nudge_text(&fired, at((2026, 11, 23), 9, 0))
            .unwrap()
            .unwrap();
        assert_eq!(both.summary, "2 reminders");
        assert!(
            both.body.contains("• Priya's birthday today"),
            "{}",
            both.body
        );
        assert_eq!(both.contact_id, None);
    }
}
