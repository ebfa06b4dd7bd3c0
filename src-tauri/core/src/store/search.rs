//! Search-as-you-type over active contacts (SQLite FTS5: prefix matching, accents folded,
//! ranked with the name first) and the list filters: circle, tag, company, due / overdue.
//! What a search asks for is in [`crate::search`].

use chrono::{DateTime, Utc};
use rusqlite::types::Value;

use super::codec;
use super::contacts::{summary_from_row, SUMMARY_COLUMNS};
use super::{to_db_time, Store};
use crate::model::ContactSummary;
use crate::search::{
    fts_query, ContactQuery, ContactSort, DueFilter, TagCount, MAX_QUERY_CHARS, MAX_RESULTS,
    RANKED_CANDIDATES,
};
use crate::{Error, Result};

/// Someone the user keeps up with: a touch of their own, or a rhythm in force (their own,
/// a tag rule's or their circle's — every contact but an imported connection not yet
/// touched).
const KEPT: &str = "(c.touch_count > 0 OR c.due_cadence_days IS NOT NULL)";

/// How close someone is, for ranking matches: 0 with a history, a rhythm of their own or a
/// closer circle; 1 with only a rhythm from a rule or their circle; 2 an imported
/// connection nobody has touched yet.
const CLOSENESS: &str = "CASE
        WHEN c.touch_count > 0 OR c.cadence_days IS NOT NULL
             OR c.circle IN ('inner', 'close') THEN 0
        WHEN c.due_cadence_days IS NOT NULL THEN 1
        ELSE 2
    END";

/// The parts of a search's SQL every query shares: the FTS text, the filters and their
/// parameters.
struct Plan {
    fts: Option<String>,
    filters: Vec<String>,
    params: Vec<(&'static str, Value)>,
}

impl Plan {
    fn new(query: &ContactQuery, now: DateTime<Utc>) -> Result<Plan> {
        if query.text.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::Invalid {
                field: "text",
                reason: format!("Search for at most {MAX_QUERY_CHARS} characters."),
            });
        }
        let mut filters = vec!["c.archived_at IS NULL".to_owned()];
        let mut params: Vec<(&'static str, Value)> = Vec::new();
        if let Some(circle) = query.circle {
            filters.push("c.circle = :circle".into());
            params.push((":circle", Value::Text(codec::name_of(&circle)?)));
        }
        if let Some(tag) = nonblank(&query.tag) {
            filters.push(
                "EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                         WHERE ct.contact_id = c.id AND t.name = :tag)"
                    .into(),
            );
            params.push((":tag", Value::Text(tag.into())));
        }
        if let Some(company) = nonblank(&query.company) {
            filters.push("c.company = :company COLLATE NOCASE".into());
            params.push((":company", Value::Text(company.into())));
        }
        if let Some(due) = query.due {
            if due != DueFilter::Never {
                params.push((":now", Value::Integer(to_db_time(now))));
            }
            filters.push(match due {
                DueFilter::Due => "c.next_due_at <= :now".into(),
                DueFilter::Overdue => "c.overdue_at <= :now".into(),
                DueFilter::Never => "c.touch_count = 0".into(),
            });
        }
        match query.kept {
            Some(true) => filters.push(KEPT.into()),
            Some(false) => filters.push(format!("NOT {KEPT}")),
            None => {}
        }
        Ok(Plan {
            fts: fts_query(&query.text),
            filters,
            params,
        })
    }

    fn filtered(&self) -> bool {
        self.filters.len() > 1
    }

    fn run<T>(
        &self,
        store: &Store,
        sql: &str,
        extra: &[(&'static str, Value)],
        mut f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = store.conn.prepare_cached(sql)?;
        let bound: Vec<(&str, &dyn rusqlite::ToSql)> = self
            .params
            .iter()
            .chain(extra)
            .map(|(name, value)| (*name, value as &dyn rusqlite::ToSql))
            .collect();
        let rows = stmt.query_map(bound.as_slice(), |row| f(row))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn nonblank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The ORDER BY of an explicit sort.
fn sort_order(sort: ContactSort) -> &'static str {
    match sort {
        ContactSort::Name => "c.display_name COLLATE NOCASE, c.id",
        ContactSort::LastTouch => {
            "c.last_touch_at IS NULL, c.last_touch_at DESC, c.display_name COLLATE NOCASE, c.id"
        }
        ContactSort::NextDue => {
            "c.next_due_at IS NULL, c.next_due_at, c.display_name COLLATE NOCASE, c.id"
        }
    }
}

impl Store {
    /// Active contacts matching `query`, in its sort order; without one, the best match
    /// first when there is text (see below), else by name.
    ///
    /// The best match: people whose name matches every word come before those matched
    /// elsewhere (company, role, emails, tags, notes); within each, the people the user
    /// keeps up with (a history, a rhythm of their own, a closer circle) before those with
    /// only a default rhythm, before imported connections nobody has touched; then a name
    /// that starts with the text, and the latest touch.
    pub fn search_contacts(
        &self,
        query: &ContactQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactSummary>> {
        let plan = Plan::new(query, now)?;
        let limit = query.limit.unwrap_or(MAX_RESULTS).min(MAX_RESULTS);
        let Some(fts) = plan.fts.clone() else {
            let order = sort_order(query.sort.unwrap_or(ContactSort::Name));
            return self.ranked(&plan, "contacts c", order, limit, &[], now);
        };
        // Ordering every match of a letter or two over a large network costs more than §7
        // allows: without a filter or a sort, a bounded set is ordered.
        let cap = if plan.filtered() || query.sort.is_some() {
            String::new()
        } else {
            format!(" LIMIT {RANKED_CANDIDATES}")
        };
        let matching = |param: &str| {
            format!(
                "(SELECT rowid AS id FROM contact_search WHERE contact_search MATCH {param}{cap}) m
                 JOIN contacts c ON c.id = m.id"
            )
        };
        if let Some(sort) = query.sort {
            let extra = [(":fts", Value::Text(fts))];
            return self.ranked(
                &plan,
                &matching(":fts"),
                sort_order(sort),
                limit,
                &extra,
                now,
            );
        }
        let order = format!(
            "{CLOSENESS}, c.display_name LIKE :prefix ESCAPE '\\' DESC,
             c.last_touch_at IS NULL, c.last_touch_at DESC, c.display_name COLLATE NOCASE, c.id"
        );
        let prefix = (":prefix", Value::Text(like_prefix(&query.text)));
        // Names first; what else matches only while the names leave room.
        let mut found = self.ranked(
            &plan,
            &matching(":name_fts"),
            &order,
            limit,
            &[
                (":name_fts", Value::Text(format!("name : ({fts})"))),
                prefix.clone(),
            ],
            now,
        )?;
        let room = limit.saturating_sub(u32::try_from(found.len()).unwrap_or(u32::MAX));
        if room > 0 {
            let seen: Vec<i64> = found.iter().map(|c| c.id).collect();
            let elsewhere = format!(
                "{} AND c.id NOT IN (SELECT value FROM json_each(:seen))",
                matching(":fts")
            );
            found.extend(self.ranked(
                &plan,
                &elsewhere,
                &order,
                room,
                &[
                    (":fts", Value::Text(fts)),
                    (
                        ":seen",
                        Value::Text(serde_json::Value::from(seen).to_string()),
                    ),
                    prefix,
                ],
                now,
            )?);
        }
        Ok(found)
    }

    /// The first `limit` active contacts of `from` (over `contacts c`) that pass the plan's
    /// filters, in `order`.
    fn ranked(
        &self,
        plan: &Plan,
        from: &str,
        order: &str,
        limit: u32,
        extra: &[(&'static str, Value)],
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM {from} WHERE {} ORDER BY {order} LIMIT :limit",
            plan.filters.join(" AND ")
        );
        let mut params = extra.to_vec();
        params.push((":limit", Value::Integer(i64::from(limit))));
        plan.run(self, &sql, &params, |row| summary_from_row(row, now))
    }

    /// How many active contacts match `query`: every match, whatever its limit.
    pub fn count_contacts(&self, query: &ContactQuery, now: DateTime<Utc>) -> Result<u32> {
        let plan = Plan::new(query, now)?;
        let mut extra: Vec<(&'static str, Value)> = Vec::new();
        let from = match &plan.fts {
            Some(fts) => {
                extra.push((":fts", Value::Text(fts.clone())));
                "(SELECT rowid AS id FROM contact_search WHERE contact_search MATCH :fts) m
                 JOIN contacts c ON c.id = m.id"
            }
            None => "contacts c",
        };
        let sql = if plan.fts.is_some() && !plan.filtered() {
            // The index holds active contacts only: its matches are the count.
            "SELECT count(*) FROM contact_search WHERE contact_search MATCH :fts".to_owned()
        } else {
            format!(
                "SELECT count(*) FROM {from} WHERE {}",
                plan.filters.join(" AND ")
            )
        };
        let counted = plan.run(self, &sql, &extra, |row| row.get::<_, i64>(0))?;
        Ok(counted
            .first()
            .map_or(0, |n| u32::try_from(*n).unwrap_or(u32::MAX)))
    }

    /// Every tag that active contacts carry, with how many carry it, by name.
    pub fn tag_counts(&self) -> Result<Vec<TagCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.name, count(*) FROM tags t
             JOIN contact_tags ct ON ct.tag_id = t.id
             JOIN contacts c ON c.id = ct.contact_id AND c.archived_at IS NULL
             GROUP BY t.id ORDER BY t.name COLLATE NOCASE, t.id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(TagCount {
                name: row.get(0)?,
                count: row.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// `text` as a LIKE pattern for names that start with it (LIKE's own characters escaped).
fn like_prefix(text: &str) -> String {
    let mut out = String::new();
    for ch in text.trim().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests;
