//! One change made to several people at once — a circle, a rhythm, a tag added or taken
//! away — as one IMMEDIATE transaction, and its undo. The edit answers what each person had
//! before; the undo puts that back for each person nobody changed since and names the others.
//! Only the one field is written: a person whose other fields an older Kith let through is
//! never refused for them.

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cadence::{due_rules, refresh_due, Scope};
use super::contacts::{add_tags, drop_unused_tags, reindex_many};
use super::{to_db_time, Store};
use crate::model::{tag_name, Circle, MAX_CADENCE_DAYS, MAX_TAGS};
use crate::{Error, Result};

/// Most people one bulk edit may change.
pub const MAX_BULK_PEOPLE: usize = 100_000;

/// What a bulk edit sets on each person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "field", content = "value")]
#[ts(export)]
pub enum BulkEdit {
    Circle(Circle),
    /// Days between touches; `None` gives the person the rhythm of their circle (or tags).
    Cadence(Option<u32>),
    /// A tag added.
    Tag(String),
    /// A tag taken away.
    Untag(String),
}

/// One person a bulk edit changed, with what they had before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BulkPrevious {
    #[ts(type = "number")]
    pub id: i64,
    pub display_name: String,
    /// The edit that puts this person back as they were.
    pub before: BulkEdit,
}

/// What a bulk edit did; handed back whole to [`Store::undo_bulk_edit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BulkReport {
    pub edit: BulkEdit,
    pub at: DateTime<Utc>,
    /// How many people were chosen (those who already had the value among them).
    pub chosen: u32,
    /// The people whose value changed, each with the one they had.
    pub changed: Vec<BulkPrevious>,
}

/// What an undo of a bulk edit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BulkUndoReport {
    /// How many people got their value back.
    pub restored: u32,
    /// The people changed since the bulk edit (or gone), left as they are now, by name.
    pub kept: Vec<String>,
}

impl BulkEdit {
    /// The edit with its value checked and cleaned (a tag trimmed).
    fn validated(self) -> Result<BulkEdit> {
        match self {
            BulkEdit::Cadence(Some(days)) if !(1..=MAX_CADENCE_DAYS).contains(&days) => {
                Err(Error::invalid(
                    "cadenceDays",
                    format!("Keep in touch every 1 to {MAX_CADENCE_DAYS} days."),
                ))
            }
            BulkEdit::Tag(tag) => Ok(BulkEdit::Tag(required_tag(&tag)?)),
            BulkEdit::Untag(tag) => Ok(BulkEdit::Untag(required_tag(&tag)?)),
            edit => Ok(edit),
        }
    }

    /// Whether it changes search text (tags are searched).
    fn touches_tags(&self) -> bool {
        matches!(self, BulkEdit::Tag(_) | BulkEdit::Untag(_))
    }
}

fn required_tag(text: &str) -> Result<String> {
    tag_name("tag", text)?.ok_or_else(|| Error::invalid("tag", "Name the tag."))
}

impl Store {
    /// Sets `edit` on every contact in `ids`, as one transaction: everyone changes or, if
    /// one of them is not there or cannot take it, no one does. People who already have the
    /// value are left untouched and are not in the report's `changed`.
    pub fn bulk_edit(
        &mut self,
        ids: &[i64],
        edit: BulkEdit,
        now: DateTime<Utc>,
    ) -> Result<BulkReport> {
        let edit = edit.validated()?;
        let mut chosen: Vec<i64> = Vec::with_capacity(ids.len());
        for &id in ids {
            if !chosen.contains(&id) {
                chosen.push(id);
            }
        }
        if chosen.is_empty() {
            return Err(Error::invalid("ids", "Choose at least one person."));
        }
        if chosen.len() > MAX_BULK_PEOPLE {
            return Err(Error::invalid(
                "ids",
                format!("Change at most {MAX_BULK_PEOPLE} people at once."),
            ));
        }
        let changed = self.write(|tx| {
            let mut changed = Vec::new();
            for &id in &chosen {
                let (name, before) = current(tx, id, &edit)?;
                if before != edit {
                    apply(tx, id, &name, &edit, now)?;
                    changed.push(BulkPrevious {
                        id,
                        display_name: name,
                        before,
                    });
                }
            }
            settle(tx, &edit, &changed)?;
            Ok(changed)
        })?;
        Ok(BulkReport {
            edit,
            at: now,
            chosen: u32::try_from(chosen.len()).unwrap_or(u32::MAX),
            changed,
        })
    }

    /// Puts back what `report`'s edit changed, as one transaction, for each person who still
    /// has the value it set and whom nothing changed since; the others are named and left
    /// as they are.
    pub fn undo_bulk_edit(
        &mut self,
        report: &BulkReport,
        now: DateTime<Utc>,
    ) -> Result<BulkUndoReport> {
        let edit = report.edit.clone().validated()?;
        let since = to_db_time(report.at);
        self.write(|tx| {
            let mut restored = Vec::new();
            let mut kept = Vec::new();
            for person in &report.changed {
                let before = person.before.clone().validated()?;
                if !same_field(&before, &edit) {
                    return Err(Error::invalid(
                        "changed",
                        "That is not what this edit changed.",
                    ));
                }
                let updated: Option<i64> = tx
                    .prepare_cached("SELECT updated_at FROM contacts WHERE id = :id")?
                    .query_row(named_params! { ":id": person.id }, |r| r.get(0))
                    .optional()?;
                let unchanged = match updated {
                    Some(at) if at <= since => current(tx, person.id, &edit)?.1 == edit,
                    _ => false,
                };
                if unchanged {
                    apply(tx, person.id, &person.display_name, &before, now)?;
                    restored.push(person.clone());
                } else {
                    kept.push(person.display_name.clone());
                }
            }
            settle(tx, &edit, &restored)?;
            Ok(BulkUndoReport {
                restored: u32::try_from(restored.len()).unwrap_or(u32::MAX),
                kept,
            })
        })
    }
}

/// Whether two edits set the same field (a tag's adding and taking away are one field).
fn same_field(a: &BulkEdit, b: &BulkEdit) -> bool {
    match (a, b) {
        (BulkEdit::Circle(_), BulkEdit::Circle(_))
        | (BulkEdit::Cadence(_), BulkEdit::Cadence(_)) => true,
        (BulkEdit::Tag(x) | BulkEdit::Untag(x), BulkEdit::Tag(y) | BulkEdit::Untag(y)) => {
            x.to_lowercase() == y.to_lowercase()
        }
        _ => false,
    }
}

/// Contact `id`'s name and its value of the field `edit` sets, as an edit that would set it.
fn current(conn: &Connection, id: i64, edit: &BulkEdit) -> Result<(String, BulkEdit)> {
    let row: Option<(String, Circle, Option<u32>)> = conn
        .prepare_cached("SELECT display_name, circle, cadence_days FROM contacts WHERE id = :id")?
        .query_row(named_params! { ":id": id }, |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (name, circle, cadence) = row.ok_or(Error::NotFound {
        what: "contact",
        id,
    })?;
    let value = match edit {
        BulkEdit::Circle(_) => BulkEdit::Circle(circle),
        BulkEdit::Cadence(_) => BulkEdit::Cadence(cadence),
        BulkEdit::Tag(tag) | BulkEdit::Untag(tag) => {
            if has_tag(conn, id, tag)? {
                BulkEdit::Tag(tag.clone())
            } else {
                BulkEdit::Untag(tag.clone())
            }
        }
    };
    Ok((name, value))
}

fn has_tag(conn: &Connection, id: i64, tag: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                            WHERE ct.contact_id = :id AND t.name = :tag)",
        )?
        .query_row(named_params! { ":id": id, ":tag": tag }, |r| r.get(0))?)
}

/// Writes `edit` on contact `id` (named `name`, for an error) and marks it changed at `now`.
fn apply(
    conn: &Connection,
    id: i64,
    name: &str,
    edit: &BulkEdit,
    now: DateTime<Utc>,
) -> Result<()> {
    let at = to_db_time(now);
    match edit {
        BulkEdit::Circle(circle) => {
            conn.prepare_cached(
                "UPDATE contacts SET circle = :circle, updated_at = :now WHERE id = :id",
            )?
            .execute(named_params! { ":id": id, ":now": at, ":circle": circle })?;
        }
        BulkEdit::Cadence(days) => {
            conn.prepare_cached(
                "UPDATE contacts SET cadence_days = :days, updated_at = :now WHERE id = :id",
            )?
            .execute(named_params! { ":id": id, ":now": at, ":days": days })?;
        }
        BulkEdit::Tag(tag) => {
            let count: i64 = conn
                .prepare_cached("SELECT count(*) FROM contact_tags WHERE contact_id = :id")?
                .query_row(named_params! { ":id": id }, |r| r.get(0))?;
            if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_TAGS {
                return Err(Error::invalid(
                    "tag",
                    format!("{name} has {MAX_TAGS} tags already: a contact can have no more."),
                ));
            }
            add_tags(conn, id, std::slice::from_ref(tag))?;
            conn.prepare_cached("UPDATE contacts SET updated_at = :now WHERE id = :id")?
                .execute(named_params! { ":id": id, ":now": at })?;
        }
        BulkEdit::Untag(tag) => {
            conn.prepare_cached(
                "DELETE FROM contact_tags WHERE contact_id = :id
                   AND tag_id IN (SELECT id FROM tags WHERE name = :tag)",
            )?
            .execute(named_params! { ":id": id, ":tag": tag })?;
            conn.prepare_cached("UPDATE contacts SET updated_at = :now WHERE id = :id")?
                .execute(named_params! { ":id": id, ":now": at })?;
        }
    }
    Ok(())
}

/// After `edit` was written on the people in `changed`: their due dates under the rules in
/// force, their search text if tags moved, and tags no one has any more.
fn settle(conn: &Connection, edit: &BulkEdit, changed: &[BulkPrevious]) -> Result<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = changed.iter().map(|p| p.id).collect();
    refresh_due(conn, &due_rules(conn)?, Scope::Ids(&ids))?;
    if edit.touches_tags() {
        reindex_many(conn, &ids)?;
        drop_unused_tags(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
