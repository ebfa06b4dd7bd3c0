//! Loads what the pictures show (see [`crate::pictures`]): touches by week, people by circle
//! and by due state, a contact's year.

use chrono::{DateTime, Utc};
use rusqlite::named_params;

use super::{from_db_time, to_db_time, Store};
use crate::cadence::due_state;
use crate::calendar::local_midnight;
use crate::history::InteractionKind;
use crate::model::{Circle, Contact};
use crate::pictures::{
    strip, week_starts, weekly, CircleCount, DueCounts, NetworkPicture, StripWeek, ACTIVITY_WEEKS,
    STRIP_WEEKS,
};
use crate::Result;

impl Store {
    /// The network at a glance at `now`: the last 26 weeks of touches, people by circle and by
    /// where they stand.
    pub fn network_picture(&self, now: DateTime<Utc>) -> Result<NetworkPicture> {
        let (tz, week_start) = self.calendar()?;
        let today = now.with_timezone(&tz).date_naive();
        let starts = week_starts(week_start, today, ACTIVITY_WEEKS);
        let from = local_midnight(tz, starts[0]);
        self.read(|conn| {
            let mut touches = Vec::new();
            let mut stmt = conn.prepare_cached(
                "SELECT occurred_at, kind FROM interactions WHERE occurred_at >= :from",
            )?;
            let mut rows = stmt.query(named_params! { ":from": to_db_time(from) })?;
            while let Some(r) = rows.next()? {
                let at = from_db_time(r.get(0)?)?;
                let kind: InteractionKind = r.get(1)?;
                touches.push((at.with_timezone(&tz).date_naive(), kind));
            }
            let mut circles: Vec<CircleCount> = Circle::ALL
                .iter()
                .map(|&circle| CircleCount { circle, count: 0 })
                .collect();
            let mut states = Vec::new();
            let mut stmt = conn.prepare_cached(
                "SELECT circle, next_due_at, overdue_at FROM contacts WHERE archived_at IS NULL",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let circle: Circle = r.get(0)?;
                if let Some(c) = circles.iter_mut().find(|c| c.circle == circle) {
                    c.count += 1;
                }
                let time = |i: usize| -> Result<Option<DateTime<Utc>>> {
                    Ok(r.get::<_, Option<i64>>(i)?.map(from_db_time).transpose()?)
                };
                states.push(due_state(time(1)?, time(2)?, now));
            }
            Ok(NetworkPicture {
                weeks: weekly(&touches, &starts),
                circles,
                due: DueCounts::count(states),
            })
        })
    }

    /// `contact`'s last year, week by week, against their cadence.
    pub(super) fn contact_year(
        &self,
        contact: &Contact,
        now: DateTime<Utc>,
    ) -> Result<Vec<StripWeek>> {
        let (tz, week_start) = self.calendar()?;
        let today = now.with_timezone(&tz).date_naive();
        let starts = week_starts(week_start, today, STRIP_WEEKS);
        let from = local_midnight(tz, starts[0]);
        let mut stmt = self.conn.prepare_cached(
            "SELECT ic.occurred_at FROM interaction_contacts ic
             JOIN interactions i ON i.id = ic.interaction_id
             WHERE ic.contact_id = :contact AND ic.occurred_at >= :from AND i.kind <> :connected",
        )?;
        let mut rows = stmt.query(named_params! {
            ":contact": contact.id,
            ":from": to_db_time(from),
            ":connected": InteractionKind::Connected,
        })?;
        let mut days = Vec::new();
        while let Some(r) = rows.next()? {
            days.push(from_db_time(r.get(0)?)?.with_timezone(&tz).date_naive());
        }
        let added = contact.created_at.with_timezone(&tz).date_naive();
        Ok(strip(
            &days,
            added,
            contact.effective_cadence_days,
            &starts,
            today,
        ))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::cadence::DueState;
    use crate::store::tests::temp_store;
    use crate::testing::person;

    #[test]
    fn the_picture_the_list_and_today_say_one_state_and_count_no_rhythm_apart() {
        let (_dir, mut store) = temp_store();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let ago = |d| now - Duration::days(d);
        let added = ago(1000);
        let call = InteractionKind::Call;
        // Every 90 days (network): within, due (1× to 1.5×), overdue (past 1.5×), and an
        // imported connection with no rhythm yet.
        let within = person("Within")
            .touched(call, ago(10))
            .add(&mut store, added)
            .unwrap();
        let due = person("Due")
            .touched(call, ago(104))
            .add(&mut store, added)
            .unwrap();
        let overdue = person("Overdue")
            .touched(call, ago(136))
            .add(&mut store, added)
            .unwrap();
        let imported = person("Imported")
            .touched(InteractionKind::Connected, ago(900))
            .add(&mut store, added)
            .unwrap();

        let picture = store.network_picture(now).unwrap();
        assert_eq!(
            picture.due,
            DueCounts {
                upcoming: 1,
                due: 1,
                overdue: 1,
                no_rhythm: 1
            }
        );
        let listed = store.list_contacts(now).unwrap();
        let state = |id| listed.iter().find(|c| c.id == id).unwrap().due;
        assert_eq!(state(within), DueState::Upcoming);
        assert_eq!(state(due), DueState::Due);
        assert_eq!(state(overdue), DueState::Overdue);
        assert_eq!(state(imported), DueState::NoRhythm);
        assert_eq!(
            store.contact_page(overdue, 5, now).unwrap().due,
            DueState::Overdue
        );
        // Today says the same word.
        let today = store.today(now, 10).unwrap();
        let reason = |id| {
            today
                .iter()
                .find(|s| s.contact_id == id)
                .map(|s| s.reasons[0].text.clone())
        };
        assert_eq!(
            reason(due).as_deref(),
            Some("Due 14 days ago (every 90 days)")
        );
        assert_eq!(
            reason(overdue).as_deref(),
            Some("Overdue: was due 46 days ago (every 90 days)")
        );
        assert_eq!(reason(within), None);
        assert_eq!(reason(imported), None);
    }
}
