//! Queries on interactions (connection history). Logging, editing or deleting one refreshes
//! the last touch and next due date of every contact it involves, in the same transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::cadence::due_rules;
use super::contacts::refresh_touch;
use super::{from_db_time, to_db_time, Store};
use crate::history::{ContactPage, DeletedInteraction, Interaction, InteractionInput};
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

    /// Deletes interaction `id` (its follow-ups stay, unlinked); answers it as it was, with
    /// what pointed at it, for [`Store::restore_interaction`].
    pub fn delete_interaction(&mut self, id: i64) -> Result<DeletedInteraction> {
        self.write(|tx| {
            let deleted = deleted(tx, id)?;
            tx.prepare_cached("DELETE FROM interactions WHERE id = :id")?
                .execute(named_params! { ":id": id })?;
            let rules = due_rules(tx)?;
            for contact in &deleted.interaction.contact_ids {
                refresh_touch(tx, &rules, *contact)?;
            }
            Ok(deleted)
        })
    }

    /// Puts a deleted interaction back as it was: its id, fields and times, its people, the
    /// follow-ups and the import that pointed at it (those still unlinked), its event (if it
    /// still exists); everyone's last touch and next due date as before. Were its id taken
    /// since (by a touch logged after the deletion), it comes back under a new one with the
    /// same links; restoring it twice gives it back once.
    pub fn restore_interaction(
        &mut self,
        deleted: DeletedInteraction,
        now: DateTime<Utc>,
    ) -> Result<Interaction> {
        let was = deleted.interaction;
        InteractionInput {
            contact_ids: was.contact_ids.clone(),
            kind: was.kind,
            occurred_at: was.occurred_at,
            direction: was.direction,
            notes: was.notes.clone(),
        }
        .validated(now)?;
        let id = self.write(|tx| {
            let id = match stored(tx, was.id)? {
                Some(row) if row == was => return Ok(was.id),
                Some(_) => None,
                None => Some(was.id),
            };
            ensure_active_contacts(tx, &was.contact_ids)?;
            tx.prepare_cached(
                "INSERT INTO interactions
                     (id, kind, occurred_at, direction, notes, event_id, created_at, updated_at)
                 VALUES (:id, :kind, :at, :direction, :notes,
                         (SELECT id FROM events WHERE id = :event), :created, :updated)",
            )?
            .execute(named_params! {
                ":id": id,
                ":kind": was.kind,
                ":at": to_db_time(was.occurred_at),
                ":direction": was.direction,
                ":notes": was.notes,
                ":event": deleted.event_id,
                ":created": to_db_time(was.created_at),
                ":updated": to_db_time(was.updated_at),
            })?;
            let id = tx.last_insert_rowid();
            link_contacts(tx, id, &was.contact_ids)?;
            // What pointed at it, and points nowhere since, points at it again.
            for (table, column, ids) in [
                ("follow_ups", "id", &deleted.follow_up_ids),
                ("import_items", "import_id", &deleted.import_ids),
            ] {
                tx.prepare_cached(&format!(
                    "UPDATE {table} SET interaction_id = :id
                     WHERE {column} IN (SELECT value FROM json_each(:ids))
                       AND interaction_id IS NULL
                       AND contact_id IN (SELECT contact_id FROM interaction_contacts
                                          WHERE interaction_id = :id)"
                ))?
                .execute(named_params! {
                    ":id": id,
                    ":ids": serde_json::Value::from(ids.as_slice()).to_string(),
                })?;
            }
            let rules = due_rules(tx)?;
            for contact in &was.contact_ids {
                refresh_touch(tx, &rules, *contact)?;
            }
            Ok(id)
        })?;
        self.get_interaction(id)
    }

    pub fn get_interaction(&self, id: i64) -> Result<Interaction> {
        stored(&self.conn, id)?.ok_or(Error::NotFound {
            what: "interaction",
            id,
        })
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

/// Interaction `id` with its people, if it exists.
fn stored(conn: &Connection, id: i64) -> Result<Option<Interaction>> {
    let found = conn
        .prepare_cached(
            "SELECT id, kind, occurred_at, direction, notes, created_at, updated_at
             FROM interactions WHERE id = :id",
        )?
        .query_row(named_params! { ":id": id }, interaction_from_row)
        .optional()?;
    let Some(mut interaction) = found else {
        return Ok(None);
    };
    interaction.contact_ids = participants(conn, id)?;
    Ok(Some(interaction))
}

/// Interaction `id` with what points at it, as [`Store::delete_interaction`] answers it.
fn deleted(conn: &Connection, id: i64) -> Result<DeletedInteraction> {
    let interaction = stored(conn, id)?.ok_or(Error::NotFound {
        what: "interaction",
        id,
    })?;
    let event_id = conn
        .prepare_cached("SELECT event_id FROM interactions WHERE id = :id")?
        .query_row(named_params! { ":id": id }, |r| r.get(0))?;
    let ids = |sql: &str| -> Result<Vec<i64>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(named_params! { ":id": id }, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    Ok(DeletedInteraction {
        interaction,
        event_id,
        follow_up_ids: ids("SELECT id FROM follow_ups WHERE interaction_id = :id ORDER BY id")?,
        import_ids: ids(
            "SELECT DISTINCT import_id FROM import_items WHERE interaction_id = :id
             ORDER BY import_id",
        )?,
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
mod tests;
