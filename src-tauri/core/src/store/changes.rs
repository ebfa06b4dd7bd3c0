//! What changed in the database since a window last looked: another process (the command
//! line, the scheduler's connection, a sync round) committed when SQLite's `data_version`
//! moves on this connection, and a small fingerprint of each part of the network says which
//! parts. Reading both is cheap enough for a timer of a second or so.

use serde::Serialize;
use ts_rs::TS;

use super::Store;
use crate::Result;

/// A part of the network a screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Area {
    /// People: their fields, tags, archive.
    Contacts,
    /// Interactions (the timeline, last touches).
    History,
    FollowUps,
    Goals,
    Events,
    /// Reminders and the nudges they fired.
    Reminders,
    /// Preferences, imports, cadence rules and sync state.
    Settings,
}

impl Area {
    const ALL: [Area; 7] = [
        Area::Contacts,
        Area::History,
        Area::FollowUps,
        Area::Goals,
        Area::Events,
        Area::Reminders,
        Area::Settings,
    ];

    /// One row that changes whenever the area does: counts (for deletions) and the latest
    /// change times or ids.
    fn probe(self) -> &'static str {
        match self {
            Area::Contacts => {
                "SELECT count(*) || ':' || coalesce(max(updated_at), 0) || ':' || coalesce(max(id), 0)
                 || ':' || (SELECT count(*) FROM contact_tags) FROM contacts"
            }
            Area::History => {
                "SELECT count(*) || ':' || coalesce(max(updated_at), 0) || ':' || coalesce(max(id), 0)
                 FROM interactions"
            }
            Area::FollowUps => {
                "SELECT count(*) || ':' || coalesce(max(updated_at), 0) || ':' || coalesce(max(id), 0)
                 FROM follow_ups"
            }
            Area::Goals => {
                "SELECT count(*) || ':' || coalesce(max(updated_at), 0) || ':' || coalesce(max(id), 0)
                 FROM goals"
            }
            Area::Events => {
                "SELECT count(*) || ':' || coalesce(max(updated_at), 0) || ':' || coalesce(max(id), 0)
                 || ':' || (SELECT count(*) FROM event_attendees) FROM events"
            }
            Area::Reminders => {
                "SELECT count(*) || ':' || coalesce(max(id), 0) || ':'
                 || (SELECT count(*) || ':' || coalesce(max(acted_at), 0) || ':' || coalesce(max(id), 0)
                     FROM occurrences) FROM reminders"
            }
            Area::Settings => {
                "SELECT coalesce(group_concat(key || '=' || value, ';'), '') || ':'
                 || (SELECT count(*) || ':' || coalesce(max(id), 0) FROM imports) || ':'
                 || (SELECT count(*) FROM cadence_rules) || ':'
                 || (SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL)
                 FROM (SELECT key, value FROM settings ORDER BY key)"
            }
        }
    }
}

/// Each area's probe, as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(Vec<(Area, String)>);

impl Fingerprint {
    /// The areas that differ in `newer`.
    pub fn changed(&self, newer: &Fingerprint) -> Vec<Area> {
        self.0
            .iter()
            .zip(&newer.0)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.0)
            .collect()
    }
}

impl Store {
    /// SQLite's `data_version`: it moves when another connection commits.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Each area's probe now, in one read.
    pub fn fingerprint(&self) -> Result<Fingerprint> {
        self.read(|conn| {
            Area::ALL
                .iter()
                .map(|&area| {
                    let probe: String = conn.query_row(area.probe(), [], |r| r.get(0))?;
                    Ok((area, probe))
                })
                .collect::<Result<_>>()
                .map(Fingerprint)
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::history::FollowUpInput;
    use crate::store::tests::temp_store;
    use crate::testing::person;

    #[test]
    fn another_connections_commit_moves_the_version_and_names_what_changed() {
        let (dir, mut store) = temp_store();
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        let version = store.data_version().unwrap();
        let before = store.fingerprint().unwrap();
        // This connection's own writes do not move its version…
        let priya = person("Priya Raman").add(&mut store, now).unwrap();
        assert_eq!(store.data_version().unwrap(), version);
        let after_own = store.fingerprint().unwrap();
        assert_eq!(before.changed(&after_own), [Area::Contacts]);

        // …another's do (the command line, the scheduler, a sync round).
        let mut other = Store::open_in(dir.path()).unwrap();
        other
            .add_follow_up(
                FollowUpInput {
                    contact_id: priya,
                    interaction_id: None,
                    title: "Send the deck".into(),
                    due_on: None,
                },
                now,
            )
            .unwrap();
        assert_ne!(store.data_version().unwrap(), version);
        let now_seen = store.fingerprint().unwrap();
        assert_eq!(after_own.changed(&now_seen), [Area::FollowUps]);
        assert!(now_seen.changed(&store.fingerprint().unwrap()).is_empty());

        other.archive_contact(priya, now).unwrap();
        other.purge_contact(priya).unwrap();
        let gone = store.fingerprint().unwrap();
        assert_eq!(now_seen.changed(&gone), [Area::Contacts, Area::FollowUps]);
    }
}
