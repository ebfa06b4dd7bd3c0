//! People entered twice: the likely pairs (loading who is who for the pure search in
//! `duplicates`), a merge of two contacts as one transaction — the fields joined, every
//! touch, follow-up, reminder, event and import record of the other moved to the one kept,
//! the other deleted (its card, and the tasks that named it, left to be deleted on the
//! server) — and its undo, which gives the other back with everything that moved.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::cadence::due_rules;
use super::contacts::{
    delete_contact, drop_unused_tags, ensure_exists, insert_contact, load_contact, refresh_touch,
    reindex, summary_from_row, write_fields, SUMMARY_COLUMNS,
};
use super::sync::renew_tasks;
use super::{from_db_time, to_db_time, undo_json, undo_value, Store};
use crate::duplicates::{
    likely_pairs, merge_people, Candidate, DuplicatePair, Duplicates, MergePreview, MergeReport,
    MergeSummary, Moves,
};
use crate::import::identity::Listed;
use crate::import::merge::differences;
use crate::model::{Contact, ContactField, ContactInput, LabeledValue};
use crate::{Error, Result};

/// How many pairs the search lists at most (the rest are counted).
const SHOWN_PAIRS: usize = 100;

/// The tables whose rows belong to one contact by a `contact_id` and move whole in a merge.
const OWNED: [&str; 4] = ["follow_ups", "reminders", "occurrences", "sync_conflicts"];

/// What moved from the other contact to the one kept, so undo can move it back.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Moved {
    /// Interactions the other was part of, and whether the kept one was part of it too.
    touches: Vec<(i64, bool)>,
    /// Events the other attended, and whether the kept one did too.
    events: Vec<(i64, bool)>,
    /// Rows of each [`OWNED`] table, in its order.
    owned: Vec<Vec<i64>>,
    /// The other's import records as they were, and whether the kept one had one for that
    /// import.
    imports: Vec<ImportItem>,
}

/// A row of `merges`, as undo reads it.
struct MergeRow {
    kept: i64,
    before: String,
    kept_created: i64,
    kept_updated: i64,
    other_id: i64,
    other: String,
    other_created: i64,
    hidden: Option<i64>,
    moved: String,
    undone: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct ImportItem {
    import: i64,
    created: bool,
    before: Option<String>,
    interaction: Option<i64>,
    kept_had_one: bool,
}

impl Moved {
    fn moves(&self) -> Moves {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Moves {
            touches: count(self.touches.len()),
            follow_ups: count(self.owned[0].len()),
            reminders: count(self.owned[1].len()),
            events: count(self.events.len()),
        }
    }
}

impl Store {
    /// The pairs of people who may be one, strongest reason first, at most a hundred of
    /// them; archived people and pairs said to be two people are left out.
    pub fn duplicates(&self, now: DateTime<Utc>) -> Result<Duplicates> {
        self.read(|conn| {
            let people = candidates(conn)?;
            let apart: HashSet<(i64, i64)> = conn
                .prepare("SELECT a, b FROM not_duplicates")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let likely = likely_pairs(&people, &apart);
            let more = u32::try_from(likely.len().saturating_sub(SHOWN_PAIRS)).unwrap_or(u32::MAX);
            let shown = &likely[..likely.len().min(SHOWN_PAIRS)];
            let ids: Vec<i64> = shown.iter().flat_map(|l| [l.a, l.b]).collect();
            let mut stmt = conn.prepare(&format!(
                "SELECT {SUMMARY_COLUMNS}, c.touch_count + c.connection_count AS touches,
                        c.created_at
                 FROM contacts c WHERE c.id IN (SELECT value FROM json_each(:ids))"
            ))?;
            let ids = serde_json::Value::from(ids).to_string();
            let known: HashMap<i64, _> = stmt
                .query_map(named_params! { ":ids": ids }, |r| {
                    let summary = summary_from_row(r, now)?;
                    let touches: i64 = r.get("touches")?;
                    let created: i64 = r.get("created_at")?;
                    Ok((summary.id, (summary, touches, created)))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut pairs = Vec::new();
            for l in shown {
                let (Some(a), Some(b)) = (known.get(&l.a), known.get(&l.b)) else {
                    continue;
                };
                // Keep the longer history, else the one added first.
                let a_first = (a.1, -a.2, -a.0.id) >= (b.1, -b.2, -b.0.id);
                let (keep, other) = if a_first { (a, b) } else { (b, a) };
                // The company as the kept one spells it.
                let same_company = l.same_company.as_ref().and(keep.0.company.clone());
                pairs.push(DuplicatePair {
                    keep: keep.0.clone(),
                    other: other.0.clone(),
                    by: l.by,
                    value: l.value.clone(),
                    maybe: l.maybe,
                    same_company,
                    same_tags: l.same_tags.clone(),
                });
            }
            Ok(Duplicates { pairs, more })
        })
    }

    /// Says contacts `a` and `b` are two people: the search for duplicates leaves them
    /// apart from now on.
    pub fn not_duplicates(&mut self, a: i64, b: i64) -> Result<()> {
        if a == b {
            return Err(Error::invalid("other", "That is the same contact twice."));
        }
        self.write(|tx| {
            ensure_exists(tx, a)?;
            ensure_exists(tx, b)?;
            tx.execute(
                "INSERT OR IGNORE INTO not_duplicates (a, b) VALUES (:a, :b)",
                named_params! { ":a": a.min(b), ":b": a.max(b) },
            )?;
            Ok(())
        })
    }

    /// What merging contact `other` into contact `keep` would do.
    pub fn merge_preview(&self, keep: i64, other: i64) -> Result<MergePreview> {
        self.read(|conn| {
            let (k, o) = pair(conn, keep, other)?;
            let (keep_in, other_in) = (k.to_input(), o.to_input());
            let merged = merge_people(&keep_in, &other_in, &[]);
            let (adds, conflicts) = differences(&keep_in, &merged, &other_in);
            let count_of = |id: i64, sql: &str| -> Result<u32> {
                Ok(conn.query_row(sql, named_params! { ":id": id }, |r| r.get(0))?)
            };
            let count = |sql: &str| count_of(other, sql);
            const TOUCHES: &str =
                "SELECT count(*) FROM interaction_contacts WHERE contact_id = :id";
            let moves = Moves {
                touches: count(TOUCHES)?,
                follow_ups: count("SELECT count(*) FROM follow_ups WHERE contact_id = :id")?,
                reminders: count("SELECT count(*) FROM reminders WHERE contact_id = :id")?,
                events: count("SELECT count(*) FROM event_attendees WHERE contact_id = :id")?,
            };
            Ok(MergePreview {
                keep_touches: count_of(keep, TOUCHES)?,
                other_touches: moves.touches,
                keep: k,
                other: o,
                merged,
                adds,
                conflicts,
                moves,
            })
        })
    }

    /// Merges contact `other` into contact `keep` as one transaction: `keep` gets the fields
    /// of both (the other's value where the user takes it, `take`), everything the other
    /// had moves to it, and the other goes. [`Store::undo_merge`] takes it back.
    pub fn merge_contacts(
        &mut self,
        keep: i64,
        other: i64,
        take: &[ContactField],
        now: DateTime<Utc>,
    ) -> Result<MergeReport> {
        let (merge_id, moves, other_name) = self.write(|tx| {
            let (k, o) = pair(tx, keep, other)?;
            let (keep_in, other_in) = (k.to_input(), o.to_input());
            let merged = merge_people(&keep_in, &other_in, take).validated()?;
            let hidden: Option<i64> = tx
                .query_row(
                    "SELECT hidden_until FROM suggestion_states WHERE contact_id = :id",
                    named_params! { ":id": other },
                    |r| r.get(0),
                )
                .optional()?;
            let moved = move_rows(tx, other, keep)?;
            delete_contact(tx, other)?;
            write_fields(tx, keep, &merged, now)?;
            tx.execute(
                "UPDATE contacts SET created_at = min(created_at, :other) WHERE id = :id",
                named_params! { ":id": keep, ":other": to_db_time(o.created_at) },
            )?;
            tx.execute(
                "INSERT INTO merges (kept_id, kept_before, kept_created_at, kept_updated_at,
                     other_id, other, other_created_at, other_hidden_until, moved, created_at)
                 VALUES (:kept, :before, :kept_created, :now, :other_id, :other,
                     :other_created, :hidden, :moved, :now)",
                named_params! {
                    ":kept": keep,
                    ":before": undo_json("the contact kept", &keep_in)?,
                    ":kept_created": to_db_time(k.created_at),
                    ":now": to_db_time(now),
                    ":other_id": other,
                    ":other": undo_json("the contact merged", &other_in)?,
                    ":other_created": to_db_time(o.created_at),
                    ":hidden": hidden,
                    ":moved": undo_json("what moved", &moved)?,
                },
            )?;
            Ok((tx.last_insert_rowid(), moved.moves(), o.display_name))
        })?;
        Ok(MergeReport {
            merge_id,
            kept: self.get_contact(keep)?,
            other_id: other,
            other_name,
            moves,
        })
    }

    /// The merges done, newest first (a merge goes from the list with its kept contact).
    pub fn list_merges(&self) -> Result<Vec<MergeSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.id, m.kept_id, c.display_name, m.other ->> '$.displayName', m.created_at,
                    m.undone_at, m.undone_at IS NULL AND c.updated_at = m.kept_updated_at
             FROM merges m JOIN contacts c ON c.id = m.kept_id
             ORDER BY m.created_at DESC, m.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MergeSummary {
                id: r.get(0)?,
                kept_id: r.get(1)?,
                kept_name: r.get(2)?,
                other_name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                created_at: from_db_time(r.get(4)?)?,
                undone_at: r.get::<_, Option<i64>>(5)?.map(from_db_time).transpose()?,
                can_undo: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Undoes merge `id`: the other contact comes back (under its old id when that is
    /// free) with everything that moved, and the kept one gets back the fields it had.
    /// Refused once the kept contact changed after the merge, so no later edit is lost.
    pub fn undo_merge(&mut self, id: i64, now: DateTime<Utc>) -> Result<Contact> {
        let other = self.write(|tx| {
            let row = tx
                .query_row(
                    "SELECT * FROM merges WHERE id = :id",
                    named_params! { ":id": id },
                    |r| {
                        Ok(MergeRow {
                            kept: r.get("kept_id")?,
                            before: r.get("kept_before")?,
                            kept_created: r.get("kept_created_at")?,
                            kept_updated: r.get("kept_updated_at")?,
                            other_id: r.get("other_id")?,
                            other: r.get("other")?,
                            other_created: r.get("other_created_at")?,
                            hidden: r.get("other_hidden_until")?,
                            moved: r.get("moved")?,
                            undone: r.get::<_, Option<i64>>("undone_at")?.is_some(),
                        })
                    },
                )
                .optional()?
                .ok_or(Error::NotFound { what: "merge", id })?;
            if row.undone {
                return Err(Error::Conflict("This merge was already undone.".into()));
            }
            let MergeRow {
                kept,
                before,
                kept_created,
                kept_updated,
                other_id,
                other,
                other_created,
                hidden,
                moved,
                ..
            } = row;
            let k = load_contact(tx, kept)?;
            if to_db_time(k.updated_at) != kept_updated {
                return Err(Error::Conflict(format!(
                    "{} was changed after the merge; undoing it now would lose that change.",
                    k.display_name
                )));
            }
            let before: ContactInput = undo_value("the contact kept before the merge", &before)?;
            let other_in: ContactInput = undo_value("the contact merged before the merge", &other)?;
            let moved: Moved = undo_value("what moved before the merge", &moved)?;
            let free: bool = tx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM contacts WHERE id = :id)",
                named_params! { ":id": other_id },
                |r| r.get(0),
            )?;
            let rules = due_rules(tx)?;
            let back = insert_contact(tx, free.then_some(other_id), &other_in, &rules, None, now)?;
            tx.execute(
                "UPDATE contacts SET created_at = :created WHERE id = :id",
                named_params! { ":id": back, ":created": other_created },
            )?;
            if let Some(until) = hidden {
                tx.execute(
                    "INSERT OR REPLACE INTO suggestion_states (contact_id, hidden_until)
                     VALUES (:id, :until)",
                    named_params! { ":id": back, ":until": until },
                )?;
            }
            move_back(tx, &moved, kept, back)?;
            write_fields(tx, kept, &before, now)?;
            tx.execute(
                "UPDATE contacts SET created_at = :created WHERE id = :id",
                named_params! { ":id": kept, ":created": kept_created },
            )?;
            refresh_touch(tx, &rules, back)?;
            reindex(tx, back)?;
            drop_unused_tags(tx)?;
            tx.execute(
                "UPDATE merges SET undone_at = :now WHERE id = :id",
                named_params! { ":id": id, ":now": to_db_time(now) },
            )?;
            Ok(back)
        })?;
        self.get_contact(other)
    }
}

/// Contacts `keep` and `other`, when they are two active contacts.
fn pair(conn: &Connection, keep: i64, other: i64) -> Result<(Contact, Contact)> {
    if keep == other {
        return Err(Error::invalid(
            "other",
            "A contact cannot be merged into itself.",
        ));
    }
    let (k, o) = (load_contact(conn, keep)?, load_contact(conn, other)?);
    for c in [&k, &o] {
        if c.archived_at.is_some() {
            return Err(Error::invalid(
                if c.id == keep { "keep" } else { "other" },
                format!(
                    "{} is archived: restore them before merging.",
                    c.display_name
                ),
            ));
        }
    }
    Ok((k, o))
}

/// Everyone active, by what identifies them.
fn candidates(conn: &Connection) -> Result<Vec<Candidate>> {
    let mut people: Vec<Candidate> = conn
        .prepare(
            "SELECT id, display_name, company FROM contacts WHERE archived_at IS NULL ORDER BY id",
        )?
        .query_map([], |r| {
            Ok(Candidate {
                id: r.get(0)?,
                person: ContactInput {
                    display_name: r.get(1)?,
                    company: r.get(2)?,
                    ..Default::default()
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let at: HashMap<i64, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut stmt = conn.prepare(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
            people[i].person.tags.push(r.get(1)?);
        }
    }
    for (table, list) in [
        ("contact_emails", Listed::Emails),
        ("contact_phones", Listed::Phones),
        ("contact_links", Listed::Links),
    ] {
        let mut stmt = conn.prepare(&format!(
            "SELECT contact_id, label, value FROM {table} ORDER BY contact_id, position"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&i) = at.get(&r.get::<_, i64>(0)?) else {
                continue;
            };
            list.of_mut(&mut people[i].person).push(LabeledValue {
                label: r.get(1)?,
                value: r.get(2)?,
            });
        }
    }
    Ok(people)
}

/// Moves what contact `from` has to contact `to`, saying what moved. The caller writes `to`'s
/// fields next, which refreshes its dates.
fn move_rows(tx: &Connection, from: i64, to: i64) -> Result<Moved> {
    let ids = named_params! { ":from": from, ":to": to };
    let shared = |table: &str, key: &str| -> Result<Vec<(i64, bool)>> {
        let found = tx
            .prepare(&format!(
                "SELECT m.{key}, EXISTS (SELECT 1 FROM {table} k
                                        WHERE k.{key} = m.{key} AND k.contact_id = :to)
                 FROM {table} m WHERE m.contact_id = :from ORDER BY m.{key}"
            ))?
            .query_map(ids, |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // Rows the kept contact already has stay once.
        tx.execute(
            &format!("UPDATE OR IGNORE {table} SET contact_id = :to WHERE contact_id = :from"),
            ids,
        )?;
        tx.execute(
            &format!("DELETE FROM {table} WHERE contact_id = :from"),
            named_params! { ":from": from },
        )?;
        Ok(found)
    };
    let touches = shared("interaction_contacts", "interaction_id")?;
    let events = shared("event_attendees", "event_id")?;
    let mut owned = Vec::new();
    for table in OWNED {
        let rows: Vec<i64> = tx
            .prepare(&format!(
                "SELECT id FROM {table} WHERE contact_id = :from ORDER BY id"
            ))?
            .query_map(named_params! { ":from": from }, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute(
            &format!("UPDATE {table} SET contact_id = :to WHERE contact_id = :from"),
            ids,
        )?;
        owned.push(rows);
    }
    let imports = tx
        .prepare(
            "SELECT import_id, created, before, interaction_id,
                    EXISTS (SELECT 1 FROM import_items k
                            WHERE k.import_id = m.import_id AND k.contact_id = :to)
             FROM import_items m WHERE contact_id = :from ORDER BY import_id",
        )?
        .query_map(ids, |r| {
            Ok(ImportItem {
                import: r.get(0)?,
                created: r.get(1)?,
                before: r.get(2)?,
                interaction: r.get(3)?,
                kept_had_one: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Undoing that import later removes the connection it logged, never the person kept.
    tx.execute(
        "INSERT OR IGNORE INTO import_items (import_id, contact_id, created, before, interaction_id)
         SELECT import_id, :to, 0, NULL, interaction_id FROM import_items WHERE contact_id = :from",
        ids,
    )?;
    tx.execute(
        "DELETE FROM import_items WHERE contact_id = :from",
        named_params! { ":from": from },
    )?;
    renew_tasks(tx, &owned[0], &owned[1])?;
    Ok(Moved {
        touches,
        events,
        owned,
        imports,
    })
}

/// Moves what [`move_rows`] moved from contact `kept` back to contact `to`; rows gone since
/// (an interaction deleted, an import undone) stay gone. The caller refreshes both
/// contacts' dates.
fn move_back(tx: &Connection, moved: &Moved, kept: i64, to: i64) -> Result<()> {
    let ids = |rows: &mut dyn Iterator<Item = i64>| {
        serde_json::Value::from(rows.collect::<Vec<_>>()).to_string()
    };
    let back =
        |table: &str, key: &str, of: &[(i64, bool)], extra: &str, from: &str| -> Result<()> {
            let moved = ids(&mut of.iter().filter(|(_, s)| !s).map(|(i, _)| *i));
            let shared = ids(&mut of.iter().filter(|(_, s)| *s).map(|(i, _)| *i));
            tx.execute(
                &format!(
                    "UPDATE {table} SET contact_id = :to
                 WHERE contact_id = :kept AND {key} IN (SELECT value FROM json_each(:ids))"
                ),
                named_params! { ":to": to, ":kept": kept, ":ids": moved },
            )?;
            tx.execute(
                &format!(
                    "INSERT OR IGNORE INTO {table} ({key}, contact_id{extra})
                 SELECT id, :to{extra} FROM {from} WHERE id IN (SELECT value FROM json_each(:ids))"
                ),
                named_params! { ":to": to, ":ids": shared },
            )?;
            Ok(())
        };
    back(
        "interaction_contacts",
        "interaction_id",
        &moved.touches,
        ", occurred_at",
        "interactions",
    )?;
    back("event_attendees", "event_id", &moved.events, "", "events")?;
    for (table, rows) in OWNED.iter().zip(&moved.owned) {
        tx.execute(
            &format!(
                "UPDATE {table} SET contact_id = :to
                 WHERE contact_id = :kept AND id IN (SELECT value FROM json_each(:ids))"
            ),
            named_params! { ":to": to, ":kept": kept, ":ids": ids(&mut rows.iter().copied()) },
        )?;
    }
    for item in &moved.imports {
        if !item.kept_had_one {
            tx.execute(
                "DELETE FROM import_items WHERE import_id = :import AND contact_id = :kept",
                named_params! { ":import": item.import, ":kept": kept },
            )?;
        }
        tx.execute(
            "INSERT OR IGNORE INTO import_items (import_id, contact_id, created, before, interaction_id)
             SELECT id, :to, :created, :before, (SELECT id FROM interactions WHERE id = :interaction)
             FROM imports WHERE id = :import",
            named_params! {
                ":import": item.import,
                ":to": to,
                ":created": item.created,
                ":before": item.before,
                ":interaction": item.interaction,
            },
        )?;
    }
    renew_tasks(tx, &moved.owned[0], &moved.owned[1])?;
    Ok(())
}

#[cfg(test)]
mod tests;
