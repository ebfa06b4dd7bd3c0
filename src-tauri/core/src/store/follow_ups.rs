//! Queries on follow-ups ("homework" owed to a contact).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, OptionalExtension, Row};

use super::{from_db_time, to_db_time, Store};
use crate::history::{FollowUp, FollowUpInput};
use crate::{Error, Result};

impl Store {
    /// Adds a follow-up for an existing contact, optionally tied to one of its interactions.
    pub fn add_follow_up(&mut self, input: FollowUpInput, now: DateTime<Utc>) -> Result<FollowUp> {
        let input = input.validated()?;
        let id = self.write(|tx| {
            let contact: Option<i64> = tx
                .query_row(
                    "SELECT id FROM contacts WHERE id = :id",
                    named_params! { ":id": input.contact_id },
                    |r| r.get(0),
                )
                .optional()?;
            contact.ok_or(Error::NotFound {
                what: "contact",
                id: input.contact_id,
            })?;
            if let Some(interaction) = input.interaction_id {
                let linked: Option<i64> = tx
                    .query_row(
                        "SELECT interaction_id FROM interaction_contacts
                         WHERE interaction_id = :i AND contact_id = :c",
                        named_params! { ":i": interaction, ":c": input.contact_id },
                        |r| r.get(0),
                    )
                    .optional()?;
                if linked.is_none() {
                    return Err(Error::invalid(
                        "interactionId",
                        "That interaction is not in this contact's history.",
                    ));
                }
            }
            tx.execute(
                "INSERT INTO follow_ups (contact_id, interaction_id, title, due_on, created_at, updated_at)
                 VALUES (:contact, :interaction, :title, :due, :now, :now)",
                named_params! {
                    ":contact": input.contact_id,
                    ":interaction": input.interaction_id,
                    ":title": input.title,
                    ":due": input.due_on.map(|d| d.to_string()),
                    ":now": to_db_time(now),
                },
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        self.get_follow_up(id)
    }

    /// Marks follow-up `id` done (or, with `done = false`, open again).
    pub fn set_follow_up_done(
        &mut self,
        id: i64,
        done: bool,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE follow_ups
                 SET completed_at = CASE WHEN :done THEN coalesce(completed_at, :now) END,
                     updated_at = :now
                 WHERE id = :id",
                named_params! { ":id": id, ":done": done, ":now": to_db_time(now) },
            )?;
            if changed == 0 {
                return Err(Error::NotFound {
                    what: "follow-up",
                    id,
                });
            }
            Ok(())
        })?;
        self.get_follow_up(id)
    }

    /// "Let them know": logs the touch that tells the contact follow-up `id` is done.
    pub fn report_back(
        &mut self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<crate::history::Interaction> {
        let follow_up = self.get_follow_up(id)?;
        if follow_up.completed_at.is_none() {
            return Err(Error::Conflict(
                "Complete the follow-up before letting them know.".into(),
            ));
        }
        self.log_interaction(follow_up.loop_back(now), now)
    }

    pub fn get_follow_up(&self, id: i64) -> Result<FollowUp> {
        self.conn
            .prepare_cached(
                "SELECT id, contact_id, interaction_id, title, due_on, completed_at, created_at, updated_at
                 FROM follow_ups WHERE id = :id",
            )?
            .query_row(named_params! { ":id": id }, follow_up_from_row)
            .optional()?
            .ok_or(Error::NotFound {
                what: "follow-up",
                id,
            })
    }

    /// A contact's follow-ups: open ones first (soonest due first, undated last), then
    /// completed ones, most recent first.
    pub fn follow_ups_for(&self, contact_id: i64) -> Result<Vec<FollowUp>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, contact_id, interaction_id, title, due_on, completed_at, created_at, updated_at
             FROM follow_ups WHERE contact_id = :contact
             ORDER BY completed_at IS NOT NULL, due_on IS NULL, due_on, completed_at DESC, id",
        )?;
        let rows = stmt.query_map(named_params! { ":contact": contact_id }, follow_up_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// Every open follow-up of an active contact, with the contact's name, soonest due first.
    pub fn open_follow_ups(&self) -> Result<Vec<(FollowUp, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, f.contact_id, f.interaction_id, f.title, f.due_on, f.completed_at,
                    f.created_at, f.updated_at, c.display_name
             FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
             WHERE f.completed_at IS NULL AND c.archived_at IS NULL
             ORDER BY f.due_on IS NULL, f.due_on, f.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((follow_up_from_row(r)?, r.get("display_name")?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn follow_up_from_row(row: &Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: row.get("id")?,
        contact_id: row.get("contact_id")?,
        interaction_id: row.get("interaction_id")?,
        title: row.get("title")?,
        due_on: row
            .get::<_, Option<String>>("due_on")?
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok()),
        completed_at: row
            .get::<_, Option<i64>>("completed_at")?
            .map(from_db_time)
            .transpose()?,
        created_at: from_db_time(row.get("created_at")?)?,
        updated_at: from_db_time(row.get("updated_at")?)?,
    })
}
