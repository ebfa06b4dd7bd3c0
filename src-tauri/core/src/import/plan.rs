//! What an import is and does, as the preview shows it and the store carries it out: the
//! options, the file as read, each entry of the plan (new, already in Kith with something
//! new, unchanged) with what it adds and where it disagrees, the user's choices, the report
//! and the summary kept for undo. Plain data that crosses IPC.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Collected, Format, Mapping, Skipped};
use crate::model::ContactField;
use crate::model::{Circle, ContactInput};
use crate::Result;

/// What the user asks of an import besides its file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ImportOptions {
    /// A tag for everyone in the file ("former colleagues at Acme"), ready to be a goal's
    /// audience.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub tag: Option<String>,
    /// The circle of the contacts it adds (the network circle when absent).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub circle: Option<Circle>,
}

/// What a file is, as read: its name, format and records.
#[derive(Debug, Clone)]
pub struct ImportSource {
    pub file_name: String,
    pub format: Format,
    pub read: Collected,
}

impl ImportSource {
    /// Reads `bytes` (a file called `file_name`): its format from its content, its records
    /// through `mapping` for a generic CSV (or the mapping its header suggests).
    pub fn read(file_name: &str, bytes: &[u8], mapping: Option<&Mapping>) -> Result<ImportSource> {
        let format = super::detect(bytes)?;
        let mut read = Collected::default();
        super::parse(bytes, format, mapping, &mut read)?;
        Ok(ImportSource {
            file_name: file_name.to_owned(),
            format,
            read,
        })
    }
}

/// The columns of a generic CSV, for the step where the user says what each holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CsvColumns {
    pub headers: Vec<String>,
    pub mapping: Mapping,
    /// The first rows, to show what each column holds.
    pub sample: Vec<Vec<String>>,
    /// Whether the mapping names enough (a name, email or company column) to import.
    pub usable: bool,
}

/// What the import dialog shows: the plan, and for a generic CSV its columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub plan: ImportPlan,
    #[ts(optional = nullable)]
    pub columns: Option<CsvColumns>,
}

/// How a record was found to be someone Kith knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MatchedBy {
    LinkedIn,
    Email,
    Phone,
    Name,
}

/// A field where the file and the contact disagree; the contact's value stays unless the
/// user takes the file's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Conflict {
    pub field: ContactField,
    pub current: String,
    pub incoming: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum EntryStatus {
    /// Not in Kith yet: will be added.
    New,
    /// Someone Kith knows, and the file has something new about them: offered for merge.
    Duplicate,
    /// Someone Kith knows, and the file adds nothing.
    Unchanged,
}

/// One person of the file and what importing it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlanEntry {
    /// Its place in the plan, which a [`Choice`] names.
    pub index: u32,
    pub at: String,
    pub status: EntryStatus,
    /// The contact as it would be stored: the new contact, or the merge with what Kith has.
    pub contact: ContactInput,
    #[ts(optional = nullable)]
    pub connected_on: Option<NaiveDate>,
    pub warnings: Vec<String>,
    #[ts(optional = nullable, type = "number")]
    pub contact_id: Option<i64>,
    #[ts(optional = nullable)]
    pub existing_name: Option<String>,
    #[ts(optional = nullable)]
    pub matched_by: Option<MatchedBy>,
    /// What a merge adds to the contact ("email ana@x.org", "tag Book club").
    pub adds: Vec<String>,
    pub conflicts: Vec<Conflict>,
    /// The file's own record, for a field-by-field choice.
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) incoming: ContactInput,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportCounts {
    pub new: u32,
    pub duplicates: u32,
    pub unchanged: u32,
    pub skipped: u32,
}

/// What importing a file would do, before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPlan {
    pub file_name: String,
    pub format: Format,
    pub counts: ImportCounts,
    pub entries: Vec<PlanEntry>,
    pub skipped: Vec<Skipped>,
}

impl ImportPlan {
    /// The plan as a window can show it: every duplicate (up to `limit`), and up to `limit`
    /// of the new and unchanged entries; the counts still tell the whole file.
    /// The records that keep going without a value Kith could not read, each with what was
    /// left out of it.
    pub fn left_out(&self) -> Vec<Skipped> {
        self.entries
            .iter()
            .filter(|e| !e.warnings.is_empty())
            .map(|e| Skipped {
                at: e.at.clone(),
                name: Some(e.incoming.display_name.clone()),
                reason: e.warnings.join(" "),
            })
            .collect()
    }

    pub fn shown(mut self, limit: usize) -> ImportPlan {
        let (mut new, mut duplicates, mut unchanged) = (0, 0, 0);
        self.entries.retain(|e| {
            let seen = match e.status {
                EntryStatus::New => &mut new,
                EntryStatus::Duplicate => &mut duplicates,
                EntryStatus::Unchanged => &mut unchanged,
            };
            *seen += 1;
            *seen <= limit
        });
        self.skipped.truncate(limit);
        self
    }
}

/// The user's answer for one duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "action", deny_unknown_fields)]
#[ts(export)]
pub enum Choice {
    /// Merge, taking the file's value for these fields (others keep the contact's).
    Merge { entry: u32, take: Vec<ContactField> },
    /// Leave the contact as it is.
    Skip { entry: u32 },
    /// Not the same person: add the record as a new contact.
    AddNew { entry: u32 },
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    #[ts(type = "number")]
    pub import_id: i64,
    pub added: u32,
    pub merged: u32,
    pub unchanged: u32,
    pub skipped: Vec<Skipped>,
    /// Records imported without a value Kith could not read (a birthday of 30 February, an
    /// unknown time zone): the record, and what was left out of it.
    pub left_out: Vec<Skipped>,
}

/// An import as the list of past imports shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub format: Format,
    #[ts(optional = nullable)]
    pub tag: Option<String>,
    pub added: u32,
    pub merged: u32,
    pub skipped: u32,
    pub created_at: DateTime<Utc>,
    #[ts(optional = nullable)]
    pub undone_at: Option<DateTime<Utc>>,
}

impl Choice {
    /// The plan entry the choice is about.
    pub fn entry(&self) -> u32 {
        match self {
            Choice::Merge { entry, .. } | Choice::Skip { entry } | Choice::AddNew { entry } => {
                *entry
            }
        }
    }
}
