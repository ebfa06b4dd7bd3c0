//! Keep-in-touch rules by tag, and the columns derived from every cadence rule: each
//! contact's cadence in force (`due_cadence_days`) and its due and overdue instants. The
//! rules themselves are [`crate::cadence`]'s; this file loads their inputs and saves what
//! they decide, inside the caller's transaction.

use std::collections::HashSet;

use rusqlite::{named_params, Connection};

use super::settings::all_circle_cadences;
use super::{from_db_time, to_db_time, Store};
use crate::cadence::{CadenceRule, DueRules, Touches};
use crate::model::{tag_name, Circle, MAX_CADENCE_DAYS};
use crate::{Error, Result};

/// Most rules a user may keep (one per tag worth a rhythm of its own).
pub const MAX_CADENCE_RULES: usize = 200;

/// Which contacts [`refresh_due`] recomputes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    All,
    Ids(&'a [i64]),
}

/// The user's time zone, circle cadences and tag rules, as stored.
pub(crate) fn due_rules(conn: &Connection) -> Result<DueRules> {
    let tz = super::settings::get(conn, "time_zone")?
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::UTC);
    Ok(DueRules::new(
        tz,
        all_circle_cadences(conn)?,
        &load_rules(conn)?,
    ))
}

fn load_rules(conn: &Connection) -> Result<Vec<CadenceRule>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag, days FROM cadence_rules ORDER BY tag COLLATE NOCASE")?;
    let rows = stmt.query_map([], |r| {
        Ok(CadenceRule {
            tag: r.get(0)?,
            days: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Recomputes the cadence in force and the due dates of the contacts in `scope` under
/// `rules`, writing only the rows that change. Returns how many changed.
pub(crate) fn refresh_due(conn: &Connection, rules: &DueRules, scope: Scope<'_>) -> Result<usize> {
    let (all, ids) = match scope {
        Scope::All => (true, "[]".to_owned()),
        Scope::Ids(ids) => (false, serde_json::Value::from(ids).to_string()),
    };
    // Only the tags that have a rule matter.
    let mut read = conn.prepare_cached(
        "SELECT c.id, c.circle, c.cadence_days, coalesce(c.last_touch_at, c.created_at),
                c.touch_count, c.connection_count,
                (SELECT json_group_array(t.name) FROM contact_tags ct
                   JOIN tags t ON t.id = ct.tag_id
                   JOIN cadence_rules r ON r.tag = t.name
                  WHERE ct.contact_id = c.id),
                c.due_cadence_days, c.next_due_at, c.overdue_at
         FROM contacts c
         WHERE :all OR c.id IN (SELECT value FROM json_each(:ids))",
    )?;
    let mut write = conn.prepare_cached(
        "UPDATE contacts SET due_cadence_days = :days, next_due_at = :next, overdue_at = :overdue
         WHERE id = :id",
    )?;
    let mut rows = read.query(named_params! { ":all": all, ":ids": ids })?;
    let mut changed = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let circle = Circle::parse(&r.get::<_, String>(1)?).unwrap_or_default();
        let tags: Vec<String> = serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default();
        let touches = Touches {
            real: r.get(4)?,
            connections: r.get(5)?,
        };
        let in_force = rules.in_force(r.get(2)?, circle, &tags, touches);
        let (next, overdue) = match in_force.days {
            Some(days) => {
                let (next, overdue) = rules.due_dates(from_db_time(r.get(3)?)?, days);
                (Some(to_db_time(next)), Some(to_db_time(overdue)))
            }
            None => (None, None),
        };
        let was: (Option<u32>, Option<i64>, Option<i64>) = (r.get(7)?, r.get(8)?, r.get(9)?);
        if was != (in_force.days, next, overdue) {
            write.execute(named_params! {
                ":id": id, ":days": in_force.days, ":next": next, ":overdue": overdue,
            })?;
            changed += 1;
        }
    }
    Ok(changed)
}

impl Store {
    /// The keep-in-touch rules by tag, by tag name.
    pub fn cadence_rules(&self) -> Result<Vec<CadenceRule>> {
        load_rules(&self.conn)
    }

    /// Replaces every tag rule at once and moves the due dates of the contacts they touch —
    /// all in one transaction. Nothing changes if any rule is invalid.
    pub fn set_cadence_rules(&mut self, rules: Vec<CadenceRule>) -> Result<Vec<CadenceRule>> {
        if rules.len() > MAX_CADENCE_RULES {
            return Err(Error::invalid(
                "rules",
                format!("Keep at most {MAX_CADENCE_RULES} rules."),
            ));
        }
        let mut seen = HashSet::new();
        let mut clean = Vec::with_capacity(rules.len());
        for rule in rules {
            let Some(tag) = tag_name("tag", &rule.tag)? else {
                return Err(Error::invalid("tag", "Name the tag this rule is for."));
            };
            if !(1..=MAX_CADENCE_DAYS).contains(&rule.days) {
                return Err(Error::invalid(
                    "days",
                    format!("Keep in touch with “{tag}” every 1 to {MAX_CADENCE_DAYS} days."),
                ));
            }
            if !seen.insert(tag.to_lowercase()) {
                return Err(Error::invalid(
                    "tag",
                    format!("“{tag}” has two rules: keep one."),
                ));
            }
            clean.push(CadenceRule {
                tag,
                days: rule.days,
            });
        }
        self.write(|tx| {
            tx.execute("DELETE FROM cadence_rules", [])?;
            let mut insert =
                tx.prepare_cached("INSERT INTO cadence_rules (tag, days) VALUES (:tag, :days)")?;
            for rule in &clean {
                insert.execute(named_params! { ":tag": rule.tag, ":days": rule.days })?;
            }
            refresh_due(tx, &due_rules(tx)?, Scope::All)?;
            Ok(())
        })?;
        self.cadence_rules()
    }
}
