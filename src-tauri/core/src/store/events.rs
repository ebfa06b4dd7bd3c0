//! Queries on events: create, edit and delete them, list them by when they happen next,
//! and log going to one (one interaction with everyone met, in one transaction).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::interactions::{ensure_active_contacts, insert_interaction};
use super::{from_db_time, to_db_time, Store};
use crate::events::{Attendee, Event, EventInput, EventView, STILL_ON_HOURS};
use crate::history::{Direction, Interaction, InteractionInput, InteractionKind};
use crate::rank::EventSignal;
use crate::{Error, Result};

const EVENT_COLUMNS: &str = "id, title, start_date, start_time, repeat, time_zone, location,
    link, notes, created_at, updated_at";

impl Store {
    pub fn add_event(&mut self, input: EventInput, now: DateTime<Utc>) -> Result<Event> {
        let input = input.validated()?;
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO events (title, start_date, start_time, repeat, created_at, updated_at)
                 VALUES ('new event', '2000-01-01', '00:00', '{}', :now, :now)",
                named_params! { ":now": to_db_time(now) },
            )?;
            let id = tx.last_insert_rowid();
            write_event(tx, id, &input, now)?;
            Ok(id)
        })?;
        self.get_event(id)
    }

    pub fn update_event(
        &mut self,
        id: i64,
        input: EventInput,
        now: DateTime<Utc>,
    ) -> Result<Event> {
        let input = input.validated()?;
        self.write(|tx| write_event(tx, id, &input, now))?;
        self.get_event(id)
    }

    /// Deletes event `id`; the interactions logged for it stay in everyone's history.
    pub fn delete_event(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            match tx.execute(
                "DELETE FROM events WHERE id = :id",
                named_params! { ":id": id },
            )? {
                0 => Err(Error::NotFound { what: "event", id }),
                _ => Ok(()),
            }
        })
    }

    pub fn get_event(&self, id: i64) -> Result<Event> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE id = :id"
            ))?
            .query_row(named_params! { ":id": id }, event_from_row)
            .optional()?;
        let mut event = found.ok_or(Error::NotFound { what: "event", id })?;
        event.fields.attendee_ids = self.attendees(id)?.into_iter().map(|a| a.id).collect();
        Ok(event)
    }

    /// Every event, the next to happen first, then those that are over, the latest first.
    pub fn event_views(&self, now: DateTime<Utc>) -> Result<Vec<EventView>> {
        let (tz, _) = self.calendar()?;
        let events = self.all_events()?;
        let mut views = Vec::with_capacity(events.len());
        for mut event in events {
            let attendees = self.attendees(event.id)?;
            event.fields.attendee_ids = attendees.iter().map(|a| a.id).collect();
            let series = event.fields.series(event.zone(tz));
            views.push(EventView {
                next: series.next(now - Duration::hours(STILL_ON_HOURS)),
                last: series.last(now),
                repeats: event.fields.repeat.words(event.fields.start_date),
                attendees,
                event,
            });
        }
        views.sort_by(|a, b| match (a.next, b.next) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.last.cmp(&a.last),
        });
        Ok(views)
    }

    /// Logs going to event `id`: one interaction of kind "event" at `occurred_at` with each
    /// of `met`, noted with the event's name unless `notes` says more.
    pub fn attend_event(
        &mut self,
        id: i64,
        occurred_at: DateTime<Utc>,
        met: Vec<i64>,
        notes: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Interaction> {
        let event = self.get_event(id)?;
        let notes = notes
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("At {}", event.fields.title));
        let input = InteractionInput {
            contact_ids: met,
            kind: InteractionKind::Event,
            occurred_at,
            direction: Some(Direction::Outbound),
            notes: Some(notes),
        }
        .validated(now)
        .map_err(|e| match e {
            Error::Invalid {
                field: "contactIds",
                ..
            } => Error::invalid("contactIds", "Tick at least one person you met."),
            other => other,
        })?;
        let interaction = self.write(|tx| insert_interaction(tx, &input, Some(id), now))?;
        self.get_interaction(interaction)
    }

    /// The people of every event that happens in the next `days` days (from `now`, not
    /// counting one already begun), with the event: reasons to invite them.
    pub(crate) fn upcoming_events_by_contact(
        &self,
        now: DateTime<Utc>,
        tz: Tz,
        days: i64,
    ) -> Result<HashMap<i64, Vec<EventSignal>>> {
        let mut out: HashMap<i64, Vec<EventSignal>> = HashMap::new();
        for event in self.all_events()? {
            let Some(next) = event.fields.series(event.zone(tz)).next(now) else {
                continue;
            };
            if next - now > Duration::days(days) {
                continue;
            }
            for attendee in self.attendees(event.id)? {
                out.entry(attendee.id).or_default().push(EventSignal {
                    title: event.fields.title.clone(),
                    on: next.with_timezone(&tz).date_naive(),
                });
            }
        }
        Ok(out)
    }

    /// Every event, without its people.
    pub(crate) fn all_events(&self) -> Result<Vec<Event>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY id"))?;
        let rows = stmt.query_map([], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The active people listed for event `id`, by name.
    fn attendees(&self, id: i64) -> Result<Vec<Attendee>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name FROM event_attendees a
             JOIN contacts c ON c.id = a.contact_id
             WHERE a.event_id = :id AND c.archived_at IS NULL
             ORDER BY c.display_name COLLATE NOCASE, c.id",
        )?;
        let rows = stmt.query_map(named_params! { ":id": id }, |r| {
            Ok(Attendee {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Writes every field of a validated event onto row `id`, with its people.
fn write_event(tx: &Connection, id: i64, input: &EventInput, now: DateTime<Utc>) -> Result<()> {
    ensure_active_contacts(tx, &input.attendee_ids).map_err(|e| match e {
        Error::NotFound { id, .. } => {
            Error::invalid("attendeeIds", format!("There is no contact {id}."))
        }
        Error::Invalid { reason, .. } => Error::Invalid {
            field: "attendeeIds",
            reason,
        },
        other => other,
    })?;
    let changed = tx.execute(
        "UPDATE events SET title = :title, start_date = :date, start_time = :time,
             repeat = :repeat, time_zone = :zone, location = :location, link = :link,
             notes = :notes, updated_at = :now
         WHERE id = :id",
        named_params! {
            ":id": id,
            ":title": input.title,
            ":date": input.start_date.to_string(),
            ":time": input.start_time,
            ":repeat": input.repeat,
            ":zone": input.time_zone,
            ":location": input.location,
            ":link": input.link,
            ":notes": input.notes,
            ":now": to_db_time(now),
        },
    )?;
    if changed == 0 {
        return Err(Error::NotFound { what: "event", id });
    }
    tx.execute(
        "DELETE FROM event_attendees WHERE event_id = :id",
        named_params! { ":id": id },
    )?;
    let mut add = tx.prepare_cached(
        "INSERT INTO event_attendees (event_id, contact_id) VALUES (:event, :contact)",
    )?;
    for contact in &input.attendee_ids {
        add.execute(named_params! { ":event": id, ":contact": contact })?;
    }
    Ok(())
}

fn event_from_row(row: &Row<'_>) -> rusqlite::Result<Event> {
    let invalid = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unreadable {what} in the events table").into(),
        )
    };
    let start_date: String = row.get("start_date")?;
    Ok(Event {
        id: row.get("id")?,
        fields: EventInput {
            title: row.get("title")?,
            start_date: start_date.parse().map_err(|_| invalid("date"))?,
            start_time: row.get("start_time")?,
            repeat: row.get("repeat")?,
            time_zone: row.get("time_zone")?,
            location: row.get("location")?,
            link: row.get("link")?,
            notes: row.get("notes")?,
            attendee_ids: Vec::new(),
        },
        created_at: from_db_time(row.get("created_at")?)?,
        updated_at: from_db_time(row.get("updated_at")?)?,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use chrono::NaiveDate;

    use super::*;

    use crate::repeat::Repeat;
    use crate::store::tests::temp_store;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
    }

    fn person(store: &mut Store, name: &str) -> i64 {
        crate::testing::person(name)
            .add(store, now() - Duration::days(100))
            .unwrap()
    }

    fn meetup(people: Vec<i64>) -> EventInput {
        EventInput {
            title: "Rust Lisbon meetup".into(),
            // Tuesdays, every 6 weeks from 6 October 2026: next on 17 November, then 29 December.
            start_date: NaiveDate::from_ymd_opt(2026, 10, 6).unwrap(),
            start_time: "18:30".into(),
            repeat: Repeat::EveryWeeks { weeks: 6 },
            time_zone: Some("Europe/Lisbon".into()),
            location: Some("Impact Hub".into()),
            link: Some("https://example.org/rust-lisbon".into()),
            notes: None,
            attendee_ids: people,
        }
    }

    #[test]
    fn events_round_trip_and_list_by_when_they_happen_next() {
        let (_dir, mut store) = temp_store();
        let ana = person(&mut store, "Ana");
        let bo = person(&mut store, "Bo");
        let group = store.add_event(meetup(vec![bo, ana, ana]), now()).unwrap();
        assert_eq!(group.fields.attendee_ids, [ana, bo]);
        let once = store
            .add_event(
                EventInput {
                    title: "RustConf".into(),
                    start_date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
                    repeat: Repeat::Never,
                    attendee_ids: vec![],
                    ..meetup(vec![])
                },
                now(),
            )
            .unwrap();
        let past = store
            .add_event(
                EventInput {
                    title: "Old workshop".into(),
                    start_date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
                    repeat: Repeat::Never,
                    ..meetup(vec![])
                },
                now(),
            )
            .unwrap();
        let views = store.event_views(now()).unwrap();
        let order: Vec<i64> = views.iter().map(|v| v.event.id).collect();
        assert_eq!(order, [once.id, group.id, past.id]);
        let group_view = &views[1];
        assert_eq!(
            group_view.next,
            Some(Utc.with_ymd_and_hms(2026, 12, 29, 18, 30, 0).unwrap())
        );
        assert_eq!(
            group_view.last,
            Some(Utc.with_ymd_and_hms(2026, 11, 17, 18, 30, 0).unwrap())
        );
        let names: Vec<&str> = group_view
            .attendees
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, ["Ana", "Bo"]);
        assert_eq!(views[2].next, None);

        // Editing replaces the people; deleting leaves nobody's history behind.
        let edited = store
            .update_event(group.id, meetup(vec![bo]), now())
            .unwrap();
        assert_eq!(edited.fields.attendee_ids, [bo]);
        store.delete_event(once.id).unwrap();
        assert_eq!(
            store.get_event(once.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
        assert_eq!(
            store.delete_event(once.id).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn going_logs_one_event_interaction_with_everyone_met() {
        let (_dir, mut store) = temp_store();
        let ana = person(&mut store, "Ana");
        let bo = person(&mut store, "Bo");
        let group = store.add_event(meetup(vec![ana, bo]), now()).unwrap();
        let went = Utc.with_ymd_and_hms(2026, 11, 17, 18, 30, 0).unwrap();
        let logged = store
            .attend_event(group.id, went, vec![ana, bo], None, now())
            .unwrap();
        assert_eq!(logged.kind, InteractionKind::Event);
        assert_eq!(logged.notes.as_deref(), Some("At Rust Lisbon meetup"));
        assert_eq!(logged.contact_ids, [ana, bo]);
        assert_eq!(store.get_contact(bo).unwrap().last_touch_at, Some(went));
        // Nobody met is refused in words, and nothing is logged.
        let err = store
            .attend_event(group.id, went, vec![], None, now())
            .unwrap_err();
        assert_eq!(err.field(), Some("contactIds"));
        assert_eq!(store.timeline(ana, 10).unwrap().len(), 1);
        // The history outlives the event.
        store.delete_event(group.id).unwrap();
        assert_eq!(store.timeline(ana, 10).unwrap().len(), 1);
    }

    #[test]
    fn bad_events_change_nothing() {
        let (_dir, mut store) = temp_store();
        let ana = person(&mut store, "Ana");
        let group = store.add_event(meetup(vec![ana]), now()).unwrap();
        let err = store
            .update_event(group.id, meetup(vec![ana, 999]), now())
            .unwrap_err();
        assert_eq!(err.field(), Some("attendeeIds"));
        store.archive_contact(ana, now()).unwrap();
        let bo = person(&mut store, "Bo");
        let err = store
            .update_event(group.id, meetup(vec![bo, ana]), now())
            .unwrap_err();
        assert_eq!(err.field(), Some("attendeeIds"));
        store.restore_contact(ana, now()).unwrap();
        assert_eq!(store.get_event(group.id).unwrap(), group);
        assert_eq!(
            store
                .update_event(77, meetup(vec![]), now())
                .unwrap_err()
                .kind(),
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn people_of_events_in_the_next_days_are_known() {
        let (_dir, mut store) = temp_store();
        let ana = person(&mut store, "Ana");
        store
            .add_event(
                EventInput {
                    title: "Coffee & code".into(),
                    start_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                    repeat: Repeat::Never,
                    ..meetup(vec![ana])
                },
                now(),
            )
            .unwrap();
        store.add_event(meetup(vec![ana]), now()).unwrap(); // 29 December: too far
        let upcoming = store
            .upcoming_events_by_contact(now(), chrono_tz::UTC, 14)
            .unwrap();
        assert_eq!(
            upcoming[&ana],
            [EventSignal {
                title: "Coffee & code".into(),
                on: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            }]
        );
    }
}
