//! Keep-in-touch rules by tag, and the columns derived from every cadence rule: each
//! contact's cadence in force (`due_cadence_days`) and its due and overdue instants. The
//! rules themselves are [`crate::cadence`]'s; this file loads their inputs and saves what
//! they decide, inside the caller's transaction.

use std::collections::HashSet;

use rusqlite::{named_params, Connection};

use super::settings::{all_circle_cadences, user_zone};
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
    Ok(DueRules::new(
        user_zone(conn)?,
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
        let circle: Circle = r.get(1)?;
        // The tag names as SQLite's json_group_array wrote them just now.
        let tags: Vec<String> = serde_json::from_str(&r.get::<_, String>(6)?).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, e.into())
        })?;
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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, TimeZone, Utc};

    use super::*;
    use crate::cadence::CadenceSource;
    use crate::history::{InteractionInput, InteractionKind};
    use crate::testing::person;

    use crate::store::tests::temp_store;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
    }

    fn add(store: &mut Store, name: &str, tags: &[&str], own: Option<u32>) -> i64 {
        let someone = person(name).tags(tags);
        match own {
            Some(days) => someone.cadence(days),
            None => someone,
        }
        .add(store, now())
        .unwrap()
    }

    fn rule(tag: &str, days: u32) -> CadenceRule {
        CadenceRule {
            tag: tag.into(),
            days,
        }
    }

    fn midnight_after(days: i64) -> DateTime<Utc> {
        crate::calendar::local_midnight(chrono_tz::UTC, (now() + Duration::days(days)).date_naive())
    }

    #[test]
    fn tag_rules_move_the_due_dates_of_their_people_and_say_where_the_cadence_comes_from() {
        let (_dir, mut store) = temp_store();
        let ana = add(&mut store, "Ana", &["Former colleague", "mentor"], None);
        let bo = add(&mut store, "Bo", &["former colleague"], Some(10));
        let cy = add(&mut store, "Cy", &[], None);
        store
            .set_cadence_rules(vec![rule("former colleague", 60), rule("Mentor", 45)])
            .unwrap();
        let ana_now = store.get_contact(ana).unwrap();
        assert_eq!(ana_now.effective_cadence_days, Some(45));
        assert_eq!(
            ana_now.cadence_source,
            CadenceSource::Tag {
                tag: "mentor".into()
            }
        );
        assert_eq!(ana_now.next_due_at, Some(midnight_after(45)));
        let bo_now = store.get_contact(bo).unwrap();
        assert_eq!(
            (bo_now.effective_cadence_days, bo_now.cadence_source),
            (Some(10), CadenceSource::Own)
        );
        let cy_now = store.get_contact(cy).unwrap();
        assert_eq!(
            (cy_now.effective_cadence_days, cy_now.cadence_source),
            (Some(90), CadenceSource::Circle)
        );
        // A contact added or retagged later follows the rules too.
        let di = add(&mut store, "Di", &["FORMER COLLEAGUE"], None);
        assert_eq!(
            store.get_contact(di).unwrap().next_due_at,
            Some(midnight_after(60))
        );
        // Without the rules, back to the circle's default.
        store.set_cadence_rules(Vec::new()).unwrap();
        assert_eq!(
            store.get_contact(ana).unwrap().next_due_at,
            Some(midnight_after(90))
        );
        assert!(store.cadence_rules().unwrap().is_empty());
    }

    #[test]
    fn invalid_rules_change_nothing() {
        let (_dir, mut store) = temp_store();
        store.set_cadence_rules(vec![rule("mentor", 45)]).unwrap();
        for (rules, field) in [
            (vec![rule("  ", 30)], "tag"),
            (vec![rule("mentor", 0)], "days"),
            (vec![rule("mentor", 3651)], "days"),
            (vec![rule("Mentor", 30), rule("mentor ", 40)], "tag"),
            (vec![rule("two\nlines", 30)], "tag"),
        ] {
            let err = store.set_cadence_rules(rules).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
        assert_eq!(store.cadence_rules().unwrap(), [rule("mentor", 45)]);
    }

    #[test]
    fn imported_connections_have_no_cadence_until_given_one_or_touched() {
        let (_dir, mut store) = temp_store();
        let li = add(&mut store, "Li", &[], None);
        let log = |store: &mut Store, kind, days_ago| {
            store
                .log_interaction(
                    InteractionInput {
                        contact_ids: vec![li],
                        kind,
                        occurred_at: now() - Duration::days(days_ago),
                        direction: None,
                        notes: None,
                    },
                    now(),
                )
                .unwrap();
        };
        log(&mut store, InteractionKind::Connected, 900);
        let c = store.get_contact(li).unwrap();
        assert_eq!(
            (c.effective_cadence_days, c.cadence_source, c.next_due_at),
            (None, CadenceSource::NotYet, None)
        );
        let listed = store.list_contacts(now()).unwrap();
        assert_eq!(listed[0].due, crate::cadence::DueState::NoRhythm);
        // One call and the cadence counts again, from the latest touch.
        log(&mut store, InteractionKind::Call, 100);
        let c = store.get_contact(li).unwrap();
        assert_eq!(c.cadence_source, CadenceSource::Circle);
        assert_eq!(
            store.list_contacts(now()).unwrap()[0].due,
            crate::cadence::DueState::Due
        );
    }

    #[test]
    fn a_new_time_zone_moves_due_dates_to_its_midnight() {
        let (_dir, mut store) = temp_store();
        let ana = add(&mut store, "Ana", &[], Some(7));
        let prefs = store.preferences().unwrap();
        store
            .set_preferences(crate::preferences::Preferences {
                time_zone: "Pacific/Auckland".into(),
                ..prefs
            })
            .unwrap();
        // Added at 23:00 on 23 November in Auckland: due from midnight there on the 30th.
        let auckland = chrono_tz::Pacific::Auckland;
        assert_eq!(
            store.get_contact(ana).unwrap().next_due_at,
            Some(crate::calendar::local_midnight(
                auckland,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
            ))
        );
    }
}
