//! Queries on interactions (connection history). Logging, editing or deleting one refreshes
//! the last touch and next due date of every contact it involves, in the same transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::cadence::due_rules;
use super::contacts::refresh_touch;
use super::{from_db_time, to_db_time, Store};
use crate::history::{ContactPage, Interaction, InteractionInput};
use crate::{Error, Result};

impl Store {
    /// Logs an interaction with one or more (active) contacts.
    pub fn log_interaction(
        &mut self,
        input: InteractionInput,
        now: DateTime<Utc>,
    ) -> Result<Interaction> {
        let input = input.validated(now)?;
        let id = self.write(|tx| insert_interaction(tx, &input, None, now))?;
        self.get_interaction(id)
    }

    /// Replaces interaction `id`; contacts added or removed get their dates recomputed.
    pub fn update_interaction(
        &mut self,
        id: i64,
        input: InteractionInput,
        now: DateTime<Utc>,
    ) -> Result<Interaction> {
        let input = input.validated(now)?;
        self.write(|tx| {
            let before = participants(tx, id)?;
            ensure_active_contacts(tx, &input.contact_ids)?;
            tx.prepare_cached(
                "UPDATE interactions SET kind = :kind, occurred_at = :at, direction = :direction,
                     notes = :notes, updated_at = :now
                 WHERE id = :id",
            )?
            .execute(named_params! {
                ":id": id,
                ":kind": input.kind,
                ":at": to_db_time(input.occurred_at),
                ":direction": input.direction,
                ":notes": input.notes,
                ":now": to_db_time(now),
            })?;
            tx.prepare_cached("DELETE FROM interaction_contacts WHERE interaction_id = :id")?
                .execute(named_params! { ":id": id })?;
            link_contacts(tx, id, &input.contact_ids)?;
            let touched: BTreeSet<i64> = before.into_iter().chain(input.contact_ids).collect();
            let rules = due_rules(tx)?;
            for contact in touched {
                refresh_touch(tx, &rules, contact)?;
            }
            Ok(())
        })?;
        self.get_interaction(id)
    }

    /// Deletes interaction `id` (its follow-ups stay, unlinked).
    pub fn delete_interaction(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let before = participants(tx, id)?;
            tx.prepare_cached("DELETE FROM interactions WHERE id = :id")?
                .execute(named_params! { ":id": id })?;
            let rules = due_rules(tx)?;
            for contact in before {
                refresh_touch(tx, &rules, contact)?;
            }
            Ok(())
        })
    }

    pub fn get_interaction(&self, id: i64) -> Result<Interaction> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT id, kind, occurred_at, direction, notes, created_at, updated_at
                 FROM interactions WHERE id = :id",
            )?
            .query_row(named_params! { ":id": id }, interaction_from_row)
            .optional()?;
        let mut interaction = found.ok_or(Error::NotFound {
            what: "interaction",
            id,
        })?;
        interaction.contact_ids = participants(&self.conn, id)?;
        Ok(interaction)
    }

    /// Everything the contact page shows: the contact, the newest `timeline_limit` entries of
    /// its history and its follow-ups.
    pub fn contact_page(
        &self,
        contact_id: i64,
        timeline_limit: u32,
        now: DateTime<Utc>,
    ) -> Result<ContactPage> {
        let contact = self.get_contact(contact_id)?;
        Ok(ContactPage {
            year: self.contact_year(&contact, now)?,
            due: crate::cadence::due_state(contact.next_due_at, contact.overdue_at, now),
            contact,
            timeline: self.timeline(contact_id, timeline_limit)?,
            follow_ups: self.follow_ups_for(contact_id)?,
            goals: self.goals_for_contact(contact_id)?,
        })
    }

    /// Contact `contact_id`'s history, newest first, at most `limit` entries.
    pub fn timeline(&self, contact_id: i64, limit: u32) -> Result<Vec<Interaction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.kind, i.occurred_at, i.direction, i.notes, i.created_at, i.updated_at,
                    (SELECT group_concat(o.contact_id) FROM interaction_contacts o
                      WHERE o.interaction_id = i.id) AS contact_ids
             FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
             WHERE ic.contact_id = :contact
             ORDER BY ic.occurred_at DESC, ic.interaction_id DESC
             LIMIT :limit",
        )?;
        let rows = stmt.query_map(
            named_params! { ":contact": contact_id, ":limit": limit },
            |row| {
                let mut interaction = interaction_from_row(row)?;
                let ids: String = row.get("contact_ids")?;
                interaction.contact_ids = ids.split(',').filter_map(|s| s.parse().ok()).collect();
                interaction.contact_ids.sort_unstable();
                Ok(interaction)
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn interaction_from_row(row: &Row<'_>) -> rusqlite::Result<Interaction> {
    Ok(Interaction {
        id: row.get("id")?,
        contact_ids: Vec::new(),
        kind: row.get("kind")?,
        occurred_at: from_db_time(row.get("occurred_at")?)?,
        direction: row.get("direction")?,
        notes: row.get("notes")?,
        created_at: from_db_time(row.get("created_at")?)?,
        updated_at: from_db_time(row.get("updated_at")?)?,
    })
}

/// The contacts of interaction `id`, or NotFound.
fn participants(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM interactions WHERE id = :id")?
        .query_row(named_params! { ":id": id }, |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(Error::NotFound {
            what: "interaction",
            id,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id FROM interaction_contacts WHERE interaction_id = :id ORDER BY contact_id",
    )?;
    let rows = stmt.query_map(named_params! { ":id": id }, |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes a validated interaction (at event `event`, if any) and refreshes the dates of
/// everyone in it; returns its id.
pub(crate) fn insert_interaction(
    tx: &Connection,
    input: &InteractionInput,
    event: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    ensure_active_contacts(tx, &input.contact_ids)?;
    tx.prepare_cached(
        "INSERT INTO interactions
             (kind, occurred_at, direction, notes, event_id, created_at, updated_at)
         VALUES (:kind, :at, :direction, :notes, :event, :now, :now)",
    )?
    .execute(named_params! {
        ":kind": input.kind,
        ":at": to_db_time(input.occurred_at),
        ":direction": input.direction,
        ":notes": input.notes,
        ":event": event,
        ":now": to_db_time(now),
    })?;
    let id = tx.last_insert_rowid();
    link_contacts(tx, id, &input.contact_ids)?;
    let rules = due_rules(tx)?;
    for contact in &input.contact_ids {
        refresh_touch(tx, &rules, *contact)?;
    }
    Ok(id)
}

pub(crate) fn ensure_active_contacts(conn: &Connection, ids: &[i64]) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT archived_at IS NULL FROM contacts WHERE id = :id")?;
    for id in ids {
        let active: Option<bool> = stmt
            .query_row(named_params! { ":id": id }, |r| r.get(0))
            .optional()?;
        match active {
            None => {
                return Err(Error::NotFound {
                    what: "contact",
                    id: *id,
                })
            }
            Some(false) => {
                return Err(Error::invalid(
                    "contactIds",
                    format!("Contact {id} is archived: restore it to log an interaction."),
                ))
            }
            Some(true) => {}
        }
    }
    Ok(())
}

/// Links interaction `interaction` (already written) to `contacts`, with its time.
fn link_contacts(conn: &Connection, interaction: i64, contacts: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
         SELECT id, :c, occurred_at FROM interactions WHERE id = :i",
    )?;
    for contact in contacts {
        stmt.execute(named_params! { ":i": interaction, ":c": contact })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::history::FollowUpInput;
    use crate::history::{Direction, InteractionKind};
    use crate::model::{Circle, ContactInput};
    use crate::store::tests::temp_store;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap()
    }

    fn days(n: i64) -> DateTime<Utc> {
        t0() + Duration::days(n)
    }

    fn contact(store: &mut Store, name: &str, circle: Circle, cadence: Option<u32>) -> i64 {
        store
            .add_contact(
                ContactInput {
                    display_name: name.into(),
                    circle,
                    cadence_days: cadence,
                    ..ContactInput::default()
                },
                t0(),
            )
            .unwrap()
            .id
    }

    fn log(
        store: &mut Store,
        ids: Vec<i64>,
        kind: InteractionKind,
        at: DateTime<Utc>,
    ) -> Interaction {
        store
            .log_interaction(
                InteractionInput {
                    contact_ids: ids,
                    kind,
                    occurred_at: at,
                    direction: None,
                    notes: None,
                },
                days(400),
            )
            .unwrap()
    }

    /// Midnight starting the day of `at` (UTC, the zone until one is set): due dates
    /// start the day.
    fn day_of(at: DateTime<Utc>) -> DateTime<Utc> {
        crate::calendar::local_midnight(chrono_tz::UTC, at.date_naive())
    }

    fn due(store: &Store, id: i64) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let c = store.get_contact(id).unwrap();
        (c.last_touch_at, c.next_due_at)
    }

    #[test]
    fn logging_moves_last_touch_and_next_due_for_everyone_involved() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", Circle::Close, None); // 30 days
        let bob = contact(&mut store, "Bob", Circle::Network, Some(7));
        assert_eq!(due(&store, ana), (None, Some(day_of(days(30)))));

        let coffee = log(
            &mut store,
            vec![ana, bob],
            InteractionKind::Coffee,
            days(10),
        );
        assert_eq!(coffee.contact_ids, [ana, bob]);
        assert_eq!(due(&store, ana), (Some(days(10)), Some(day_of(days(40)))));
        assert_eq!(due(&store, bob), (Some(days(10)), Some(day_of(days(17)))));

        // An older interaction logged later does not move the dates back.
        log(&mut store, vec![bob], InteractionKind::Email, days(5));
        assert_eq!(due(&store, bob), (Some(days(10)), Some(day_of(days(17)))));
    }

    #[test]
    fn the_cadence_restarts_whoever_reached_out() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", Circle::Inner, None); // 14 days
        store
            .log_interaction(
                InteractionInput {
                    contact_ids: vec![ana],
                    kind: InteractionKind::Message,
                    occurred_at: days(3),
                    direction: Some(Direction::Inbound),
                    notes: Some("She asked how the move went".into()),
                },
                days(3),
            )
            .unwrap();
        assert_eq!(due(&store, ana), (Some(days(3)), Some(day_of(days(17)))));
    }

    #[test]
    fn editing_and_deleting_recompute_the_dates() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", Circle::Network, Some(10));
        let bob = contact(&mut store, "Bob", Circle::Network, Some(10));
        let first = log(&mut store, vec![ana], InteractionKind::Call, days(2));
        let second = log(&mut store, vec![ana], InteractionKind::Call, days(6));
        assert_eq!(due(&store, ana), (Some(days(6)), Some(day_of(days(16)))));

        // Move the latest call to Bob: Ana falls back to her first call.
        let move_to_bob = |store: &mut Store, at| {
            store
                .update_interaction(
                    second.id,
                    InteractionInput {
                        contact_ids: vec![bob],
                        kind: InteractionKind::VideoCall,
                        occurred_at: at,
                        direction: None,
                        notes: None,
                    },
                    days(7),
                )
                .unwrap()
        };
        move_to_bob(&mut store, days(6));
        assert_eq!(due(&store, ana), (Some(days(2)), Some(day_of(days(12)))));
        assert_eq!(due(&store, bob), (Some(days(6)), Some(day_of(days(16)))));

        // Moving it in time moves it in Bob's history too, before his older coffee.
        let coffee = log(&mut store, vec![bob], InteractionKind::Coffee, days(4));
        move_to_bob(&mut store, days(3));
        let history: Vec<i64> = store
            .timeline(bob, 10)
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(history, [coffee.id, second.id]);
        assert_eq!(due(&store, bob), (Some(days(4)), Some(day_of(days(14)))));

        store.delete_interaction(first.id).unwrap();
        assert_eq!(due(&store, ana), (None, Some(day_of(days(10)))));
        assert_eq!(
            store.get_interaction(first.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
        assert_eq!(
            store.delete_interaction(first.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn the_timeline_is_newest_first_and_lists_everyone_involved() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", Circle::Network, None);
        let bob = contact(&mut store, "Bob", Circle::Network, None);
        log(&mut store, vec![ana], InteractionKind::Email, days(1));
        log(&mut store, vec![ana, bob], InteractionKind::Event, days(3));
        log(&mut store, vec![ana], InteractionKind::Coffee, days(2));
        let timeline = store.timeline(ana, 10).unwrap();
        let kinds: Vec<_> = timeline.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                InteractionKind::Event,
                InteractionKind::Coffee,
                InteractionKind::Email
            ]
        );
        assert_eq!(timeline[0].contact_ids, [ana, bob]);
        assert_eq!(store.timeline(ana, 2).unwrap().len(), 2);
        assert_eq!(store.timeline(bob, 10).unwrap().len(), 1);
    }

    #[test]
    fn unknown_or_archived_contacts_are_refused_and_nothing_is_stored() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", Circle::Network, None);
        let input = |ids: Vec<i64>| InteractionInput {
            contact_ids: ids,
            kind: InteractionKind::Call,
            occurred_at: days(1),
            direction: None,
            notes: None,
        };
        let err = store
            .log_interaction(input(vec![ana, 999]), days(1))
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::NotFound);
        store.archive_contact(ana, days(1)).unwrap();
        let err = store
            .log_interaction(input(vec![ana]), days(1))
            .unwrap_err();
        assert_eq!(err.field(), Some("contactIds"));
        let stored: i64 = store
            .conn
            .query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, 0);
    }

    #[test]
    fn purging_a_contact_keeps_interactions_shared_with_others() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", Circle::Network, None);
        let bob = contact(&mut store, "Bob", Circle::Network, None);
        let shared = log(
            &mut store,
            vec![ana, bob],
            InteractionKind::Meeting,
            days(1),
        );
        let own = log(&mut store, vec![ana], InteractionKind::Call, days(2));
        store.archive_contact(ana, days(3)).unwrap();
        store.purge_contact(ana).unwrap();
        assert_eq!(store.get_interaction(shared.id).unwrap().contact_ids, [bob]);
        assert_eq!(
            store.get_interaction(own.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn follow_ups_open_complete_reopen_and_loop_back() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", Circle::Network, None);
        let bob = contact(&mut store, "Bob", Circle::Network, None);
        let coffee = log(&mut store, vec![ana], InteractionKind::Coffee, days(1));
        let add = |store: &mut Store, title: &str, due: Option<u32>, interaction| {
            store
                .add_follow_up(
                    FollowUpInput {
                        contact_id: ana,
                        interaction_id: interaction,
                        title: title.into(),
                        due_on: due.and_then(|d| chrono::NaiveDate::from_ymd_opt(2026, 1, d)),
                    },
                    days(1),
                )
                .unwrap()
        };
        let book = add(
            &mut store,
            "Read the book she recommended",
            None,
            Some(coffee.id),
        );
        let intro = add(&mut store, "Introduce her to Bob", Some(20), None);
        let article = add(&mut store, "Send the article", Some(5), None);
        let titles = |store: &Store| -> Vec<String> {
            store
                .follow_ups_for(ana)
                .unwrap()
                .into_iter()
                .map(|f| f.title)
                .collect()
        };
        assert_eq!(
            titles(&store),
            [
                "Send the article",
                "Introduce her to Bob",
                "Read the book she recommended"
            ]
        );

        let done = store.set_follow_up_done(article.id, true, days(4)).unwrap();
        assert_eq!(done.completed_at, Some(days(4)));
        assert_eq!(titles(&store)[2], "Send the article");

        // "Let them know": the loop-back touch restarts Ana's cadence.
        store
            .log_interaction(done.loop_back(days(4)), days(4))
            .unwrap();
        let timeline = store.timeline(ana, 1).unwrap();
        assert_eq!(
            timeline[0].notes.as_deref(),
            Some("Let them know: Send the article")
        );
        assert_eq!(store.get_contact(ana).unwrap().last_touch_at, Some(days(4)));

        let reopened = store
            .set_follow_up_done(article.id, false, days(5))
            .unwrap();
        assert_eq!(reopened.completed_at, None);
        assert_eq!(
            store.get_follow_up(book.id).unwrap().interaction_id,
            Some(coffee.id)
        );
        assert_eq!(store.get_follow_up(intro.id).unwrap().completed_at, None);

        // A follow-up cannot point at someone else's interaction, or at nobody.
        let err = store
            .add_follow_up(
                FollowUpInput {
                    contact_id: bob,
                    interaction_id: Some(coffee.id),
                    title: "Say hi".into(),
                    due_on: None,
                },
                days(1),
            )
            .unwrap_err();
        assert_eq!(err.field(), Some("interactionId"));
        let err = store
            .add_follow_up(
                FollowUpInput {
                    contact_id: 404,
                    interaction_id: None,
                    title: "Say hi".into(),
                    due_on: None,
                },
                days(1),
            )
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::NotFound);
        assert_eq!(
            store
                .set_follow_up_done(999, true, days(1))
                .unwrap_err()
                .kind(),
            crate::ErrorKind::NotFound
        );
    }
}
