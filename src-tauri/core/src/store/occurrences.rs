//! The occurrence log: firing what is due exactly once (however often, and by however many
//! processes, the check runs), what was delivered where, and what the user answered. Never
//! sleeps and never reads the clock: the app's scheduler passes `now`.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{named_params, OptionalExtension, Row};

use super::reminders::insert_reminder;
use super::{from_db_time, to_db_time, Store};
use crate::history::{Interaction, InteractionKind};
use crate::nudge;
use crate::reminder::{DeliveryChannel, Occurrence, OccurrenceAction, OccurrenceState};
use crate::schedule::catch_up;
use crate::{Error, Result};

/// How far back a check looks at most: after longer away, older occurrences are not
/// reconstructed (they would all be stale; the digest sums up what matters now).
const CATCH_UP_LIMIT: Duration = Duration::days(35);

const CHECKED_THROUGH: &str = "schedule_checked_through";

impl Store {
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
                    ":kind": d.kind,
                    ":contact": d.contact_id,
                    ":title": d.title,
                    ":due": to_db_time(d.due_at),
                    ":now": to_db_time(now),
                    ":state": state,
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
                    ":channel": channel,
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
        let logged = self.write(|tx| answer(tx, &occurrence, action, kind, rules.tz, now))?;
        let interaction = logged.map(|i| self.get_interaction(i)).transpose()?;
        Ok((self.occurrence(id)?, interaction))
    }

    fn checked_through(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(super::settings::get(&self.conn, CHECKED_THROUGH)?
            .and_then(|v| v.parse::<i64>().ok())
            .map(from_db_time)
            .transpose()?)
    }
}

const OCCURRENCE_COLUMNS: &str =
    "id, source, kind, contact_id, title, due_at, fired_at, state, delivery";

fn occurrence_from_row(row: &Row<'_>) -> rusqlite::Result<Occurrence> {
    Ok(Occurrence {
        id: row.get("id")?,
        source: row.get("source")?,
        kind: row.get("kind")?,
        contact_id: row.get("contact_id")?,
        title: row.get("title")?,
        due_at: from_db_time(row.get("due_at")?)?,
        fired_at: from_db_time(row.get("fired_at")?)?,
        state: row.get("state")?,
        delivery: row.get("delivery")?,
    })
}

/// Settles the occurrence of `source` due at `due_at` as done (logged first if it has not
/// fired yet, so it never fires later), as Done on its nudge would: a touch logged with its
/// contact. One answered already stays as it was.
pub(crate) fn settle_done(
    tx: &rusqlite::Transaction<'_>,
    due: &crate::schedule::Due,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO occurrences (source, kind, contact_id, title, due_at, fired_at, state)
         VALUES (:source, :kind, :contact, :title, :due, :now, 'fired')",
        named_params! {
            ":source": due.source, ":kind": due.kind, ":contact": due.contact_id,
            ":title": due.title, ":due": to_db_time(due.due_at), ":now": to_db_time(now),
        },
    )?;
    let occurrence = tx.query_row(
        &format!(
            "SELECT {OCCURRENCE_COLUMNS} FROM occurrences WHERE source = :source AND due_at = :due"
        ),
        named_params! { ":source": due.source, ":due": to_db_time(due.due_at) },
        occurrence_from_row,
    )?;
    if occurrence.state == OccurrenceState::Fired {
        answer(tx, &occurrence, OccurrenceAction::Done, None, tz, now)?;
    }
    Ok(())
}

/// Answers `occurrence` (still `fired`) with `action` in `tx`, as [`nudge::outcome`]
/// decides: returns the touch a Done logs. An occurrence answered meanwhile is left as it
/// is (`None`).
pub(super) fn answer(
    tx: &rusqlite::Transaction<'_>,
    occurrence: &Occurrence,
    action: OccurrenceAction,
    kind: Option<InteractionKind>,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let outcome = nudge::outcome(action, kind, occurrence, tz, now);
    // Decided under the write lock: answered twice at once (the notification and
    // the window, or two processes), only the first answer counts.
    let changed = tx.execute(
        "UPDATE occurrences SET state = :state, acted_at = :now
             WHERE id = :id AND state = 'fired'",
        named_params! {
            ":id": occurrence.id,
            ":state": outcome.state,
            ":now": to_db_time(now),
        },
    )?;
    if changed == 0 {
        return Ok(None);
    }
    if let Some(call) = outcome.settles_call {
        tx.execute(
            "UPDATE occurrences SET state = :state, acted_at = :now
                 WHERE id = :id AND state = 'calling'",
            named_params! {
                ":id": call,
                ":state": outcome.state,
                ":now": to_db_time(now),
            },
        )?;
    }
    if let Some(once) = outcome.snooze {
        insert_reminder(tx, &once, once.starts_at(), tz, now)?;
    }
    outcome
        .log
        .map(|input| {
            let input = input.validated(now)?;
            super::interactions::insert_interaction(tx, &input, None, now)
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;

    use super::*;
    use crate::preferences::Preferences;
    use crate::reminder::ReminderInput;
    use crate::repeat::Repeat;
    use crate::schedule::{ReminderKind, Source};
    use crate::store::reminders::tests::{at, lisbon_store, monday, person, summary};

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
                    repeat: Repeat::Never,
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
        let call = fired
            .iter()
            .find(|o| o.source == Source::Reminder { id: 1 })
            .unwrap()
            .id;
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
                    crate::store::lock_waits::watch_this_thread();
                    let mut store = Store::open(&path).unwrap();
                    store
                        .act_on_occurrence(call, OccurrenceAction::Done, None, monday())
                        .unwrap()
                })
            })
            .collect();
        let queued: Vec<_> = answers.iter().map(|t| t.thread().id()).collect();
        crate::store::lock_waits::wait_until_queued(&queued);
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
        let call = fired
            .iter()
            .find(|o| o.source == Source::Reminder { id: 1 })
            .unwrap();
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
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn after_call_kith_asks_whether_they_were_reached() {
        let (_dir, mut store, bob, fired) = bob_due_at_ten();
        let ten = at((2026, 11, 23), 10, 0);
        let call = fired
            .iter()
            .find(|o| o.source == Source::Reminder { id: 1 })
            .unwrap();
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
                        repeat: Repeat::EveryDays { days: 1 },
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
                        .map(|o| (o.source.to_string(), o.due_at)),
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
                    .map(|o| (o.source.to_string(), o.due_at)),
            );
        }
        let unique: BTreeSet<_> = fired.iter().cloned().collect();
        assert_eq!(unique.len(), fired.len(), "an occurrence fired twice");
        // Every occurrence due in the whole span is in the log once, fired or missed.
        let expected: BTreeSet<_> = store
            .due_between(start, now)
            .unwrap()
            .into_iter()
            .map(|d| (d.source.to_string(), d.due_at))
            .collect();
        let logged: BTreeSet<_> = store
            .occurrences(u32::MAX)
            .unwrap()
            .into_iter()
            .map(|o| (o.source.to_string(), o.due_at))
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
