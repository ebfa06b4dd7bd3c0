//! Kith's automatic backups as the user sees them: why each was taken, what it holds, how
//! they are named in the backups folder, and which the rotation keeps (the newest of each of
//! the last 7 days and 4 weeks that have one, and always the 3 newest). Pure: the store
//! copies, checks and lists the files.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How many of the most recent days, and then weeks, keep their newest backup.
const KEEP_DAYS: usize = 7;
const KEEP_WEEKS: usize = 4;
/// The newest backups always kept, whatever their days.
const KEEP_NEWEST: usize = 3;

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BackupReason {
    /// The day's backup, taken while Kith runs.
    Daily,
    /// Before the database was brought up to a newer schema.
    BeforeMigration,
    /// Before an import.
    BeforeImport,
    /// Before a backup was restored over the network.
    BeforeRestore,
    /// Asked for (Settings → Backups, `kith backup`).
    Manual,
}

impl BackupReason {
    pub(crate) const ALL: [BackupReason; 5] = [
        BackupReason::Daily,
        BackupReason::BeforeMigration,
        BackupReason::BeforeImport,
        BackupReason::BeforeRestore,
        BackupReason::Manual,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BackupReason::Daily => "daily",
            BackupReason::BeforeMigration => "before-migration",
            BackupReason::BeforeImport => "before-import",
            BackupReason::BeforeRestore => "before-restore",
            BackupReason::Manual => "manual",
        }
    }
}

/// One backup in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupInfo {
    /// Its name in the backups folder (what restoring one from the window names).
    pub file_name: String,
    pub taken_at: DateTime<Utc>,
    pub reason: BackupReason,
    /// The contacts it holds (archived ones aside); `None` when the file cannot be read.
    #[ts(optional = nullable)]
    pub contacts: Option<u32>,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreReport {
    /// The contacts the network now holds (archived ones aside).
    pub contacts: u32,
    /// The schema the backup was written with (older ones are brought up to date).
    pub from_schema: u32,
    /// The backup of the network as it was before the restore.
    pub saved_as: BackupInfo,
    /// The server the restored file was synced with, when it is not this installation's
    /// account: it was not taken (a restore keeps this installation's sync account).
    #[ts(optional = nullable)]
    pub file_sync_url: Option<String>,
    /// Whether the file's links to the server's cards and tasks were kept (it was synced
    /// with this installation's account); else the next round joins them as a first does.
    pub sync_links_kept: bool,
}

/// `kith-20261201T093000Z-daily.db`; a backup before a migration, taken where no clock is
/// at hand, is named by its schema (`kith-schema8-before-migration.db`) and dated by its file.
/// `seq` tells apart backups that would otherwise share a name (taken in the same second, or
/// the clock set back): the second is `kith-20261201T093000Z-2-daily.db`.
pub(crate) fn file_name(
    reason: BackupReason,
    now: Option<DateTime<Utc>>,
    schema: usize,
    seq: u32,
) -> String {
    let when = match now {
        Some(now) => now.format("%Y%m%dT%H%M%SZ").to_string(),
        None => format!("schema{schema}"),
    };
    let seq = if seq == 0 {
        String::new()
    } else {
        format!("-{}", seq + 1)
    };
    format!("kith-{when}{seq}-{}.db", reason.as_str())
}

/// What a backup's name says of it: its reason, its instant (`None` when the file's own
/// time must tell) and its place among backups of the same name otherwise.
pub(crate) fn parse_name(name: &str) -> Option<(BackupReason, Option<DateTime<Utc>>, u32)> {
    let stem = name.strip_prefix("kith-")?.strip_suffix(".db")?;
    let (head, reason) = BackupReason::ALL
        .iter()
        .find_map(|r| Some((stem.strip_suffix(r.as_str())?.strip_suffix('-')?, *r)))?;
    let (when, seq) = match head.split_once('-') {
        None => (head, 0),
        Some((when, n)) => {
            // "2" to "1000", written plainly (never "02" or "+2": one name per backup).
            if n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = n.parse().ok().filter(|n| (2..=MAX_SEQ + 1).contains(n))?;
            (when, n - 1)
        }
    };
    if let Some(schema) = when.strip_prefix("schema") {
        schema.parse::<u32>().ok()?;
        return Some((reason, None, seq));
    }
    let at = chrono::NaiveDateTime::parse_from_str(when, "%Y%m%dT%H%M%SZ").ok()?;
    Some((reason, Some(at.and_utc()), seq))
}

/// How long a backup taken before a restore is kept whatever the rotation says: a restore
/// replaces the whole network, and that backup is the only way back to it.
const KEEP_BEFORE_RESTORE_DAYS: i64 = 7;

/// Whether a backup stays whatever the rotation says: one taken before a restore, for
/// [`KEEP_BEFORE_RESTORE_DAYS`].
pub(crate) fn always_kept(reason: BackupReason, taken: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    reason == BackupReason::BeforeRestore
        && now - taken.min(now) < chrono::Duration::days(KEEP_BEFORE_RESTORE_DAYS)
}

/// How many backups may share one instant and reason.
pub(crate) const MAX_SEQ: u32 = 999;

/// Which of the backups taken at `taken` (newest first) to keep: the newest of each of the
/// last [`KEEP_DAYS`] days that have one, then of each of the [`KEEP_WEEKS`] weeks before,
/// and the [`KEEP_NEWEST`] newest whatever their days. Days and weeks are the user's. A
/// backup named in the future (a clock that ran ahead) counts as taken `now`; among backups
/// of the same instant, the earlier in `taken` ranks as the newer.
pub fn to_keep(taken: &[DateTime<Utc>], now: DateTime<Utc>, tz: Tz) -> Vec<bool> {
    let taken: Vec<DateTime<Utc>> = taken.iter().map(|t| (*t).min(now)).collect();
    let mut keep = vec![false; taken.len()];
    let mut order: Vec<usize> = (0..taken.len()).collect();
    order.sort_by(|a, b| taken[*b].cmp(&taken[*a]));
    let mut seen: HashSet<NaiveDate> = HashSet::new();
    let mut recent_days = 0;
    let mut recent_weeks: HashSet<(i32, u32)> = HashSet::new();
    let mut kept_weeks: HashSet<(i32, u32)> = HashSet::new();
    for (rank, &i) in order.iter().enumerate() {
        let day = taken[i].with_timezone(&tz).date_naive();
        let week = (day.iso_week().year(), day.iso_week().week());
        if rank < KEEP_NEWEST {
            keep[i] = true;
        }
        if !seen.insert(day) {
            continue;
        }
        if recent_days < KEEP_DAYS {
            recent_days += 1;
            recent_weeks.insert(week);
            keep[i] = true;
        } else if !recent_weeks.contains(&week)
            && kept_weeks.len() < KEEP_WEEKS
            && kept_weeks.insert(week)
        {
            keep[i] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn names_say_when_and_why() {
        let now = at("2026-12-01T09:30:05Z");
        let name = file_name(BackupReason::BeforeImport, Some(now), 9, 0);
        assert_eq!(name, "kith-20261201T093005Z-before-import.db");
        assert_eq!(
            parse_name(&name),
            Some((BackupReason::BeforeImport, Some(now), 0))
        );
        let name = file_name(BackupReason::Manual, Some(now), 9, 1);
        assert_eq!(name, "kith-20261201T093005Z-2-manual.db");
        assert_eq!(
            parse_name(&name),
            Some((BackupReason::Manual, Some(now), 1))
        );
        let name = file_name(BackupReason::BeforeMigration, None, 8, 0);
        assert_eq!(name, "kith-schema8-before-migration.db");
        assert_eq!(
            parse_name(&name),
            Some((BackupReason::BeforeMigration, None, 0))
        );
        let name = file_name(BackupReason::BeforeMigration, None, 8, 2);
        assert_eq!(
            parse_name(&name),
            Some((BackupReason::BeforeMigration, None, 2))
        );
        for other in [
            "kith.db",
            "kith-x-daily.db",
            "notes.txt",
            "kith-20261201T093005Z-odd.db",
            "kith-20261201T093005Z-02-manual.db",
            "kith-20261201T093005Z-+2-manual.db",
            "kith-20261201T093005Z-1-manual.db",
            "kith-schemax-before-migration.db",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
    }

    #[test]
    fn the_rotation_keeps_seven_days_then_four_weeks_and_the_newest_three() {
        let tz: Tz = "Europe/Lisbon".parse().unwrap();
        // Two a day for 60 days, the newest first.
        let start = at("2026-12-01T20:00:00Z");
        let taken: Vec<DateTime<Utc>> = (0..120)
            .map(|i| start - chrono::Duration::hours(12 * i))
            .collect();
        let keep = to_keep(&taken, start, tz);
        let kept: Vec<DateTime<Utc>> = taken
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(t, _)| *t)
            .collect();
        // The 3 newest (today twice, yesterday evening), the newest of each of the 7 days,
        // the newest of each of the 4 weeks before.
        assert_eq!(kept.len(), 2 + 6 + 4, "{kept:?}");
        assert_eq!(kept[0], start);
        assert_eq!(kept[1], start - chrono::Duration::hours(12));
        let days: HashSet<NaiveDate> = kept.iter().map(|t| t.date_naive()).collect();
        assert_eq!(days.len(), 7 + 4);
        let oldest = *kept.last().unwrap();
        assert!(
            start - oldest < chrono::Duration::days(7 + 4 * 7),
            "{oldest}"
        );
        assert!(start - oldest > chrono::Duration::days(21), "{oldest}");
        // A long absence: the last backups are kept, however old.
        let old = vec![at("2025-01-01T10:00:00Z"), at("2024-06-01T10:00:00Z")];
        assert_eq!(to_keep(&old, start, tz), [true, true]);
    }

    #[test]
    fn backups_named_in_the_future_count_as_taken_now() {
        let tz: Tz = "Europe/Lisbon".parse().unwrap();
        let now = at("2026-12-01T20:00:00Z");
        // Ten from a clock a year ahead, then the one just taken, then a week of real ones.
        let mut taken: Vec<DateTime<Utc>> = (0..10)
            .map(|i| at("2027-12-01T20:00:00Z") + chrono::Duration::hours(i))
            .collect();
        taken.push(now);
        taken.extend((1..8).map(|d| now - chrono::Duration::days(d)));
        let keep = to_keep(&taken, now, tz);
        // The three newest of "now" (the first three of the tie, as given), and the newest
        // of each of the last seven days.
        assert_eq!(keep.iter().filter(|k| **k).count(), 3 + 6, "{keep:?}");
        assert!(keep[..3].iter().all(|k| *k));
        assert!(keep[11..17].iter().all(|k| *k), "{keep:?}");
    }
}
