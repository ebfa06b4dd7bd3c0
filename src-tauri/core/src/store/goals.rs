//! Queries on goals, and loading the activity of a goal's audience for [`crate::goals`].

use chrono::{DateTime, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use rusqlite::{named_params, Connection, OptionalExtension, Row, ToSql};

use super::{from_db_time, to_db_time, Store};
use crate::goals::{
    self, Activity, ActivityKind, Audience, AudienceCheck, AudienceTag, Goal, GoalInput, GoalRef,
    GoalStatus, GoalView,
};
use crate::{Error, Result};

/// Audience members, as SQL over `contacts c` with the JSON lists bound as parameters.
const IN_AUDIENCE: &str = "(:everyone
    OR c.id IN (SELECT value FROM json_each(:ids))
    OR c.circle IN (SELECT value FROM json_each(:circles))
    OR lower(c.company) IN (SELECT lower(value) FROM json_each(:companies))
    OR EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
               WHERE ct.contact_id = c.id AND t.name IN (SELECT value FROM json_each(:tags))))";

impl Store {
    pub fn add_goal(&mut self, input: GoalInput, now: DateTime<Utc>) -> Result<Goal> {
        let input = input.validated()?;
        let id = self.write(|tx| {
            // The row is created, then filled by the same statement an edit uses.
            tx.execute(
                "INSERT INTO goals (kind, title, metric, target, period, start_date, created_at,
                     updated_at)
                 VALUES ('custom', 'new goal', 'interactionsLogged', 1, 'weekly', '2000-01-01',
                     :now, :now)",
                named_params! { ":now": to_db_time(now) },
            )?;
            let id = tx.last_insert_rowid();
            write_goal(tx, id, &input, now)?;
            Ok(id)
        })?;
        self.get_goal(id)
    }

    pub fn update_goal(&mut self, id: i64, input: GoalInput, now: DateTime<Utc>) -> Result<Goal> {
        let input = input.validated()?;
        self.write(|tx| write_goal(tx, id, &input, now))?;
        self.get_goal(id)
    }

    pub fn delete_goal(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute(
                "DELETE FROM goals WHERE id = :id",
                named_params! { ":id": id },
            )? == 0
            {
                return Err(Error::NotFound { what: "goal", id });
            }
            Ok(())
        })
    }

    pub fn get_goal(&self, id: i64) -> Result<Goal> {
        self.conn
            .prepare_cached(&format!("SELECT {GOAL_COLUMNS} FROM goals WHERE id = :id"))?
            .query_row(named_params! { ":id": id }, goal_from_row)
            .optional()?
            .ok_or(Error::NotFound { what: "goal", id })
    }

    /// Every goal, active ones first, then by creation.
    pub fn list_goals(&self) -> Result<Vec<Goal>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {GOAL_COLUMNS} FROM goals
             ORDER BY status != 'active', status != 'paused', created_at, id"
        ))?;
        let rows = stmt.query_map([], goal_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every goal with its progress at `now`, in the user's time zone and week.
    pub fn goal_views(&self, now: DateTime<Utc>) -> Result<Vec<GoalView>> {
        let (tz, week_start) = self.calendar()?;
        self.list_goals()?
            .into_iter()
            .map(|goal| {
                let activity = self.goal_activity(&goal.fields)?;
                let progress = goals::progress(&goal.fields, &activity, tz, week_start, now);
                Ok(GoalView { goal, progress })
            })
            .collect()
    }

    /// The active or paused goals whose audience includes contact `contact_id`.
    pub fn goals_for_contact(&self, contact_id: i64) -> Result<Vec<GoalRef>> {
        let mut out = Vec::new();
        for goal in self.list_goals()? {
            if !matches!(goal.fields.status, GoalStatus::Active | GoalStatus::Paused) {
                continue;
            }
            let sql = format!("SELECT 1 FROM contacts c WHERE c.id = :contact AND {IN_AUDIENCE}");
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let a = AudienceParams::new(&goal.fields.audience);
            let found: Option<i64> = stmt
                .query_row(a.with(&[(":contact", &contact_id)]).as_slice(), |r| {
                    r.get(0)
                })
                .optional()?;
            if found.is_some() {
                out.push(GoalRef {
                    id: goal.id,
                    title: goal.fields.title,
                });
            }
        }
        Ok(out)
    }

    /// Who `audience` holds now (active people only), the tags it names that nobody has,
    /// and every tag with how many active people have it, most used first.
    pub fn check_audience(&self, audience: &Audience) -> Result<AudienceCheck> {
        let mut tags: Vec<AudienceTag> = self
            .conn
            .prepare_cached(
                "SELECT t.name, count(c.id) FROM tags t
                 JOIN contact_tags ct ON ct.tag_id = t.id
                 JOIN contacts c ON c.id = ct.contact_id AND c.archived_at IS NULL
                 GROUP BY t.id ORDER BY count(c.id) DESC, t.name COLLATE NOCASE",
            )?
            .query_map([], |r| {
                Ok(AudienceTag {
                    name: r.get(0)?,
                    people: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        tags.retain(|t| t.people > 0);
        let mut audience = audience.clone();
        audience.tags = audience
            .tags
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        let tags_with_nobody = audience
            .tags
            .iter()
            .filter(|t| {
                !tags
                    .iter()
                    .any(|k| k.name.to_lowercase() == t.to_lowercase())
            })
            .cloned()
            .collect();
        let people = u32::try_from(self.audience_ids(&audience)?.len()).unwrap_or(u32::MAX);
        Ok(AudienceCheck {
            people,
            tags_with_nobody,
            tags,
        })
    }

    /// The ids of every active contact in `audience`.
    pub(crate) fn audience_ids(&self, audience: &Audience) -> Result<Vec<i64>> {
        self.members(audience, "c.archived_at IS NULL")
    }

    /// The ids of the contacts in `audience` that match `filter` (SQL on contacts `c`),
    /// gathered through the index of each part (picked people, circles, companies, tags)
    /// rather than by testing every contact.
    pub(crate) fn members(&self, audience: &Audience, filter: &str) -> Result<Vec<i64>> {
        if audience.is_everyone() {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT c.id FROM contacts c WHERE {filter}"))?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        }
        let a = AudienceParams::new(audience);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.id FROM contacts c
             WHERE {filter} AND c.id IN (
                 SELECT value FROM json_each(:ids)
                 UNION ALL
                 SELECT m.id FROM json_each(:circles) j CROSS JOIN contacts m
                     ON m.circle = j.value
                 UNION ALL
                 SELECT m.id FROM json_each(:companies) j CROSS JOIN contacts m
                     ON m.company = j.value COLLATE NOCASE
                 UNION ALL
                 SELECT ct.contact_id FROM json_each(:tags) j
                     CROSS JOIN tags t ON t.name = j.value
                     CROSS JOIN contact_tags ct ON ct.tag_id = t.id)
             ORDER BY c.id"
        ))?;
        let params = named_params! {
            ":ids": a.ids, ":circles": a.circles, ":companies": a.companies, ":tags": a.tags,
        };
        let rows = stmt.query_map(params, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The user's time zone and first day of the week (settings `time_zone`, `week_start`;
    /// UTC and Monday until set).
    pub fn calendar(&self) -> Result<(Tz, Weekday)> {
        let tz = super::settings::user_zone(&self.conn)?;
        let week_start = super::settings::week_start(&self.conn)?.weekday();
        Ok((tz, week_start))
    }

    /// What may count toward `goal`: its audience's interactions, first meetings and
    /// completed follow-ups since the day before it started. Archived contacts keep counting
    /// for what happened before they were archived.
    pub(crate) fn goal_activity(&self, goal: &GoalInput) -> Result<Vec<Activity>> {
        let from = start_bound(goal.start_date);
        let everyone = goal.audience.is_everyone();
        // The audience, looked up once; "everyone" needs no list.
        let members: Vec<i64> = if everyone {
            Vec::new()
        } else {
            self.members(&goal.audience, "1")?
        };
        let members = serde_json::to_string(&members).unwrap_or_else(|_| "[]".into());
        let params = named_params! { ":from": from, ":everyone": everyone, ":members": members };
        let mut out = Vec::new();

        // Each member's interactions in range (an index range per member), or everyone's.
        let interaction = |r: &Row<'_>| {
            Ok(Activity {
                at: from_db_time(r.get(2)?)?,
                contact_id: r.get(3)?,
                what: ActivityKind::Interaction {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                },
            })
        };
        if everyone {
            let mut stmt = self.conn.prepare_cached(
                "SELECT ic.interaction_id, i.kind, ic.occurred_at, ic.contact_id
                 FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id
                 WHERE i.occurred_at >= :from",
            )?;
            for row in stmt.query_map(named_params! { ":from": from }, interaction)? {
                out.push(row?);
            }
        } else {
            let mut stmt = self.conn.prepare_cached(
                "SELECT ic.interaction_id, i.kind, ic.occurred_at, ic.contact_id
                 FROM json_each(:members) m
                 CROSS JOIN interaction_contacts ic
                     ON ic.contact_id = m.value AND ic.occurred_at >= :from
                 JOIN interactions i ON i.id = ic.interaction_id",
            )?;
            let params = named_params! { ":from": from, ":members": members };
            for row in stmt.query_map(params, interaction)? {
                out.push(row?);
            }
        }
        let mut first_met = self.conn.prepare_cached(
            "SELECT c.id, c.first_touch_at FROM contacts c
             WHERE c.first_touch_at >= :from
               AND (:everyone OR c.id IN (SELECT value FROM json_each(:members)))",
        )?;
        let rows = first_met.query_map(params, |r| {
            Ok(Activity {
                at: from_db_time(r.get(1)?)?,
                contact_id: r.get(0)?,
                what: ActivityKind::FirstMet,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
        let mut follow_ups = self.conn.prepare_cached(
            "SELECT f.id, f.contact_id, f.completed_at FROM follow_ups f
             WHERE f.completed_at >= :from
               AND (:everyone OR f.contact_id IN (SELECT value FROM json_each(:members)))",
        )?;
        let rows = follow_ups.query_map(params, |r| {
            Ok(Activity {
                at: from_db_time(r.get(2)?)?,
                contact_id: r.get(1)?,
                what: ActivityKind::FollowUpCompleted { id: r.get(0)? },
            })
        })?;
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    }
}

/// Writes every field of a validated goal onto row `id`.
fn write_goal(conn: &Connection, id: i64, input: &GoalInput, now: DateTime<Utc>) -> Result<()> {
    let changed = conn.execute(
        "UPDATE goals SET kind = :kind, title = :title, why = :why, metric = :metric,
             target = :target, period = :period, deadline = :deadline, audience = :audience,
             start_date = :start, status = :status, updated_at = :now
         WHERE id = :id",
        named_params! {
            ":id": id,
            ":kind": input.kind,
            ":title": input.title,
            ":why": input.why,
            ":metric": input.metric,
            ":target": input.target,
            ":period": input.period,
            ":deadline": input.deadline.map(|d| d.to_string()),
            ":audience": audience_json(&input.audience),
            ":start": input.start_date.to_string(),
            ":status": input.status,
            ":now": to_db_time(now),
        },
    )?;
    if changed == 0 {
        return Err(Error::NotFound { what: "goal", id });
    }
    Ok(())
}

const GOAL_COLUMNS: &str = "id, kind, title, why, metric, target, period, deadline, audience,
    start_date, status, created_at, updated_at";

/// A day before `start` began in UTC: earlier than its local midnight in any time zone, so
/// a safe lower bound for loading (the exact bounds are applied by [`goals::progress`]).
fn start_bound(start: NaiveDate) -> i64 {
    let midnight = start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    (midnight - Duration::days(1)).timestamp()
}

fn audience_json(audience: &Audience) -> String {
    serde_json::to_string(audience).unwrap_or_else(|_| "{}".into())
}

/// The audience as the JSON lists [`IN_AUDIENCE`] binds.
struct AudienceParams {
    everyone: bool,
    ids: String,
    circles: String,
    companies: String,
    tags: String,
}

impl AudienceParams {
    /// These parameters followed by `extra`, for a statement using [`IN_AUDIENCE`].
    fn with<'a>(&'a self, extra: &[(&'a str, &'a dyn ToSql)]) -> Vec<(&'a str, &'a dyn ToSql)> {
        let mut params: Vec<(&str, &dyn ToSql)> = vec![
            (":everyone", &self.everyone),
            (":ids", &self.ids),
            (":circles", &self.circles),
            (":companies", &self.companies),
            (":tags", &self.tags),
        ];
        params.extend_from_slice(extra);
        params
    }

    fn new(a: &Audience) -> Self {
        let json = |v: serde_json::Value| v.to_string();
        AudienceParams {
            everyone: a.is_everyone(),
            ids: json(serde_json::json!(a.contact_ids)),
            circles: json(serde_json::json!(a.circles)),
            companies: json(serde_json::json!(a.companies)),
            tags: json(serde_json::json!(a.tags)),
        }
    }
}

fn goal_from_row(row: &Row<'_>) -> rusqlite::Result<Goal> {
    let text = |name: &str| row.get::<_, String>(name);
    let invalid = |name: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown {name} in the goals table").into(),
        )
    };
    let date = |name: &str| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(row
            .get::<_, Option<String>>(name)?
            .and_then(|d| d.parse().ok()))
    };
    Ok(Goal {
        id: row.get("id")?,
        fields: GoalInput {
            kind: row.get("kind")?,
            title: text("title")?,
            why: text("why")?,
            metric: row.get("metric")?,
            target: row.get("target")?,
            period: row.get("period")?,
            deadline: date("deadline")?,
            audience: serde_json::from_str(&text("audience")?).map_err(|_| invalid("audience"))?,
            start_date: date("start_date")?.ok_or_else(|| invalid("start date"))?,
            status: row.get("status")?,
        },
        created_at: from_db_time(row.get("created_at")?)?,
        updated_at: from_db_time(row.get("updated_at")?)?,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::goals::{GoalKind, Metric, Pace, Period};
    use crate::history::FollowUpInput;
    use crate::history::InteractionKind;
    use crate::model::Circle;
    use crate::store::tests::temp_store;
    use crate::testing::{person, touch};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 10, 12, 0, 0).unwrap()
    }

    fn contact(store: &mut Store, name: &str, tags: &[&str], company: Option<&str>) -> i64 {
        let someone = person(name).tags(tags);
        match company {
            Some(company) => someone.company(company),
            None => someone,
        }
        .add(store, now() - Duration::days(60))
        .unwrap()
    }

    fn reconnect() -> GoalInput {
        GoalInput {
            title: "Reconnect with 3 former colleagues this month".into(),
            target: 3,
            ..GoalInput::template(GoalKind::ReconnectColleagues, now().date_naive())
        }
    }

    #[test]
    fn a_tag_audience_goal_counts_calls_with_tagged_contacts_only() {
        let (_dir, mut store) = temp_store();
        let ana = contact(&mut store, "Ana", &["former colleague"], None);
        let bob = contact(&mut store, "Bob", &[], None);
        let goal = store.add_goal(reconnect(), now()).unwrap();
        assert_eq!(goal.fields.audience.tags, ["former colleague"]);

        touch(
            &mut store,
            &[bob],
            InteractionKind::Call,
            now() - Duration::hours(2),
            now(),
        )
        .unwrap();
        touch(
            &mut store,
            &[ana],
            InteractionKind::Call,
            now() - Duration::hours(1),
            now(),
        )
        .unwrap();
        let views = store.goal_views(now()).unwrap();
        assert_eq!(views.len(), 1);
        let p = &views[0].progress;
        assert_eq!(p.current.count, 1);
        assert_eq!(p.target, 3);
        assert!(matches!(p.pace, Pace::OnTrack | Pace::Behind(_)));

        // Deleting the interaction changes the numbers at once.
        let id = store.timeline(ana, 1).unwrap()[0].id;
        store.delete_interaction(id).unwrap();
        assert_eq!(
            store.goal_views(now()).unwrap()[0].progress.current.count,
            0
        );
        assert_eq!(
            store.goals_for_contact(ana).unwrap(),
            vec![GoalRef {
                id: goal.id,
                title: goal.fields.title.clone()
            }]
        );
        assert!(store.goals_for_contact(bob).unwrap().is_empty());
    }

    #[test]
    fn an_audience_says_how_many_it_holds_and_which_tags_nobody_has() {
        let (_dir, mut store) = temp_store();
        contact(&mut store, "Ana", &["Former colleague", "rust"], None);
        contact(&mut store, "Bob", &["former colleague"], Some("Acme"));
        let gone = contact(&mut store, "Cy", &["rust", "old"], None);
        store.archive_contact(gone, now()).unwrap();

        let check = |tags: &[&str], companies: &[&str]| {
            store
                .check_audience(&Audience {
                    tags: tags.iter().map(|t| t.to_string()).collect(),
                    companies: companies.iter().map(|t| t.to_string()).collect(),
                    ..Audience::default()
                })
                .unwrap()
        };
        let c = check(&[" former colleague "], &[]);
        assert_eq!(c.people, 2, "tags match whatever their case");
        assert!(c.tags_with_nobody.is_empty());
        assert_eq!(
            c.tags,
            [
                AudienceTag {
                    name: "Former colleague".into(),
                    people: 2
                },
                AudienceTag {
                    name: "rust".into(),
                    people: 1
                },
            ],
            "most used first; a tag only archived people have is no suggestion"
        );

        let typo = check(&["former colleauge"], &[]);
        assert_eq!(typo.people, 0);
        assert_eq!(typo.tags_with_nobody, ["former colleauge"]);
        let both = check(&["former colleauge", "rust"], &["acme"]);
        assert_eq!((both.people, both.tags_with_nobody.len()), (2, 1));
        assert_eq!(check(&["old"], &[]).tags_with_nobody, ["old"]);
        assert_eq!(check(&[], &[]).people, 2, "an empty audience is everyone");
    }

    #[test]
    fn audiences_by_company_circle_and_hand_picked_contacts() {
        let (_dir, mut store) = temp_store();
        let acme = contact(&mut store, "Ana", &[], Some("Acme"));
        let picked = contact(&mut store, "Bob", &[], Some("Globex"));
        let other = contact(&mut store, "Cid", &[], None);
        let goal = |audience: Audience| GoalInput {
            audience,
            metric: Metric::DistinctContactsReached,
            ..reconnect()
        };
        store
            .add_goal(
                goal(Audience {
                    companies: vec!["ACME".into()],
                    ..Audience::default()
                }),
                now(),
            )
            .unwrap();
        store
            .add_goal(
                goal(Audience {
                    contact_ids: vec![picked],
                    ..Audience::default()
                }),
                now(),
            )
            .unwrap();
        store
            .add_goal(
                goal(Audience {
                    circles: vec![Circle::Network],
                    ..Audience::default()
                }),
                now(),
            )
            .unwrap();
        for id in [acme, picked, other] {
            touch(
                &mut store,
                &[id],
                InteractionKind::Coffee,
                now() - Duration::hours(1),
                now(),
            )
            .unwrap();
        }
        let counts: Vec<u32> = store
            .goal_views(now())
            .unwrap()
            .iter()
            .map(|v| v.progress.current.count)
            .collect();
        assert_eq!(counts, [1, 1, 3]);
    }

    #[test]
    fn follow_ups_and_first_meetings_count_for_their_metrics() {
        let (_dir, mut store) = temp_store();
        let met_before = contact(&mut store, "Old", &[], None);
        touch(
            &mut store,
            &[met_before],
            InteractionKind::Call,
            now() - Duration::days(40),
            now(),
        )
        .unwrap();
        let goal = store
            .add_goal(
                GoalInput {
                    metric: Metric::NewContactsMet,
                    audience: Audience::default(),
                    ..reconnect()
                },
                now() - Duration::days(9),
            )
            .unwrap();
        let new = contact(&mut store, "New", &[], None);
        touch(
            &mut store,
            &[new, met_before],
            InteractionKind::Event,
            now() - Duration::hours(3),
            now(),
        )
        .unwrap();
        let views = store.goal_views(now()).unwrap();
        assert_eq!(views[0].goal.id, goal.id);
        assert_eq!(
            views[0].progress.current.count, 1,
            "only New was met for the first time"
        );

        let f = store
            .add_follow_up(
                FollowUpInput {
                    contact_id: new,
                    interaction_id: None,
                    title: "Send slides".into(),
                    due_on: None,
                },
                now(),
            )
            .unwrap();
        store.set_follow_up_done(f.id, true, now()).unwrap();
        store
            .update_goal(
                goal.id,
                GoalInput {
                    metric: Metric::FollowUpsCompleted,
                    audience: Audience::default(),
                    ..reconnect()
                },
                now(),
            )
            .unwrap();
        assert_eq!(
            store.goal_views(now() + Duration::minutes(1)).unwrap()[0]
                .progress
                .current
                .count,
            1
        );
    }

    #[test]
    fn goals_round_trip_and_bad_ones_change_nothing() {
        let (_dir, mut store) = temp_store();
        let goal = store
            .add_goal(
                GoalInput {
                    period: Period::ByDeadline,
                    deadline: chrono::NaiveDate::from_ymd_opt(2027, 3, 31),
                    why: "  I want a role in platform teams ".into(),
                    ..reconnect()
                },
                now(),
            )
            .unwrap();
        assert_eq!(store.get_goal(goal.id).unwrap(), goal);
        assert_eq!(goal.fields.why, "I want a role in platform teams");
        let err = store
            .update_goal(
                goal.id,
                GoalInput {
                    target: 0,
                    ..reconnect()
                },
                now(),
            )
            .unwrap_err();
        assert_eq!(err.field(), Some("target"));
        assert_eq!(store.get_goal(goal.id).unwrap(), goal);
        let paused = store
            .update_goal(
                goal.id,
                GoalInput {
                    status: GoalStatus::Paused,
                    ..goal.fields.clone()
                },
                now(),
            )
            .unwrap();
        assert_eq!(paused.fields.status, GoalStatus::Paused);
        assert_eq!(
            store.goal_views(now()).unwrap()[0].progress.pace,
            Pace::Inactive
        );
        store.delete_goal(goal.id).unwrap();
        assert_eq!(
            store.get_goal(goal.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
        assert_eq!(
            store.delete_goal(goal.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn goals_follow_the_time_zone_setting() {
        let (_dir, mut store) = temp_store();
        assert_eq!(store.calendar().unwrap().0, chrono_tz::UTC);
        let defaults = store.preferences().unwrap();
        store
            .set_preferences(crate::preferences::Preferences {
                time_zone: "Pacific/Auckland".into(),
                ..defaults
            })
            .unwrap();
        assert_eq!(store.calendar().unwrap().0, chrono_tz::Pacific::Auckland);
        // A goal starting on the 10th counts from midnight on the 10th in Auckland.
        let goal = store.add_goal(reconnect(), now()).unwrap();
        let view = &store.goal_views(now()).unwrap()[0];
        assert_eq!(view.goal.id, goal.id);
        assert_eq!(
            view.progress.current.start,
            chrono_tz::Pacific::Auckland
                .with_ymd_and_hms(2026, 11, 10, 0, 0, 0)
                .unwrap()
                .with_timezone(&Utc)
        );
    }
}
