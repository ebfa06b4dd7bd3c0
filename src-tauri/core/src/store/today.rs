//! Loading Today's candidates for [`crate::rank`], and snoozing or dismissing a suggestion.
//! Only contacts that some signal could lift above the threshold are loaded: due, owed a
//! follow-up, owed a report-back, with a birthday, long silent, or in the audience of a goal
//! that is behind pace.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use rusqlite::{named_params, OptionalExtension};

use super::settings::all_circle_cadences;
use super::{from_db_time, to_db_time, Store};
use crate::goals::{parse_name, Metric, Pace};
use crate::history::Direction;
use crate::model::{Birthday, Channel, Circle};
use crate::rank::{self, Candidate, FollowUpSignal, GoalSignal, Suggestion, TouchKind, Weights};
use crate::{Error, Result};

impl Store {
    /// The ranked suggestions at `now`, at most `limit`.
    pub fn today(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Suggestion>> {
        let (tz, _) = self.calendar()?;
        let today = now.with_timezone(&tz).date_naive();

        // Goals behind pace (or about new people) with a real audience lift their members.
        let mut goal_signals: HashMap<i64, Vec<GoalSignal>> = HashMap::new();
        for view in self.goal_views(now)? {
            let g = &view.goal.fields;
            let about_new = g.metric == Metric::NewContactsMet;
            let behind = matches!(view.progress.pace, Pace::Behind(_));
            if g.audience.is_everyone() || !(behind || about_new) {
                continue;
            }
            for id in self.audience_ids(&g.audience)? {
                goal_signals.entry(id).or_default().push(GoalSignal {
                    title: g.title.clone(),
                    count: view.progress.current.count,
                    target: view.progress.target,
                    behind,
                    about_new_people: about_new,
                });
            }
        }
        let lifted: Vec<i64> = goal_signals.keys().copied().collect();

        let soon = (today + Duration::days(Weights::SOON_DAYS)).to_string();
        let dormant = now - Duration::days(Weights::DORMANT_DAYS);
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name, c.circle, c.cadence_days, c.created_at, c.last_touch_at,
                    c.preferred_channel, c.time_zone, c.birthday, s.hidden_until
             FROM contacts c LEFT JOIN suggestion_states s ON s.contact_id = c.id
             WHERE c.archived_at IS NULL
               AND (s.hidden_until IS NULL OR s.hidden_until <= :now)
               AND (c.next_due_at <= :now
                    OR c.birthday IS NOT NULL
                    OR c.last_touch_at <= :dormant
                    OR c.id IN (SELECT value FROM json_each(:lifted))
                    OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.contact_id = c.id
                               AND ((f.completed_at IS NULL AND f.due_on <= :soon)
                                 OR (f.completed_at IS NOT NULL
                                     AND f.completed_at >= coalesce(c.last_touch_at, 0)))))",
        )?;
        let rows = stmt.query_map(
            named_params! {
                ":now": to_db_time(now),
                ":dormant": to_db_time(dormant),
                ":soon": soon,
                ":lifted": serde_json::to_string(&lifted).unwrap_or_else(|_| "[]".into()),
            },
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<u32>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                ))
            },
        )?;
        let cadences = all_circle_cadences(&self.conn)?;
        let mut follow_ups = self.follow_up_signals()?;
        let dormant_at = now - Duration::days(Weights::DORMANT_DAYS);
        let mut candidates = Vec::new();
        let mut seen = HashSet::new();
        for row in rows {
            let (id, name, circle, cadence, created, last, channel, zone, birthday, hidden) = row?;
            if !seen.insert(id) {
                continue;
            }
            let circle = Circle::parse(&circle).unwrap_or_default();
            let last_touch_at = last.map(from_db_time).transpose()?;
            // The number of touches matters only for long silences (dormant ties); a contact
            // never touched has none. The latest touch's kind only picks the action, so it is
            // loaded for the suggestions kept, below.
            let interaction_count = match last_touch_at {
                None => 0,
                Some(t) if t <= dormant_at => self.interaction_count(id)?,
                Some(_) => 1,
            };
            candidates.push(Candidate {
                id,
                name,
                circle,
                cadence_days: cadence.unwrap_or_else(|| cadences.get(circle)),
                created_at: from_db_time(created)?,
                last_touch_at,
                last_kind: None,
                interaction_count,
                preferred_channel: channel.as_deref().and_then(Channel::parse),
                time_zone: zone.and_then(|z| z.parse().ok()),
                birthday: birthday.as_deref().and_then(Birthday::from_db),
                follow_ups: follow_ups.remove(&id).unwrap_or_default(),
                goals: goal_signals.remove(&id).unwrap_or_default(),
                hidden_until: hidden.map(from_db_time).transpose()?,
            });
        }
        let mut ranked = rank::rank(&candidates, tz, now);
        ranked.truncate(limit);
        // Now the latest touch of those kept, which may change how to reach out (thank
        // someone who made an intro); it never changes the score or the order.
        let by_id: HashMap<i64, &Candidate> = candidates.iter().map(|c| (c.id, c)).collect();
        for suggestion in &mut ranked {
            if let Some(c) = by_id.get(&suggestion.contact_id) {
                let full = Candidate {
                    last_kind: self.last_touch_kind(c.id)?,
                    ..(*c).clone()
                };
                if let Some(again) = rank::score(&full, tz, now, &Weights::DEFAULT) {
                    suggestion.action = again.action;
                }
            }
        }
        Ok(ranked)
    }

    /// Hides contact `id` from Today until `until`.
    pub fn hide_suggestion(&mut self, id: i64, until: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let exists: Option<i64> = tx
                .query_row(
                    "SELECT id FROM contacts WHERE id = :id",
                    named_params! { ":id": id },
                    |r| r.get(0),
                )
                .optional()?;
            exists.ok_or(Error::NotFound {
                what: "contact",
                id,
            })?;
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

    fn interaction_count(&self, id: i64) -> Result<u32> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM interaction_contacts WHERE contact_id = :id")?
            .query_row(named_params! { ":id": id }, |r| r.get(0))?)
    }

    /// The kind and direction of contact `id`'s latest interaction.
    fn last_touch_kind(&self, id: i64) -> Result<Option<TouchKind>> {
        let last: Option<(String, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT i.kind, i.direction FROM interaction_contacts ic
                 JOIN interactions i ON i.id = ic.interaction_id
                 WHERE ic.contact_id = :id ORDER BY i.occurred_at DESC, i.id DESC LIMIT 1",
            )?
            .query_row(named_params! { ":id": id }, |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(last.and_then(|(kind, direction)| {
            Some((
                parse_name(&kind)?,
                direction.as_deref().and_then(Direction::parse),
            ))
        }))
    }

    /// Every open follow-up, and every completed one not yet reported back (completed after
    /// the contact's last touch), by contact.
    fn follow_up_signals(&self) -> Result<HashMap<i64, Vec<FollowUpSignal>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.contact_id, f.title, f.due_on, f.completed_at IS NOT NULL
             FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
             WHERE c.archived_at IS NULL
               AND (f.completed_at IS NULL
                    OR f.completed_at >= coalesce(c.last_touch_at, 0))
             ORDER BY f.contact_id, f.completed_at IS NOT NULL, f.due_on IS NULL, f.due_on, f.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                FollowUpSignal {
                    title: r.get(1)?,
                    due_on: r.get::<_, Option<String>>(2)?.and_then(|d| d.parse().ok()),
                    done_unreported: r.get(3)?,
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::goals::{Audience, GoalInput, GoalKind, Period};
    use crate::history::InteractionKind;
    use crate::history::{FollowUpInput, InteractionInput};
    use crate::model::ContactInput;
    use crate::rank::Action;
    use crate::store::tests::temp_store;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
    }

    fn add(store: &mut Store, name: &str, circle: Circle, tags: &[&str]) -> i64 {
        store
            .add_contact(
                ContactInput {
                    display_name: name.into(),
                    circle,
                    tags: tags.iter().map(|t| (*t).into()).collect(),
                    ..ContactInput::default()
                },
                now() - Duration::days(200),
            )
            .unwrap()
            .id
    }

    fn touch(store: &mut Store, id: i64, days_ago: i64) {
        store
            .log_interaction(
                InteractionInput {
                    contact_ids: vec![id],
                    kind: InteractionKind::Call,
                    occurred_at: now() - Duration::days(days_ago),
                    direction: Some(Direction::Outbound),
                    notes: None,
                },
                now(),
            )
            .unwrap();
    }

    fn names(s: &[Suggestion]) -> Vec<&str> {
        s.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn today_ranks_the_seeded_network_and_skips_the_archived() {
        let (_dir, mut store) = temp_store();
        let priya = add(&mut store, "Priya", Circle::Close, &[]); // 30 days
        touch(&mut store, priya, 40);
        let bob = add(&mut store, "Bob", Circle::Network, &[]); // 90 days
        touch(&mut store, bob, 95);
        let fresh = add(&mut store, "Fresh", Circle::Inner, &[]);
        touch(&mut store, fresh, 1);
        let gone = add(&mut store, "Gone", Circle::Inner, &[]);
        touch(&mut store, gone, 100);
        store.archive_contact(gone, now()).unwrap();

        let today = store.today(now(), 10).unwrap();
        assert_eq!(names(&today), ["Priya", "Bob"]);
        assert_eq!(
            today[0].reasons[0].text,
            "Overdue by 10 days (every 30 days)"
        );
        assert_eq!(today[0].action, Action::Call);
        assert_eq!(store.today(now(), 1).unwrap().len(), 1);
    }

    #[test]
    fn the_latest_touch_picks_the_action_of_the_suggestions_kept() {
        let (_dir, mut store) = temp_store();
        let introducer = add(&mut store, "Introducer", Circle::Network, &[]);
        store
            .log_interaction(
                InteractionInput {
                    contact_ids: vec![introducer],
                    kind: InteractionKind::Intro,
                    occurred_at: now() - Duration::days(100),
                    direction: Some(Direction::Inbound),
                    notes: None,
                },
                now(),
            )
            .unwrap();
        let today = store.today(now(), 10).unwrap();
        assert_eq!(today[0].action, Action::SayThanks);
    }

    #[test]
    fn snooze_and_dismiss_hide_until_later() {
        let (_dir, mut store) = temp_store();
        let priya = add(&mut store, "Priya", Circle::Close, &[]);
        touch(&mut store, priya, 40);
        store.dismiss_suggestion(priya, now()).unwrap();
        assert!(store.today(now(), 10).unwrap().is_empty());
        // Back the next day (UTC until a time zone is set).
        let tomorrow = Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 1).unwrap();
        assert_eq!(names(&store.today(tomorrow, 10).unwrap()), ["Priya"]);

        store.snooze_suggestion(priya, 7, now()).unwrap();
        assert!(store
            .today(now() + Duration::days(6), 10)
            .unwrap()
            .is_empty());
        assert_eq!(store.today(now() + Duration::days(7), 10).unwrap().len(), 1);
        assert_eq!(
            store
                .snooze_suggestion(priya, 0, now())
                .unwrap_err()
                .field(),
            Some("days")
        );
        assert_eq!(
            store.dismiss_suggestion(999, now()).unwrap_err().kind(),
            "notFound"
        );
    }

    #[test]
    fn follow_ups_report_backs_and_goals_lift_people_who_are_not_due() {
        let (_dir, mut store) = temp_store();
        let owed = add(&mut store, "Owed", Circle::Network, &[]);
        touch(&mut store, owed, 5);
        store
            .add_follow_up(
                FollowUpInput {
                    contact_id: owed,
                    interaction_id: None,
                    title: "send the article".into(),
                    due_on: Some(now().date_naive() - Duration::days(1)),
                },
                now(),
            )
            .unwrap();
        let told = add(&mut store, "Told", Circle::Network, &[]);
        touch(&mut store, told, 5);
        let f = store
            .add_follow_up(
                FollowUpInput {
                    contact_id: told,
                    interaction_id: None,
                    title: "read the book".into(),
                    due_on: None,
                },
                now(),
            )
            .unwrap();
        store.set_follow_up_done(f.id, true, now()).unwrap();
        let colleague = add(
            &mut store,
            "Colleague",
            Circle::Network,
            &["former colleague"],
        );
        touch(&mut store, colleague, 5);
        store
            .add_goal(
                GoalInput {
                    target: 10,
                    // Late in the month with nothing logged: behind pace.
                    period: Period::Monthly,
                    audience: Audience {
                        tags: vec!["former colleague".into()],
                        ..Audience::default()
                    },
                    start_date: now().date_naive() - Duration::days(30),
                    ..GoalInput::template(GoalKind::ReconnectColleagues, now().date_naive())
                },
                now(),
            )
            .unwrap();
        let today = store.today(now(), 10).unwrap();
        let by = |n: &str| today.iter().find(|s| s.name == n).unwrap();
        assert_eq!(by("Owed").action, Action::DoFollowUp);
        assert_eq!(by("Told").action, Action::ReportBack);
        assert!(by("Colleague").reasons[0].text.starts_with("Counts toward"));

        // Telling them clears the report-back.
        store.report_back(f.id, now()).unwrap();
        assert!(store
            .today(now(), 10)
            .unwrap()
            .iter()
            .all(|s| s.name != "Told"));
    }
}
