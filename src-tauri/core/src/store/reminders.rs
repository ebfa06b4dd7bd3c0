//! Reminders and their occurrences: the reminders the user sets, what is due between two
//! instants (those plus the digest, follow-ups, birthdays and event starts, all computed
//! from the data through [`crate::schedule`]), firing each occurrence exactly once, and the
//! delivery log. Never sleeps and never reads the clock: the app's scheduler passes `now`.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{named_params, OptionalExtension, Row};

use super::{from_db_time, to_db_time, Store};
use crate::calendar::local_instant;
use crate::history::{Direction, Interaction, InteractionInput, InteractionKind};
use crate::model::single_line;
use crate::nudge::{self, NudgeText};
pub use crate::reminder::{
    DeliveryChannel, Occurrence, OccurrenceAction, OccurrenceState, Reminder, ReminderInput,
};
use crate::schedule::{self, catch_up, DayRules, Due, ReminderKind};
use crate::{Error, Result};

/// How far back a check looks at most: after longer away, older occurrences are not
/// reconstructed (they would all be stale; the digest sums up what matters now).
const CATCH_UP_LIMIT: Duration = Duration::days(35);

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
        self.conn
            .prepare_cached(&format!(
                "SELECT {REMINDER_COLUMNS} FROM reminders WHERE id = :id"
            ))?
            .query_row(named_params! { ":id": id }, reminder_from_row)
            .optional()?
            .ok_or(Error::NotFound {
                what: "reminder",
                id,
            })
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

    /// Fires what is due at `now`: every occurrence due since the last check is logged once
    /// (the stale ones as missed), in one transaction with moving the checked-through mark,
    /// and the ones to deliver are returned. A first check only sets the mark. Run twice, or
    /// by two processes, an occurrence still fires once.
    pub fn fire_due(&mut self, now: DateTime<Utc>) -> Result<Vec<Occurrence>> {
        let Some(since) = self.checked_through()? else {
            self.write(|tx| {
                super::settings::put(tx, CHECKED_THROUGH, &to_db_time(now).to_string())
            })?;
            return Ok(Vec::new());
        };
        if now <= since {
            return Ok(Vec::new());
        }
        let dues = self.due_between(since.max(now - CATCH_UP_LIMIT), now)?;
        let (deliver, missed) = catch_up(dues);
        let fired = self.write(|tx| {
            // Someone else checked meanwhile: their check stands, this one adds nothing.
            let mark: Option<String> = super::settings::get(tx, CHECKED_THROUGH)?;
            if mark != Some(to_db_time(since).to_string()) {
                return Ok(Vec::new());
            }
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO occurrences
                     (source, kind, contact_id, title, due_at, fired_at, state)
                 VALUES (:source, :kind, :contact, :title, :due, :now, :state)",
            )?;
            let mut fired = Vec::new();
            for (d, state) in missed
                .iter()
                .map(|d| (d, OccurrenceState::Missed))
                .chain(deliver.iter().map(|d| (d, OccurrenceState::Fired)))
            {
                let added = insert.execute(named_params! {
                    ":source": d.source,
                    ":kind": crate::goals::name_of(d.kind),
                    ":contact": d.contact_id,
                    ":title": d.title,
                    ":due": to_db_time(d.due_at),
                    ":now": to_db_time(now),
                    ":state": crate::goals::name_of(state),
                })?;
                if added == 1 && state == OccurrenceState::Fired {
                    fired.push(tx.last_insert_rowid());
                }
            }
            super::settings::put(tx, CHECKED_THROUGH, &to_db_time(now).to_string())?;
            Ok(fired)
        })?;
        fired.into_iter().map(|id| self.occurrence(id)).collect()
    }

    /// When the next occurrence is due after the last check (or `now`, before the first).
    pub fn next_due(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let since = self.checked_through()?.unwrap_or(now);
        for days in [2, 9, 35, 400] {
            let found = self
                .due_between(since, since + Duration::days(days))?
                .into_iter()
                .map(|d| d.due_at)
                .min();
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    pub fn occurrence(&self, id: i64) -> Result<Occurrence> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {OCCURRENCE_COLUMNS} FROM occurrences WHERE id = :id"
            ))?
            .query_row(named_params! { ":id": id }, occurrence_from_row)
            .optional()?
            .ok_or(Error::NotFound {
                what: "occurrence",
                id,
            })
    }

    /// Occurrences that fired but were never delivered (the app stopped in between): shown
    /// in the app rather than notified again, so nothing is lost and nothing comes twice.
    pub fn undelivered(&self) -> Result<Vec<Occurrence>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {OCCURRENCE_COLUMNS} FROM occurrences
             WHERE state = 'fired' AND delivery IS NULL ORDER BY due_at, id"
        ))?;
        let rows = stmt.query_map([], occurrence_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The delivery log, newest first.
    pub fn occurrences(&self, limit: u32) -> Result<Vec<Occurrence>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {OCCURRENCE_COLUMNS} FROM occurrences ORDER BY due_at DESC, id DESC
             LIMIT :limit"
        ))?;
        let rows = stmt.query_map(named_params! { ":limit": limit }, occurrence_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mark_delivered(
        &mut self,
        id: i64,
        channel: DeliveryChannel,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE occurrences SET delivery = :channel, delivered_at = :now WHERE id = :id",
                named_params! {
                    ":id": id,
                    ":channel": crate::goals::name_of(channel),
                    ":now": to_db_time(now),
                },
            )?;
            match changed {
                0 => Err(Error::NotFound {
                    what: "occurrence",
                    id,
                }),
                _ => Ok(()),
            }
        })
    }

    /// Acts on a nudge: done logs a touch (of `kind`, a call by default) with its contact,
    /// snooze sets a one-off reminder a day later, dismiss only closes it. Acting twice
    /// changes nothing the second time.
    pub fn act_on_occurrence(
        &mut self,
        id: i64,
        action: OccurrenceAction,
        kind: Option<InteractionKind>,
        now: DateTime<Utc>,
    ) -> Result<(Occurrence, Option<Interaction>)> {
        let occurrence = self.occurrence(id)?;
        if occurrence.state != OccurrenceState::Fired {
            return Ok((occurrence, None));
        }
        let rules = self.day_rules()?;
        let logged = self.write(|tx| {
            let state = match action {
                OccurrenceAction::Done => OccurrenceState::Done,
                OccurrenceAction::Snooze => OccurrenceState::Snoozed,
                OccurrenceAction::Dismiss => OccurrenceState::Dismissed,
                OccurrenceAction::Call => OccurrenceState::Calling,
            };
            // Decided under the write lock: answered twice at once (the notification and
            // the window, or two processes), only the first answer counts.
            let changed = tx.execute(
                "UPDATE occurrences SET state = :state, acted_at = :now
                 WHERE id = :id AND state = 'fired'",
                named_params! {
                    ":id": id,
                    ":state": crate::goals::name_of(state),
                    ":now": to_db_time(now),
                },
            )?;
            if changed == 0 {
                return Ok(None);
            }
            // Answering "Did you reach them?" settles the call it asks about too.
            if let Some(call) = occurrence.source.strip_prefix("callCheck:") {
                tx.execute(
                    "UPDATE occurrences SET state = :state, acted_at = :now
                     WHERE id = :id AND state = 'calling'",
                    named_params! {
                        ":id": call.parse::<i64>().unwrap_or(-1),
                        ":state": crate::goals::name_of(state),
                        ":now": to_db_time(now),
                    },
                )?;
            }
            match (action, occurrence.contact_id) {
                (OccurrenceAction::Done, Some(contact)) => {
                    let input = InteractionInput {
                        contact_ids: vec![contact],
                        kind: kind.unwrap_or(InteractionKind::Call),
                        occurred_at: now,
                        direction: Some(Direction::Outbound),
                        notes: None,
                    }
                    .validated(now)?;
                    Ok(Some(super::interactions::insert_interaction(
                        tx, &input, None, now,
                    )?))
                }
                (OccurrenceAction::Snooze, contact) => {
                    let again = (now + Duration::days(1))
                        .with_timezone(&rules.tz)
                        .naive_local();
                    let once = ReminderInput {
                        contact_id: contact,
                        title: occurrence.title.clone(),
                        date: again.date(),
                        time: again.format("%H:%M").to_string(),
                        rule: None,
                    };
                    insert_reminder(tx, &once, again, rules.tz, now)?;
                    Ok(None)
                }
                _ => Ok(None),
            }
        })?;
        let interaction = logged.map(|i| self.get_interaction(i)).transpose()?;
        Ok((self.occurrence(id)?, interaction))
    }

    fn checked_through(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(super::settings::get(&self.conn, CHECKED_THROUGH)?
            .and_then(|v| v.parse::<i64>().ok())
            .map(from_db_time)
            .transpose()?)
    }

    /// Active contacts whose birthday is on `date` (29 February ones on 1 March otherwise).
    fn birthdays_on(&self, date: NaiveDate) -> Result<Vec<schedule::BirthdayOn>> {
        let mut days = vec![date.format("%m-%d").to_string()];
        if days[0] == "03-01"
            && NaiveDate::from_ymd_opt(chrono::Datelike::year(&date), 2, 29).is_none()
        {
            days.push("02-29".into());
        }
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

    /// A reminder cleaned and checked: a title, a real contact, a valid time and rule, and
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
        let rule = input
            .rule
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        let start = input.date.and_time(time);
        match &rule {
            Some(rule) => schedule::check_rule(rule, start, rules.tz)?,
            None if local_instant(rules.tz, start) <= now => {
                return Err(Error::invalid(
                    "date",
                    "That time has passed: choose one ahead.",
                ))
            }
            None => {}
        }
        Ok(ReminderInput {
            contact_id: input.contact_id,
            title,
            date: input.date,
            time: time.format("%H:%M").to_string(),
            rule,
        })
    }
}

const CHECKED_THROUGH: &str = "schedule_checked_through";

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
fn insert_reminder(
    tx: &rusqlite::Connection,
    input: &ReminderInput,
    starts: NaiveDateTime,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO reminders (contact_id, title, starts_at, time_zone, rule, created_at)
         VALUES (:contact, :title, :starts, :zone, :rule, :now)",
    )?
    .execute(named_params! {
        ":contact": input.contact_id,
        ":title": input.title,
        ":starts": starts.format("%Y-%m-%dT%H:%M").to_string(),
        ":zone": tz.name(),
        ":rule": input.rule,
        ":now": to_db_time(now),
    })?;
    Ok(tx.last_insert_rowid())
}

const REMINDER_COLUMNS: &str = "id, contact_id, title, starts_at, time_zone, rule, created_at";

fn reminder_from_row(row: &Row<'_>) -> rusqlite::Result<Reminder> {
    let starts: String = row.get("starts_at")?;
    let starts = NaiveDateTime::parse_from_str(&starts, "%Y-%m-%dT%H:%M").map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            "unreadable time in the reminders table".into(),
        )
    })?;
    Ok(Reminder {
        id: row.get("id")?,
        fields: ReminderInput {
            contact_id: row.get("contact_id")?,
            title: row.get("title")?,
            date: starts.date(),
            time: starts.format("%H:%M").to_string(),
            rule: row.get("rule")?,
        },
        time_zone: row.get("time_zone")?,
        created_at: from_db_time(row.get("created_at")?)?,
    })
}

const OCCURRENCE_COLUMNS: &str =
    "id, source, kind, contact_id, title, due_at, fired_at, state, delivery";

fn occurrence_from_row(row: &Row<'_>) -> rusqlite::Result<Occurrence> {
    let invalid = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown {what} in the occurrences table").into(),
        )
    };
    let delivery: Option<String> = row.get("delivery")?;
    Ok(Occurrence {
        id: row.get("id")?,
        source: row.get("source")?,
        kind: crate::goals::parse_name(&row.get::<_, String>("kind")?)
            .ok_or_else(|| invalid("kind"))?,
        contact_id: row.get("contact_id")?,
        title: row.get("title")?,
        due_at: from_db_time(row.get("due_at")?)?,
        fired_at: from_db_time(row.get("fired_at")?)?,
        state: crate::goals::parse_name(&row.get::<_, String>("state")?)
            .ok_or_else(|| invalid("state"))?,
        delivery: delivery
            .map(|d| crate::goals::parse_name(&d).ok_or_else(|| invalid("delivery")))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::TimeZone;
    use chrono_tz::Tz;

    use super::*;
    use crate::events::{EventInput, Repeat};
    use crate::history::FollowUpInput;
    use crate::model::{Birthday, ContactInput};
    use crate::store::tests::temp_store;
    use crate::store::Preferences;

    const LISBON: Tz = chrono_tz::Europe::Lisbon;

    /// Lisbon wall-clock time.
    fn at(d: (i32, u32, u32), h: u32, m: u32) -> DateTime<Utc> {
        LISBON
            .with_ymd_and_hms(d.0, d.1, d.2, h, m, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Monday 23 November 2026, 07:00 in Lisbon (UTC+0 in winter).
    fn monday() -> DateTime<Utc> {
        at((2026, 11, 23), 7, 0)
    }

    fn lisbon_store() -> (tempfile::TempDir, Store) {
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

    fn person(store: &mut Store, name: &str, birthday: Option<(u32, u32)>) -> i64 {
        store
            .add_contact(
                ContactInput {
                    display_name: name.into(),
                    birthday: birthday.map(|(month, day)| Birthday {
                        month,
                        day,
                        year: None,
                    }),
                    ..ContactInput::default()
                },
                monday() - Duration::days(100),
            )
            .unwrap()
            .id
    }

    fn summary(dues: &[Due]) -> Vec<(String, String)> {
        dues.iter()
            .map(|d| {
                (
                    d.source.clone(),
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
                    rule: Some("FREQ=WEEKLY;BYDAY=TU".into()),
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
                    rule: None,
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
            rule: Some("FREQ=MONTHLY;BYDAY=1MO".into()),
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
                    rule: Some("EVERY=MONDAY".into()),
                    ..good()
                },
                "rule",
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
                    rule: None,
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
        assert_eq!(store.delete_reminder(r.id).unwrap_err().kind(), "notFound");
    }

    #[test]
    fn three_days_off_give_one_digest_and_nothing_fires_twice_after_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut store = Store::open(&path).unwrap();
            let prefs = store.preferences().unwrap();
            store
                .set_preferences(Preferences {
                    time_zone: "Europe/Lisbon".into(),
                    ..prefs
                })
                .unwrap();
            // The first check only marks where the scheduler starts.
            assert!(store.fire_due(monday()).unwrap().is_empty());
        }
        // Off from Monday 07:00 to Thursday 10:00: four digests were due, one is sent.
        let thursday = at((2026, 11, 26), 10, 0);
        let fired = {
            let mut store = Store::open(&path).unwrap();
            store.fire_due(thursday).unwrap()
        };
        assert_eq!(fired.len(), 1, "{fired:?}");
        assert_eq!(fired[0].kind, ReminderKind::Digest);
        assert_eq!(fired[0].due_at, at((2026, 11, 26), 9, 0));
        // The app stopped before delivering it: after a restart it is not fired again, but
        // it is there to show.
        let mut store = Store::open(&path).unwrap();
        assert!(store
            .fire_due(thursday + Duration::minutes(1))
            .unwrap()
            .is_empty());
        assert_eq!(store.undelivered().unwrap(), fired);
        let log = store.occurrences(10).unwrap();
        let states: Vec<OccurrenceState> = log.iter().map(|o| o.state).collect();
        assert_eq!(
            states,
            [
                OccurrenceState::Fired,
                OccurrenceState::Missed,
                OccurrenceState::Missed,
                OccurrenceState::Missed
            ]
        );
        store
            .mark_delivered(fired[0].id, DeliveryChannel::InApp, thursday)
            .unwrap();
        assert!(store.undelivered().unwrap().is_empty());
        // A clock set back fires nothing again.
        assert!(store.fire_due(monday()).unwrap().is_empty());
    }

    /// Bob, a "Call Bob" reminder at 10:00 on Monday, and what fires then.
    fn bob_due_at_ten() -> (tempfile::TempDir, Store, i64, Vec<Occurrence>) {
        let (dir, mut store) = lisbon_store();
        let bob = person(&mut store, "Bob", None);
        store
            .add_reminder(
                ReminderInput {
                    contact_id: Some(bob),
                    title: "Call Bob".into(),
                    date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                    time: "10:00".into(),
                    rule: None,
                },
                monday(),
            )
            .unwrap();
        store.fire_due(monday()).unwrap();
        let fired = store.fire_due(at((2026, 11, 23), 10, 0)).unwrap();
        (dir, store, bob, fired)
    }

    #[test]
    fn answered_twice_at_once_from_two_connections_a_nudge_logs_one_call() {
        let (_dir, store, bob, fired) = bob_due_at_ten();
        let call = fired.iter().find(|o| o.source == "reminder:1").unwrap().id;
        let path = store.path().to_path_buf();
        // A third connection holds the write lock while both answers read the occurrence
        // (still fired) and then wait for the lock.
        let mut holder = rusqlite::Connection::open(&path).unwrap();
        let lock = holder
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        let answers: Vec<_> = (0..2)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(&path).unwrap();
                    store
                        .act_on_occurrence(call, OccurrenceAction::Done, None, monday())
                        .unwrap()
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(300));
        lock.commit().unwrap();
        let logged: Vec<bool> = answers
            .into_iter()
            .map(|a| a.join().unwrap().1.is_some())
            .collect();
        assert_eq!(logged.iter().filter(|l| **l).count(), 1, "{logged:?}");
        assert_eq!(store.timeline(bob, 10).unwrap().len(), 1);
    }

    #[test]
    fn done_logs_a_call_snooze_comes_back_a_day_later_and_acting_twice_changes_nothing() {
        let (_dir, mut store, bob, fired) = bob_due_at_ten();
        let call = fired.iter().find(|o| o.source == "reminder:1").unwrap();
        let (done, logged) = store
            .act_on_occurrence(call.id, OccurrenceAction::Done, None, monday())
            .unwrap();
        assert_eq!(done.state, OccurrenceState::Done);
        let logged = logged.unwrap();
        assert_eq!(
            (logged.kind, logged.contact_ids.clone()),
            (InteractionKind::Call, vec![bob])
        );
        let (again, none) = store
            .act_on_occurrence(call.id, OccurrenceAction::Snooze, None, monday())
            .unwrap();
        assert_eq!((again.state, none), (OccurrenceState::Done, None));
        assert_eq!(store.timeline(bob, 10).unwrap().len(), 1);

        // Snoozing the digest brings it back as a one-off a day later.
        let digest = fired
            .iter()
            .find(|o| o.kind == ReminderKind::Digest)
            .unwrap();
        store
            .act_on_occurrence(
                digest.id,
                OccurrenceAction::Snooze,
                None,
                at((2026, 11, 23), 10, 5),
            )
            .unwrap();
        let tomorrow = store
            .due_between(at((2026, 11, 24), 10, 0), at((2026, 11, 24), 10, 10))
            .unwrap();
        assert_eq!(
            summary(&tomorrow),
            [("reminder:2".into(), "Tue 10:05".into())]
        );
        assert_eq!(
            store
                .act_on_occurrence(999, OccurrenceAction::Done, None, monday())
                .unwrap_err()
                .kind(),
            "notFound"
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
            "Overdue by 5 days (every 90 days)\nAlso today: Marcus"
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

    #[test]
    fn after_call_kith_asks_whether_they_were_reached() {
        let (_dir, mut store, bob, fired) = bob_due_at_ten();
        let ten = at((2026, 11, 23), 10, 0);
        let call = fired.iter().find(|o| o.source == "reminder:1").unwrap();
        let (calling, none) = store
            .act_on_occurrence(call.id, OccurrenceAction::Call, None, ten)
            .unwrap();
        assert_eq!((calling.state, none), (OccurrenceState::Calling, None));
        // Half an hour later: "Did you reach Bob?", once.
        let asked = store.fire_due(ten + Duration::minutes(31)).unwrap();
        let check = asked
            .iter()
            .find(|o| o.kind == ReminderKind::CallCheck)
            .unwrap();
        assert_eq!(check.title, "Did you reach Bob?");
        assert_eq!(check.due_at, ten + Duration::minutes(30));
        assert!(store
            .fire_due(ten + Duration::minutes(45))
            .unwrap()
            .is_empty());
        // Yes logs the call and settles both.
        let (_, logged) = store
            .act_on_occurrence(
                check.id,
                OccurrenceAction::Done,
                None,
                ten + Duration::minutes(32),
            )
            .unwrap();
        assert_eq!(logged.unwrap().kind, InteractionKind::Call);
        assert_eq!(
            store.occurrence(call.id).unwrap().state,
            OccurrenceState::Done
        );
        assert_eq!(store.timeline(bob, 10).unwrap().len(), 1);
    }

    /// xorshift, so the walk below is the same on every run.
    struct Steps(u64);

    impl Steps {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    #[test]
    fn a_hundred_restarts_and_suspends_log_every_occurrence_exactly_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        let start = monday();
        {
            let mut store = Store::open(&path).unwrap();
            let prefs = store.preferences().unwrap();
            store
                .set_preferences(Preferences {
                    time_zone: "Europe/Lisbon".into(),
                    quiet_from: Some("22:00".into()),
                    quiet_to: Some("07:30".into()),
                    ..prefs
                })
                .unwrap();
            let bob = person(&mut store, "Bob", Some((12, 2)));
            store
                .add_reminder(
                    ReminderInput {
                        contact_id: Some(bob),
                        title: "Check in with Bob".into(),
                        date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                        time: "13:00".into(),
                        rule: Some("FREQ=DAILY".into()),
                    },
                    start,
                )
                .unwrap();
            store.fire_due(start).unwrap();
        }
        let mut steps = Steps(0x2545_F491_4F6C_DD1D);
        let mut now = start;
        let mut store = Store::open(&path).unwrap();
        let mut fired: Vec<(String, DateTime<Utc>)> = Vec::new();
        for _ in 0..100 {
            // Awake for a while, checking every minute or so…
            for _ in 0..steps.next(30) {
                now += Duration::seconds(30 + steps.next(60) as i64);
                fired.extend(
                    store
                        .fire_due(now)
                        .unwrap()
                        .into_iter()
                        .map(|o| (o.source, o.due_at)),
                );
            }
            // …then asleep or closed for up to a day and a half, sometimes restarted.
            now += Duration::minutes(steps.next(36 * 60) as i64);
            if steps.next(2) == 0 {
                store = Store::open(&path).unwrap();
            }
            fired.extend(
                store
                    .fire_due(now)
                    .unwrap()
                    .into_iter()
                    .map(|o| (o.source, o.due_at)),
            );
        }
        let unique: BTreeSet<_> = fired.iter().cloned().collect();
        assert_eq!(unique.len(), fired.len(), "an occurrence fired twice");
        // Every occurrence due in the whole span is in the log once, fired or missed.
        let expected: BTreeSet<_> = store
            .due_between(start, now)
            .unwrap()
            .into_iter()
            .map(|d| (d.source, d.due_at))
            .collect();
        let logged: BTreeSet<_> = store
            .occurrences(u32::MAX)
            .unwrap()
            .into_iter()
            .map(|o| (o.source, o.due_at))
            .collect();
        assert_eq!(logged, expected);
        assert!(unique.is_subset(&logged));
        assert!(
            expected.len() > 100,
            "a long enough walk: {}",
            expected.len()
        );
        // No nudge came in quiet hours.
        let rules = store.day_rules().unwrap();
        assert!(fired.iter().all(|(_, t)| !rules.is_quiet(*t)));
    }
}
