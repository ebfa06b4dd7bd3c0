//! Imports into the network: the plan (what each record of a file would do: add a contact,
//! merge into one that exists, nothing because it is already there, or be skipped), the
//! commit of a plan as one transaction, and undoing an import as a whole. A record matches a
//! contact by LinkedIn profile, email or phone, or by a near-same name ("José  Núñez" and
//! "jose nunez") unless their emails or profiles say they are different people. Importing
//! the same file twice changes nothing the second time.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension};

use super::cadence::due_rules;
use super::contacts::{
    delete_contact, drop_unused_tags, insert_new_contact, load_contact, reindex_many, write_fields,
    write_fields_unindexed,
};
use super::interactions::insert_interaction;
use super::{from_db_time, settings, to_db_time, undo_json, undo_value, Store};
use crate::backup::BackupReason;
use crate::cadence::DueRules;
use crate::calendar::local_instant;
use crate::history::{InteractionInput, InteractionKind};
use crate::import::identity::{Identity, Index};
use crate::import::merge::{differences, merge};
use crate::import::{self, Collected, Format, Skipped};
use crate::import::{
    Choice, CsvColumns, EntryStatus, ImportCounts, ImportOptions, ImportPlan, ImportPreview,
    ImportReport, ImportSource, ImportSummary, MatchedBy, PlanEntry,
};
use crate::model::ContactField;
use crate::model::{self, Circle, ContactInput};
use crate::{Error, Result};

impl Store {
    /// What importing the file `bytes` would do, as the import dialog shows it; a generic
    /// CSV is read through `mapping` (or the one its header suggests) and its columns come
    /// back for the user to correct. Nothing is stored.
    pub fn preview_import(
        &self,
        file_name: &str,
        bytes: &[u8],
        mapping: Option<&import::Mapping>,
        options: &ImportOptions,
    ) -> Result<ImportPreview> {
        let format = import::detect(bytes)?;
        let columns = match format {
            Format::Csv => {
                let text = import::text(bytes)?;
                let headers = import::generic::headers(&text)?;
                let mapping = mapping
                    .cloned()
                    .unwrap_or_else(|| import::guess_mapping(&headers));
                Some(CsvColumns {
                    usable: import::generic::is_usable(&mapping),
                    sample: import::generic::sample(&text, 3)?,
                    headers,
                    mapping,
                })
            }
            _ => None,
        };
        let read = match &columns {
            Some(c) if !c.usable => Collected::default(),
            Some(c) => {
                let mut read = Collected::default();
                import::parse(bytes, format, Some(&c.mapping), &mut read)?;
                read
            }
            None => ImportSource::read(file_name, bytes, None)?.read,
        };
        let source = ImportSource {
            file_name: file_name.to_owned(),
            format,
            read,
        };
        Ok(ImportPreview {
            plan: self.plan_import(&source, options)?,
            columns,
        })
    }

    /// What importing `source` would do; nothing is stored.
    pub fn plan_import(
        &self,
        source: &ImportSource,
        options: &ImportOptions,
    ) -> Result<ImportPlan> {
        self.read(|conn| plan(conn, source, options))
    }

    /// Imports `source` as one transaction: new contacts added, duplicates merged as
    /// `choices` say (by default: empty fields filled, new values appended, the contact's own
    /// values kept), a "connected" interaction for each connection date. Nothing is stored if
    /// any of it fails.
    pub fn import(
        &mut self,
        source: &ImportSource,
        options: &ImportOptions,
        choices: &[Choice],
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        if super::contacts::anyone(&self.conn)? {
            self.back_up(BackupReason::BeforeImport, now)?;
        }
        // Planned under the write lock: another import (the app and the command line at
        // once) may have added the same people since the preview, and must be seen.
        self.write(|tx| {
            let plan = plan(tx, source, options)?;
            for c in choices {
                let entry = c.entry();
                if plan
                    .entries
                    .get(entry as usize)
                    .is_none_or(|e| e.status == EntryStatus::New)
                {
                    return Err(Error::invalid(
                        "choices",
                        format!("Entry {entry} is not a duplicate of this import."),
                    ));
                }
            }
            let tz = settings::user_zone(tx)?;
            let mut w = ImportWriter::start(tx, &plan, options, tz, now)?;
            let mut skipped = plan.skipped.clone();
            for e in &plan.entries {
                let choice = choices.iter().find(|c| c.entry() == e.index);
                match (e.status, e.contact_id, choice) {
                    (_, _, Some(Choice::AddNew { .. })) => {
                        w.add(&e.incoming, source_connected(source, &e.at))?
                    }
                    (EntryStatus::New, _, _) | (_, None, _) => w.add(&e.contact, e.connected_on)?,
                    (EntryStatus::Unchanged, _, _) => w.unchanged += 1,
                    (EntryStatus::Duplicate, Some(_), Some(Choice::Skip { .. })) => {
                        skipped.push(Skipped {
                            at: e.at.clone(),
                            name: Some(e.contact.display_name.clone()),
                            reason: "Already in Kith; you chose to leave it as it is.".into(),
                        })
                    }
                    (EntryStatus::Duplicate, Some(id), choice) => {
                        let take = match choice {
                            Some(Choice::Merge { take, .. }) => take.as_slice(),
                            _ => &[],
                        };
                        w.merge(id, &e.incoming, take, e.connected_on)?
                    }
                }
            }
            w.finish(skipped, plan.left_out())
        })
    }

    /// Past imports, newest first.
    pub fn list_imports(&self) -> Result<Vec<ImportSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, file_name, format, tag, added, merged, skipped, created_at, undone_at
             FROM imports ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ImportSummary {
                id: r.get(0)?,
                file_name: r.get(1)?,
                format: r.get(2)?,
                tag: r.get(3)?,
                added: r.get(4)?,
                merged: r.get(5)?,
                skipped: r.get(6)?,
                created_at: from_db_time(r.get(7)?)?,
                undone_at: r.get::<_, Option<i64>>(8)?.map(from_db_time).transpose()?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Undoes import `id` as a whole: the contacts it added go (with what was logged with
    /// them since), the contacts it merged into get back the fields they had, and the
    /// interactions it logged go.
    pub fn undo_import(&mut self, id: i64, now: DateTime<Utc>) -> Result<ImportSummary> {
        self.write(|tx| {
            let undone: Option<Option<i64>> = tx
                .query_row(
                    "SELECT undone_at FROM imports WHERE id = :id",
                    named_params! { ":id": id },
                    |r| r.get(0),
                )
                .optional()?;
            match undone {
                None => return Err(Error::NotFound { what: "import", id }),
                Some(Some(_)) => {
                    return Err(Error::Conflict("This import was already undone.".into()))
                }
                Some(None) => {}
            }
            type Item = (i64, bool, Option<String>, Option<i64>);
            let items: Vec<Item> = tx
                .prepare(
                    "SELECT contact_id, created, before, interaction_id FROM import_items
                     WHERE import_id = :id",
                )?
                .query_map(named_params! { ":id": id }, |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (contact, created, before, interaction) in items {
                if let Some(interaction) = interaction {
                    tx.execute(
                        "DELETE FROM interactions WHERE id = :id",
                        named_params! { ":id": interaction },
                    )?;
                }
                if created {
                    delete_contact(tx, contact)?;
                } else if let Some(before) = before {
                    let before: ContactInput =
                        undo_value("the contact before this import", &before)?;
                    write_fields(tx, contact, &before, now)?;
                }
            }
            drop_unused_tags(tx)?;
            tx.execute(
                "UPDATE imports SET undone_at = :now WHERE id = :id",
                named_params! { ":id": id, ":now": to_db_time(now) },
            )?;
            Ok(())
        })?;
        self.list_imports()?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(Error::NotFound { what: "import", id })
    }
}

/// What importing `source` would do, read through `conn` (inside the import's own write
/// transaction when it is about to be stored).
fn plan(conn: &Connection, source: &ImportSource, options: &ImportOptions) -> Result<ImportPlan> {
    let tag = match &options.tag {
        Some(t) => model::single_line("tag", "A tag", t)?,
        None => None,
    };
    if tag
        .as_ref()
        .is_some_and(|t| t.chars().count() > model::MAX_TAG_CHARS)
    {
        return Err(Error::invalid(
            "tag",
            format!("A tag is at most {} characters.", model::MAX_TAG_CHARS),
        ));
    }
    let mut index = load_index(conn)?;
    let mut existing: HashMap<i64, ContactInput> = HashMap::new();
    let mut entries: Vec<PlanEntry> = Vec::new();
    // The identity of each entry, by index (for new entries: what the file knows).
    let mut identities: Vec<Identity> = Vec::new();
    let mut skipped = source.read.skipped.clone();
    for record in &source.read.records {
        let mut incoming = record.contact.clone();
        if let Some(tag) = &tag {
            if !incoming.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                incoming.tags.push(tag.clone());
            }
        }
        let identity = Identity::of(&incoming);
        let found = index.find(&incoming, |id| {
            if id < 0 {
                identities
                    .get((-id - 1) as usize)
                    .is_some_and(|other| other.may_be(&identity))
            } else {
                load_contact(conn, id).is_ok_and(|c| Identity::of(&c.to_input()).may_be(&identity))
            }
        });
        match found {
            Some((id, how)) if id < 0 => {
                // The same person twice in one file: one contact with both records.
                let i = (-id - 1) as usize;
                let first = &mut entries[i];
                first.contact = merge(&first.contact, &incoming, &[]);
                first.connected_on = first.connected_on.or(record.connected_on);
                first.incoming = first.contact.clone();
                identities[i] = Identity::of(&first.contact);
                skipped.push(Skipped {
                    at: record.at.clone(),
                    name: Some(incoming.display_name.clone()),
                    reason: format!(
                        "The same person as {} (same {}): merged into it.",
                        first.at,
                        match how {
                            MatchedBy::LinkedIn => "LinkedIn profile",
                            MatchedBy::Email => "email",
                            MatchedBy::Phone => "phone",
                            MatchedBy::Name => "name",
                        }
                    ),
                });
            }
            Some((id, how)) => {
                let current = match existing.get(&id) {
                    Some(c) => c.clone(),
                    None => {
                        let c = load_contact(conn, id)?.to_input();
                        existing.insert(id, c.clone());
                        c
                    }
                };
                let merged = merge(&current, &incoming, &[]);
                let connected_on = match record.connected_on {
                    Some(on) if !has_connected(conn, id)? => Some(on),
                    _ => None,
                };
                let (adds, conflicts) = differences(&current, &merged, &incoming);
                let unchanged = merged == current && connected_on.is_none();
                identities.push(identity);
                entries.push(PlanEntry {
                    index: entries.len() as u32,
                    at: record.at.clone(),
                    status: if unchanged {
                        EntryStatus::Unchanged
                    } else {
                        EntryStatus::Duplicate
                    },
                    existing_name: Some(current.display_name.clone()),
                    contact: merged,
                    connected_on,
                    warnings: record.warnings.clone(),
                    contact_id: Some(id),
                    matched_by: Some(how),
                    adds,
                    conflicts,
                    incoming,
                });
            }
            None => {
                let mut contact = incoming.clone();
                if let Some(circle) = options.circle {
                    contact.circle = circle;
                }
                index.add(-(entries.len() as i64) - 1, &contact);
                identities.push(identity);
                entries.push(PlanEntry {
                    index: entries.len() as u32,
                    at: record.at.clone(),
                    status: EntryStatus::New,
                    contact,
                    connected_on: record.connected_on,
                    warnings: record.warnings.clone(),
                    contact_id: None,
                    existing_name: None,
                    matched_by: None,
                    adds: Vec::new(),
                    conflicts: Vec::new(),
                    incoming,
                });
            }
        }
    }
    let count = |s| entries.iter().filter(|e| e.status == s).count() as u32;
    Ok(ImportPlan {
        file_name: source.file_name.clone(),
        format: source.format,
        counts: ImportCounts {
            new: count(EntryStatus::New),
            duplicates: count(EntryStatus::Duplicate),
            unchanged: count(EntryStatus::Unchanged),
            skipped: skipped.len() as u32,
        },
        entries,
        skipped,
    })
}

/// Everyone in Kith by each key that identifies them.
fn load_index(conn: &Connection) -> Result<Index> {
    let mut index = Index::default();
    let pairs = |sql: &str| -> Result<Vec<(i64, String)>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    for (id, v) in pairs("SELECT contact_id, value FROM contact_links")? {
        index.add_link(id, &v);
    }
    for (id, v) in pairs("SELECT contact_id, value FROM contact_emails")? {
        index.add_email(id, &v);
    }
    for (id, v) in pairs("SELECT contact_id, value FROM contact_phones")? {
        index.add_phone(id, &v);
    }
    for (id, v) in pairs("SELECT id, display_name FROM contacts ORDER BY id")? {
        index.add_name(id, &v);
    }
    Ok(index)
}

/// Whether contact `id` already has a "connected" interaction (a second import of the
/// same LinkedIn file must not log it again).
fn has_connected(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM interaction_contacts ic
             JOIN interactions i ON i.id = ic.interaction_id
             WHERE ic.contact_id = :id AND i.kind = 'connected' LIMIT 1",
        )?
        .query_row(named_params! { ":id": id }, |_| Ok(()))
        .optional()?
        .is_some())
}

/// Writes one import inside its transaction: the `imports` row, each contact added or merged
/// with its `import_items` row (what undo needs), then the search index once.
struct ImportWriter<'t> {
    tx: &'t Connection,
    import_id: i64,
    circle: Option<Circle>,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    /// Each circle's cadence, read once.
    /// The cadence rules new contacts and merges are due under.
    rules: DueRules,
    written: Vec<i64>,
    /// The contacts added and when each was connected: their connections and import items
    /// are written in three statements at the end, not three per contact.
    added_items: Vec<(i64, Option<DateTime<Utc>>)>,
    added: u32,
    merged: u32,
    unchanged: u32,
}

impl<'t> ImportWriter<'t> {
    fn start(
        tx: &'t Connection,
        plan: &ImportPlan,
        options: &ImportOptions,
        tz: chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> Result<ImportWriter<'t>> {
        tx.execute(
            "INSERT INTO imports (file_name, format, tag, added, merged, skipped, created_at)
             VALUES (:file, :format, :tag, 0, 0, 0, :now)",
            named_params! {
                ":file": plan.file_name,
                ":format": plan.format,
                ":tag": options.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()),
                ":now": to_db_time(now),
            },
        )?;
        Ok(ImportWriter {
            tx,
            import_id: tx.last_insert_rowid(),
            circle: options.circle,
            tz,
            now,
            rules: due_rules(tx)?,
            written: Vec::new(),
            added_items: Vec::new(),
            added: 0,
            merged: 0,
            unchanged: 0,
        })
    }

    /// When a connection made on `on` happened: noon that day where the user lives (never
    /// in the future).
    fn connected_at(&self, on: NaiveDate) -> DateTime<Utc> {
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
        local_instant(self.tz, on.and_time(noon)).min(self.now)
    }

    fn item(&self, contact: i64, before: String, interaction: Option<i64>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO import_items (import_id, contact_id, created, before, interaction_id)
                 VALUES (:import, :contact, 0, :before, :interaction)",
            )?
            .execute(named_params! {
                ":import": self.import_id,
                ":contact": contact,
                ":before": before,
                ":interaction": interaction,
            })?;
        Ok(())
    }

    /// Adds `contact` as a new contact, connected on `on`.
    fn add(&mut self, contact: &ContactInput, on: Option<NaiveDate>) -> Result<()> {
        let mut contact = contact.clone();
        if let Some(circle) = self.circle {
            contact.circle = circle;
        }
        let touch = on.map(|on| self.connected_at(on));
        let id = insert_new_contact(self.tx, &contact, &self.rules, touch, self.now)?;
        self.added_items.push((id, touch));
        self.written.push(id);
        self.added += 1;
        Ok(())
    }

    /// Merges `incoming` into contact `id` (taking the file's value for `take`), and logs the
    /// connection on `on` unless the contact is archived.
    fn merge(
        &mut self,
        id: i64,
        incoming: &ContactInput,
        take: &[ContactField],
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let current = load_contact(self.tx, id)?;
        let before = current.to_input();
        let interaction = match on {
            Some(on) if current.archived_at.is_none() => {
                let input = InteractionInput {
                    contact_ids: vec![id],
                    kind: InteractionKind::Connected,
                    occurred_at: self.connected_at(on),
                    direction: None,
                    notes: None,
                };
                Some(insert_interaction(self.tx, &input, None, self.now)?)
            }
            _ => None,
        };
        write_fields_unindexed(
            self.tx,
            id,
            &merge(&before, incoming, take),
            &self.rules,
            self.now,
        )?;
        let before = undo_json("the contact", &before)?;
        self.item(id, before, interaction)?;
        self.written.push(id);
        self.merged += 1;
        Ok(())
    }

    /// Indexes what was written, records the counts and says what was done.
    fn finish(self, skipped: Vec<Skipped>, left_out: Vec<Skipped>) -> Result<ImportReport> {
        // Connections get the ids after the last interaction, in order.
        let first: i64 = self.tx.query_row(
            "SELECT coalesce(max(id), 0) + 1 FROM interactions",
            [],
            |r| r.get(0),
        )?;
        let added = serde_json::Value::from(
            self.added_items
                .iter()
                .map(|(c, at)| serde_json::json!([c, at.map(to_db_time)]))
                .collect::<Vec<_>>(),
        )
        .to_string();
        let now = to_db_time(self.now);
        self.tx
            .prepare_cached(
                "INSERT INTO interactions (id, kind, occurred_at, created_at, updated_at)
                 SELECT :first + key, 'connected', value ->> 1, :now, :now
                 FROM json_each(:added) WHERE value ->> 1 IS NOT NULL",
            )?
            .execute(named_params! { ":first": first, ":added": added, ":now": now })?;
        self.tx
            .prepare_cached(
                "INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
                 SELECT :first + key, value ->> 0, value ->> 1
                 FROM json_each(:added) WHERE value ->> 1 IS NOT NULL",
            )?
            .execute(named_params! { ":first": first, ":added": added })?;
        self.tx
            .prepare_cached(
                "INSERT INTO import_items (import_id, contact_id, created, before, interaction_id)
                 SELECT :import, value ->> 0, 1, NULL,
                        CASE WHEN value ->> 1 IS NOT NULL THEN :first + key END
                 FROM json_each(:added)",
            )?
            .execute(
                named_params! { ":import": self.import_id, ":first": first, ":added": added },
            )?;
        reindex_many(self.tx, &self.written)?;
        self.tx.execute(
            "UPDATE imports SET added = :added, merged = :merged, skipped = :skipped
             WHERE id = :id",
            named_params! {
                ":id": self.import_id,
                ":added": self.added,
                ":merged": self.merged,
                ":skipped": skipped.len() as u32,
            },
        )?;
        Ok(ImportReport {
            import_id: self.import_id,
            added: self.added,
            merged: self.merged,
            unchanged: self.unchanged,
            skipped,
            left_out,
        })
    }
}

/// The connection date of the record at `at` in the file.
fn source_connected(source: &ImportSource, at: &str) -> Option<NaiveDate> {
    source
        .read
        .records
        .iter()
        .find(|r| r.at == at)
        .and_then(|r| r.connected_on)
}

#[cfg(test)]
mod tests;
