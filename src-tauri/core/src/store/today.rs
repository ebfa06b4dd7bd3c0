//! Loading Today's candidates for [`crate::rank`], and snoozing or dismissing a suggestion.
//!
//! Ranking a large network runs in two stages, so that its cost follows the length of the
//! list rather than the size of the network. First, outlines (the columns the score
//! depends on, read from one narrow index) are scored with [`rank::points`]: everyone a
//! follow-up, a goal behind pace, an event soon or a birthday this week lifts, then each
//! circle-and-cadence group of the others, walked from the longest silence down until not
//! even a strong tie in the rest of the group could reach the places kept. Then the best
//! are loaded whole, a batch at a time, until no contact left could reach (or tie with) the
//! last place, and ranked as usual. The result is the same as ranking everyone, which the
//! tests check.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::types::ValueRef;
use rusqlite::{named_params, OptionalExtension};

use super::{from_db_time, to_db_time, Store};
use crate::calendar;
use crate::goals::{self, GoalKind, GoalStatus, Metric, Pace};
use crate::model::{Birthday, Channel, Circle};
use crate::rank::{
    self, Candidate, EventSignal, FollowUpSignal, GoalSignal, Suggestion, TouchKind, Weights,
};
use crate::{Error, Result};

/// Scores closer than this are ordered by name, so a contact whose bound is within it of
/// the last place kept must still be looked at (scores are rounded to hundredths).
const TIE_MARGIN: f64 = 0.01;

/// Signals known before a contact is loaded, by contact id.
struct Lifts {
    follow_ups: HashMap<i64, Vec<FollowUpSignal>>,
    goals: HashMap<i64, Vec<GoalSignal>>,
    events: HashMap<i64, Vec<EventSignal>>,
    hidden: HashMap<i64, DateTime<Utc>>,
}

impl Store {
    /// The ranked suggestions at `now`, at most `limit`.
    pub fn today(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Suggestion>> {
        let (tz, _) = self.calendar()?;
        if limit == 0 {
            return Ok(Vec::new());
        }
        let follow_ups = self.follow_up_signals()?;
        let mut lifts = Lifts {
            goals: self.goal_signals(now, &follow_ups)?,
            follow_ups,
            events: self.upcoming_events_by_contact(now, tz, Weights::EVENT_DAYS)?,
            hidden: self.hidden_suggestions(now)?,
        };
        let mut bounds = self.score_bounds(now, tz, limit, &lifts)?;
        // Highest first; ids only make the order total.
        bounds.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

        let mut ranked: Vec<Suggestion> = Vec::new();
        let mut kept: HashMap<i64, Candidate> = HashMap::new();
        let mut batch = limit.max(1) * 2;
        let mut next = 0;
        while next < bounds.len() {
            if let Some(last) = limit.checked_sub(1).and_then(|i| ranked.get(i)) {
                if last.score > bounds[next].0 + TIE_MARGIN {
                    break;
                }
            }
            let end = (next + batch).min(bounds.len());
            let ids: Vec<i64> = bounds[next..end].iter().map(|b| b.1).collect();
            for c in self.candidates(&ids, &mut lifts)? {
                if let Some(s) = rank::score(&c, tz, now, &Weights::DEFAULT) {
                    ranked.push(s);
                    kept.insert(c.id, c);
                }
            }
            ranked.sort_by(rank::order);
            ranked.truncate(limit);
            kept.retain(|id, _| ranked.iter().any(|s| s.contact_id == *id));
            next = end;
            batch *= 2;
        }
        // Now the latest touch of those kept, which may change how to reach out (thank
        // someone who made an intro); it never changes the score or the order.
        for suggestion in &mut ranked {
            if let Some(c) = kept.get_mut(&suggestion.contact_id) {
                c.last_kind = self.last_touch_kind(c.id)?;
                if let Some(again) = rank::score(c, tz, now, &Weights::DEFAULT) {
                    suggestion.action = again.action;
                    suggestion.logs = again.logs;
                }
            }
        }
        Ok(ranked)
    }

    /// Every contact that could make the first `limit` places, with its score: everyone a
    /// follow-up, goal or birthday lifts, then each circle-and-cadence group of the others
    /// walked from the longest silence down, until the rest of the group could not reach
    /// the places kept so far. Contacts with no cadence in force (imported connections
    /// only) are in no group: only a lift can list them.
    fn score_bounds(
        &self,
        now: DateTime<Utc>,
        tz: Tz,
        limit: usize,
        lifts: &Lifts,
    ) -> Result<Vec<(f64, i64)>> {
        let today = now.with_timezone(&tz).date_naive();
        let w = &Weights::DEFAULT;
        let mut pool: Vec<(f64, i64)> = Vec::new();
        // The score of the `limit`-th best so far: a lower one cannot make the list.
        let cutoff = |pool: &mut Vec<(f64, i64)>| -> Option<f64> {
            let i = limit.checked_sub(1)?;
            if pool.len() <= i {
                return None;
            }
            pool.select_nth_unstable_by(i, |a, b| b.0.total_cmp(&a.0));
            Some(pool[i].0)
        };

        let mut lifted: Vec<i64> = self.birthdays_between(today, Weights::BIRTHDAY_DAYS)?;
        lifted.extend(
            lifts
                .follow_ups
                .keys()
                .chain(lifts.goals.keys())
                .chain(lifts.events.keys()),
        );
        lifted.sort_unstable();
        lifted.dedup();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {OUTLINE} FROM contacts c
             WHERE c.id IN (SELECT value FROM json_each(:ids)) AND c.archived_at IS NULL"
        ))?;
        let ids = serde_json::to_string(&lifted).unwrap_or_else(|_| "[]".into());
        let mut rows = stmt.query(named_params! { ":ids": ids })?;
        while let Some(r) = rows.next()? {
            let c = outline(r, lifts)?;
            if let Some(points) = rank::points(&c, tz, now, w) {
                pool.push((points, c.id));
            }
        }

        let mut page = self.conn.prepare_cached(&format!(
            "SELECT {OUTLINE}, c.next_due_at FROM contacts c INDEXED BY contacts_active_outline
             WHERE c.archived_at IS NULL AND c.circle = :circle AND c.due_cadence_days = :cadence
               AND (c.next_due_at > :due OR (c.next_due_at = :due AND c.id > :id))
             ORDER BY c.next_due_at, c.id
             LIMIT :page"
        ))?;
        let page_size = limit * 2 + 2;
        let page_rows = i64::try_from(page_size).unwrap_or(i64::MAX);
        for (circle, cadence) in self.cadence_groups()? {
            let (mut due, mut id) = (i64::MIN, i64::MIN);
            'group: loop {
                let mut rows = page.query(named_params! {
                    ":circle": circle, ":cadence": cadence, ":due": due, ":id": id,
                    ":page": page_rows,
                })?;
                let mut read = 0;
                while let Some(r) = rows.next()? {
                    read += 1;
                    let c = outline(r, lifts)?;
                    (due, id) = (r.get(OUTLINE_COLUMNS)?, c.id);
                    // The rest of the group has been silent no longer than this contact:
                    // assuming it a strong tie not touched lately, could it still make the
                    // list?
                    let rest = Candidate {
                        interaction_count: u32::MAX,
                        last_touch_at: None,
                        created_at: c.last_touch_at.unwrap_or(c.created_at),
                        hidden_until: None,
                        ..c.clone()
                    };
                    match rank::points(&rest, tz, now, w) {
                        None => break 'group,
                        Some(bound) => {
                            if cutoff(&mut pool).is_some_and(|cut| bound + TIE_MARGIN < cut) {
                                break 'group;
                            }
                        }
                    }
                    if lifted.binary_search(&c.id).is_err() {
                        if let Some(points) = rank::points(&c, tz, now, w) {
                            pool.push((points, c.id));
                        }
                    }
                }
                if read < page_size {
                    break;
                }
            }
        }
        Ok(pool)
    }

    /// Each circle with each cadence in force among its contacts.
    fn cadence_groups(&self) -> Result<Vec<(Circle, u32)>> {
        let mut next = self.conn.prepare_cached(
            "SELECT min(due_cadence_days) FROM contacts INDEXED BY contacts_active_outline
             WHERE archived_at IS NULL AND circle = :circle AND due_cadence_days > :after",
        )?;
        let mut out = Vec::new();
        for circle in Circle::ALL {
            let mut after = 0;
            while let Some(days) = next
                .query_row(named_params! { ":circle": circle, ":after": after }, |r| {
                    r.get::<_, Option<u32>>(0)
                })?
            {
                out.push((circle, days));
                after = days;
            }
        }
        Ok(out)
    }

    /// Active contacts whose birthday falls on `today` or in the `days` after.
    fn birthdays_between(&self, today: NaiveDate, days: i64) -> Result<Vec<i64>> {
        let window: Vec<String> = (0..=days)
            .flat_map(|d| calendar::birthdays_falling_on(today + Duration::days(d)))
            .collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM contacts
             WHERE archived_at IS NULL AND birthday IS NOT NULL
               AND substr(birthday, -5) IN (SELECT value FROM json_each(:window))",
        )?;
        let window = serde_json::to_string(&window).unwrap_or_else(|_| "[]".into());
        let rows = stmt.query_map(named_params! { ":window": window }, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Contacts `ids` as the ranking needs them (those archived meanwhile are left out).
    fn candidates(&self, ids: &[i64], lifts: &mut Lifts) -> Result<Vec<Candidate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name, c.circle, c.due_cadence_days, c.created_at, c.last_touch_at,
                    c.preferred_channel, c.time_zone, c.birthday, c.touch_count
             FROM contacts c
             WHERE c.id IN (SELECT value FROM json_each(:ids)) AND c.archived_at IS NULL",
        )?;
        let rows = stmt.query_map(
            named_params! { ":ids": serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()) },
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Circle>(2)?,
                    r.get::<_, Option<u32>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, Option<Channel>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, u32>(9)?,
                ))
            },
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for row in rows {
            let (id, name, circle, cadence, created, last, channel, zone, birthday, touches) = row?;
            // The latest touch's kind only picks the action: it is loaded for those kept.
            out.push(Candidate {
                id,
                name,
                circle,
                cadence_days: cadence,
                created_at: from_db_time(created)?,
                last_touch_at: last.map(from_db_time).transpose()?,
                last_kind: None,
                interaction_count: touches,
                preferred_channel: channel,
                time_zone: zone.and_then(|z| z.parse().ok()),
                birthday: birthday.as_deref().and_then(Birthday::from_db),
                follow_ups: lifts.follow_ups.remove(&id).unwrap_or_default(),
                goals: lifts.goals.remove(&id).unwrap_or_default(),
                events: lifts.events.remove(&id).unwrap_or_default(),
                hidden_until: lifts.hidden.get(&id).copied(),
            });
        }
        Ok(out)
    }

    /// Each active goal with a real audience whose period is not met yet lifts the members
    /// a touch would advance it for ([`goals::touch_advances`]).
    fn goal_signals(
        &self,
        now: DateTime<Utc>,
        follow_ups: &HashMap<i64, Vec<FollowUpSignal>>,
    ) -> Result<HashMap<i64, Vec<GoalSignal>>> {
        let (tz, week_start) = self.calendar()?;
        let today = now.with_timezone(&tz).date_naive();
        let mut out: HashMap<i64, Vec<GoalSignal>> = HashMap::new();
        for goal in self.list_goals()? {
            let g = &goal.fields;
            if g.audience.is_everyone() || g.status != GoalStatus::Active {
                continue;
            }
            let activity = self.goal_activity(g)?;
            let progress = goals::progress(g, &activity, tz, week_start, now);
            if !goals::lifts_its_people(g, &progress, today) {
                continue;
            }
            let reached = goals::reached_in(&activity, &progress.current);
            // Who was never met matters only to goals about new people: one query for all.
            let never_met: HashSet<i64> = if g.metric == Metric::NewContactsMet {
                self.members(&g.audience, "c.archived_at IS NULL AND c.touch_count = 0")?
                    .into_iter()
                    .collect()
            } else {
                HashSet::new()
            };
            // A goal to reconnect, by its kind or its name.
            let reconnect = g.kind == GoalKind::ReconnectColleagues
                || g.title.to_lowercase().starts_with("reconnect");
            for id in self.audience_ids(&g.audience)? {
                let member = goals::Member {
                    reached: reached.contains(&id),
                    never_met: never_met.contains(&id),
                    owed_follow_up: follow_ups
                        .get(&id)
                        .is_some_and(|f| f.iter().any(|f| !f.done_unreported)),
                };
                if !goals::touch_advances(g.metric, member) {
                    continue;
                }
                out.entry(id).or_default().push(GoalSignal {
                    title: g.title.clone(),
                    count: progress.current.count,
                    target: progress.target,
                    behind: matches!(progress.pace, Pace::Behind(_)),
                    about_new_people: g.metric == Metric::NewContactsMet,
                    reconnect,
                });
            }
        }
        Ok(out)
    }

    /// Contacts snoozed or dismissed, until when.
    fn hidden_suggestions(&self, now: DateTime<Utc>) -> Result<HashMap<i64, DateTime<Utc>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT contact_id, hidden_until FROM suggestion_states WHERE hidden_until > :now",
        )?;
        let rows = stmt.query_map(named_params! { ":now": to_db_time(now) }, |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, until) = row?;
            out.insert(id, from_db_time(until)?);
        }
        Ok(out)
    }

    /// Hides contact `id` from Today until `until`.
    pub fn hide_suggestion(&mut self, id: i64, until: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            known_contact(tx, id)?;
            tx.execute(
                "INSERT INTO suggestion_states (contact_id, hidden_until) VALUES (:id, :until)
                 ON CONFLICT (contact_id) DO UPDATE SET hidden_until = excluded.hidden_until",
                named_params! { ":id": id, ":until": to_db_time(until) },
            )?;
            Ok(())
        })
    }

    /// Snoozes contact `id` for `days` days.
    pub fn snooze_suggestion(&mut self, id: i64, days: u32, now: DateTime<Utc>) -> Result<()> {
        if !(1..=365).contains(&days) {
            return Err(Error::Invalid {
                field: "days",
                reason: "Snooze for 1 to 365 days.".into(),
            });
        }
        self.hide_suggestion(id, now + Duration::days(i64::from(days)))
    }

    /// Hides contact `id` until the user's next midnight.
    pub fn dismiss_suggestion(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let (tz, _) = self.calendar()?;
        let tomorrow = now.with_timezone(&tz).date_naive() + Duration::days(1);
        let midnight = tomorrow
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now + Duration::days(1));
        self.hide_suggestion(id, midnight)
    }

    /// Shows contact `id` on Today again: undoes a snooze or a "Not today" (the card was
    /// visible when it was hidden, so nothing earlier is lost). Unknown ids are an error.
    pub fn unhide_suggestion(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            known_contact(tx, id)?;
            tx.execute(
                "DELETE FROM suggestion_states WHERE contact_id = :id",
                named_params! { ":id": id },
            )?;
            Ok(())
        })
    }

    /// The kind and direction of contact `id`'s latest interaction.
    fn last_touch_kind(&self, id: i64) -> Result<Option<TouchKind>> {
        let last: Option<TouchKind> = self
            .conn
            .prepare_cached(
                "SELECT i.kind, i.direction FROM interaction_contacts ic
                 JOIN interactions i ON i.id = ic.interaction_id
                 WHERE ic.contact_id = :id
                 ORDER BY ic.occurred_at DESC, ic.interaction_id DESC LIMIT 1",
            )?
            .query_row(named_params! { ":id": id }, |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(last)
    }

    /// Every open follow-up, and every completed one not yet reported back (completed after
    /// the contact's last touch), by contact.
    fn follow_up_signals(&self) -> Result<HashMap<i64, Vec<FollowUpSignal>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.contact_id, f.id, f.title, f.due_on, f.completed_at IS NOT NULL
             FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
             WHERE c.archived_at IS NULL
               AND (f.completed_at IS NULL
                    OR f.completed_at > coalesce(c.last_touch_at, 0))
             ORDER BY f.contact_id, f.completed_at IS NOT NULL, f.due_on IS NULL, f.due_on, f.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                FollowUpSignal {
                    id: r.get(1)?,
                    title: r.get(2)?,
                    due_on: r.get::<_, Option<String>>(3)?.and_then(|d| d.parse().ok()),
                    done_unreported: r.get(4)?,
                },
            ))
        })?;
        let mut out: HashMap<i64, Vec<FollowUpSignal>> = HashMap::new();
        for row in rows {
            let (contact, signal) = row?;
            out.entry(contact).or_default().push(signal);
        }
        Ok(out)
    }
}

/// The columns [`outline`] reads, on contacts `c`.
const OUTLINE: &str =
    "c.id, c.circle, c.due_cadence_days, c.created_at, c.last_touch_at, c.birthday, c.touch_count";
const OUTLINE_COLUMNS: usize = 7;

/// A contact as far as its score goes (no name, channel or time zone), from [`OUTLINE`].
fn outline(r: &rusqlite::Row<'_>, lifts: &Lifts) -> Result<Candidate> {
    let text = |i: usize| -> Result<Option<&str>> {
        Ok(match r.get_ref(i)? {
            ValueRef::Text(t) => std::str::from_utf8(t).ok(),
            _ => None,
        })
    };
    let id: i64 = r.get(0)?;
    let circle: Circle = r.get(1)?;
    Ok(Candidate {
        id,
        name: String::new(),
        circle,
        cadence_days: r.get(2)?,
        created_at: from_db_time(r.get(3)?)?,
        last_touch_at: r.get::<_, Option<i64>>(4)?.map(from_db_time).transpose()?,
        last_kind: None,
        interaction_count: r.get(6)?,
        preferred_channel: None,
        time_zone: None,
        birthday: text(5)?.and_then(Birthday::from_db),
        follow_ups: lifts.follow_ups.get(&id).cloned().unwrap_or_default(),
        goals: lifts.goals.get(&id).cloned().unwrap_or_default(),
        events: lifts.events.get(&id).cloned().unwrap_or_default(),
        hidden_until: lifts.hidden.get(&id).copied(),
    })
}

/// `NotFound` unless contact `id` exists (archived or not).
fn known_contact(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<()> {
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM contacts WHERE id = :id",
            named_params! { ":id": id },
            |r| r.get(0),
        )
        .optional()?;
    exists.map(|_| ()).ok_or(Error::NotFound {
        what: "contact",
        id,
    })
}

#[cfg(test)]
mod tests;
