//! The first step of someone who arrives with only connections: imported connections are
//! not a debt (they have no rhythm until the user gives one or touches them), so after a
//! LinkedIn import Today has nothing to say. This loads a few of them to choose from — the
//! most recent connections, and the companies and tags most of them share — so the user can
//! give a handful a rhythm in one click each. It reads; the rhythm is set by a bulk edit.

use chrono::{DateTime, Utc};
use rusqlite::named_params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::contacts::{summary_from_row, SUMMARY_COLUMNS};
use super::Store;
use crate::model::ContactSummary;
use crate::Result;

/// People offered per group: a few to choose from, not a list to work through.
pub const KEEP_UP_PEOPLE: u32 = 8;
/// Companies and tags offered: the ones most connections share.
pub const KEEP_UP_GROUPS: u32 = 3;
/// Below this many people kept up with, Kith offers the first step on an empty Today.
pub const FEW_KEPT: u32 = 10;

/// A set of connections without a rhythm, offered together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeepUpGroup {
    /// The company or tag they share.
    pub name: String,
    /// How many connections without a rhythm share it.
    pub count: u32,
    /// The most recently connected of them, at most [`KEEP_UP_PEOPLE`].
    pub people: Vec<ContactSummary>,
}

/// What the first step offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeepUpChoices {
    /// True when the first step is worth offering on an empty Today: connections wait
    /// without a rhythm and fewer than [`FEW_KEPT`] people are kept up with.
    pub offer: bool,
    /// Active people with a rhythm in force: the ones Today looks after.
    pub kept: u32,
    /// Active imported connections with no rhythm yet.
    pub not_yet: u32,
    /// The most recent connections, newest first.
    pub recent: Vec<ContactSummary>,
    /// The companies most of them work at, largest first.
    pub companies: Vec<KeepUpGroup>,
    /// The tags most of them carry, largest first.
    pub tags: Vec<KeepUpGroup>,
}

/// Active connections without a rhythm: no cadence of their own, no touch but imported
/// connections (the store's `CadenceSource::NotYet`).
const NOT_YET: &str = "c.archived_at IS NULL AND c.cadence_days IS NULL
    AND c.touch_count = 0 AND c.connection_count > 0";

impl Store {
    /// A few connections without a rhythm to choose from, as of `now` (for their due state).
    pub fn keep_up_choices(&self, now: DateTime<Utc>) -> Result<KeepUpChoices> {
        self.read(|conn| {
            let (kept, not_yet): (u32, u32) = conn
                .prepare_cached(&format!(
                    "SELECT count(*) FILTER (WHERE c.next_due_at IS NOT NULL),
                            count(*) FILTER (WHERE {NOT_YET})
                     FROM contacts c WHERE c.archived_at IS NULL"
                ))?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let people = |filter: &str, name: &str| -> Result<Vec<ContactSummary>> {
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM contacts c
                     WHERE {NOT_YET} {filter}
                     ORDER BY c.last_touch_at DESC, c.id DESC LIMIT :limit"
                ))?;
                let rows = if filter.is_empty() {
                    stmt.query_map(named_params! { ":limit": KEEP_UP_PEOPLE }, |r| {
                        summary_from_row(r, now)
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?
                } else {
                    stmt.query_map(
                        named_params! { ":limit": KEEP_UP_PEOPLE, ":name": name },
                        |r| summary_from_row(r, now),
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?
                };
                Ok(rows)
            };
            let groups = |sql: &str, filter: &str| -> Result<Vec<KeepUpGroup>> {
                let named: Vec<(String, u32)> = conn
                    .prepare_cached(sql)?
                    .query_map(named_params! { ":limit": KEEP_UP_GROUPS }, |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                named
                    .into_iter()
                    .map(|(name, count)| {
                        Ok(KeepUpGroup {
                            people: people(filter, &name)?,
                            name,
                            count,
                        })
                    })
                    .collect()
            };
            Ok(KeepUpChoices {
                offer: not_yet > 0 && kept < FEW_KEPT,
                kept,
                not_yet,
                recent: people("", "")?,
                companies: groups(
                    &format!(
                        "SELECT c.company, count(*) AS n FROM contacts c
                         WHERE {NOT_YET} AND trim(coalesce(c.company, '')) <> ''
                         GROUP BY c.company ORDER BY n DESC, c.company LIMIT :limit"
                    ),
                    "AND c.company = :name",
                )?,
                tags: groups(
                    &format!(
                        "SELECT t.name, count(*) AS n FROM contacts c
                         JOIN contact_tags ct ON ct.contact_id = c.id
                         JOIN tags t ON t.id = ct.tag_id
                         WHERE {NOT_YET}
                         GROUP BY t.id ORDER BY n DESC, t.name LIMIT :limit"
                    ),
                    "AND EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                                 WHERE ct.contact_id = c.id AND t.name = :name)",
                )?,
            })
        })
    }
}

#[cfg(test)]
mod tests;
