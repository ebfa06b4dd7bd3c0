//! Automatic rotating backups: whole, consistent copies of `kith.db` made with SQLite's
//! online backup API into `<data dir>/backups/`, each checked with `integrity_check` before
//! it counts. Kith takes one at most once a day while it runs, one before every migration
//! and every import, one before a restore, and one when asked; it keeps the newest of each
//! of the last 7 days and 4 weeks that have one (and always the 3 newest). A restore checks
//! the file, brings an older schema up to date on a copy, keeps a backup of the current
//! network, then copies the restored pages into the live database, so every process that
//! has it open sees the restored network at its next read.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{schema_version, settings, while_busy, Store};
use crate::backup::{file_name, parse_name, to_keep, MAX_SEQ};
use crate::backup::{BackupInfo, BackupReason};
use crate::files;
use crate::{Error, Result};

/// The folder beside `kith.db` that holds the backups.
pub const BACKUPS_DIR: &str = "backups";

/// The backups folder of the database at `db_path`.
fn folder(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join(BACKUPS_DIR)
}

/// Copies the database `from` reads into the file at `to` in one step (a consistent
/// snapshot, even while others write), waiting out a busy destination.
pub(super) fn copy_pages(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    while_busy(|| {
        Ok(match backup.step(-1)? {
            StepResult::Done => Some(()),
            // More (a step of all pages reports Done) or Busy / Locked: again.
            _ => None,
        })
    })
}

/// "ok", or what `integrity_check` found wrong first.
pub(super) fn integrity(conn: &Connection) -> Result<()> {
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(Error::Corrupt(format!(
            "the copy failed its integrity check: {verdict}"
        )))
    }
}

/// A checked copy of what `conn` reads, in a private partial file in `dir`, so a failed or
/// killed backup never leaves a file that looks whole; the caller gives it its name.
fn write_copy(conn: &Connection, dir: &Path) -> Result<tempfile::NamedTempFile> {
    files::remove_stale_partials(dir);
    let tmp = tempfile::Builder::new()
        .prefix(&files::partial_prefix("kith-backup"))
        .tempfile_in(dir)
        .map_err(Error::io(dir))?;
    {
        let mut copy = Connection::open(tmp.path())?;
        copy_pages(conn, &mut copy)?;
        // A backup is one self-contained file, not a WAL database with companions.
        let _: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        integrity(&copy)?;
    }
    tmp.as_file().sync_all().map_err(Error::io(tmp.path()))?;
    Ok(tmp)
}

/// Takes a backup of what `conn` reads (the database at `db_path`) into its backups folder,
/// under a name no other file there has: one taken in the same second, or with the clock set
/// back, gets the next free name rather than replacing another.
pub(crate) fn take(
    conn: &Connection,
    db_path: &Path,
    reason: BackupReason,
    now: Option<DateTime<Utc>>,
) -> Result<BackupInfo> {
    let dir = folder(db_path);
    files::private_dir(&dir)?;
    let schema = schema_version(conn)?;
    let mut tmp = write_copy(conn, &dir)?;
    for seq in 0..=MAX_SEQ {
        let name = file_name(reason, now, schema, seq);
        let target = dir.join(&name);
        match tmp.persist_noclobber(&target) {
            Ok(_) => {
                let mut taken = info(&target, &name).ok_or_else(|| {
                    Error::io(&target)(std::io::Error::other(
                        "the backup was written but cannot be read back",
                    ))
                })?;
                taken.contacts = Some(active_contacts(conn)?);
                return Ok(taken);
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(Error::io(&target)(e.error)),
        }
    }
    Err(Error::io(&dir)(std::io::Error::other(format!(
        "more than {MAX_SEQ} backups share the name {}; remove some",
        file_name(reason, now, schema, 0)
    ))))
}

/// What a backup's name and file say of it, `None` if it is not a Kith backup (its
/// contacts are not counted: that opens the file).
/// Only regular files count: a folder, a FIFO or a link named like a backup is never opened
/// or removed.
fn info(path: &Path, name: &str) -> Option<BackupInfo> {
    let (reason, at, _) = parse_name(name)?;
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    let taken_at = match at {
        Some(at) => at,
        None => DateTime::<Utc>::from(meta.modified().ok()?),
    };
    Some(BackupInfo {
        file_name: name.to_owned(),
        taken_at,
        reason,
        contacts: None,
        bytes: meta.len(),
    })
}

/// The active contacts a database holds.
pub(super) fn active_contacts(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM contacts WHERE archived_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// The active contacts a database file holds, read without changing it.
fn contacts_in(path: &Path) -> Result<u32> {
    active_contacts(&Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

impl Store {
    /// The backups folder beside this database.
    pub fn backups_folder(&self) -> PathBuf {
        folder(&self.path)
    }

    /// Every backup in the backups folder, newest first, with the contacts each holds.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        let dir = self.backups_folder();
        let mut list = self.listed()?;
        for b in &mut list {
            b.contacts = contacts_in(&dir.join(&b.file_name)).ok();
        }
        Ok(list)
    }

    /// The backups in the backups folder, newest first, without opening them (what the
    /// scheduler's check and the rotation need, every minute and after every backup).
    fn listed(&self) -> Result<Vec<BackupInfo>> {
        let dir = self.backups_folder();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir)(e)),
        };
        let mut list: Vec<BackupInfo> = entries
            .flatten()
            .filter_map(|e| info(&e.path(), e.file_name().to_str()?))
            .collect();
        let seq = |b: &BackupInfo| parse_name(&b.file_name).map_or(0, |(_, _, seq)| seq);
        list.sort_by(|a, b| {
            (b.taken_at, seq(b), &b.file_name).cmp(&(a.taken_at, seq(a), &a.file_name))
        });
        Ok(list)
    }

    /// Takes a backup now, then lets go of those the rotation no longer keeps.
    pub fn back_up(&self, reason: BackupReason, now: DateTime<Utc>) -> Result<BackupInfo> {
        let taken = self.read(|conn| take(conn, &self.path, reason, Some(now)))?;
        self.prune_backups(now, &taken.file_name)?;
        Ok(taken)
    }

    /// Takes the day's backup if none was taken today (in the user's zone) and the network
    /// has anyone in it. Returns it, if one was taken.
    pub fn back_up_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
        let tz = settings::user_zone(&self.conn)?;
        let today = now.with_timezone(&tz).date_naive();
        // A backup named in the future (a clock that ran ahead) was not taken today.
        let done = self
            .listed()?
            .iter()
            .any(|b| b.taken_at <= now && b.taken_at.with_timezone(&tz).date_naive() == today);
        if done || !super::contacts::anyone(&self.conn)? {
            return Ok(None);
        }
        self.back_up(BackupReason::Daily, now).map(Some)
    }

    /// Writes a checked backup of the network to `target` (any file name in a folder that is
    /// there; replaced whole, readable by the user alone). The folder is left as it is.
    pub fn back_up_to(&self, target: &Path) -> Result<()> {
        let real = files::resolve(target)?;
        let dir = real
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = self.read(|conn| write_copy(conn, dir))?;
        tmp.persist(&real).map_err(|e| Error::io(target)(e.error))?;
        Ok(())
    }

    /// Lets go of the backups the rotation no longer keeps as of `now`; `just_taken` always
    /// stays (the backup a command has just named to the user).
    pub(super) fn prune_backups(&self, now: DateTime<Utc>, just_taken: &str) -> Result<()> {
        let mut list = self.listed()?;
        // Named in the future counts as now; among those, the one just taken is the newest.
        list.sort_by_key(|b| {
            (
                std::cmp::Reverse(b.taken_at.min(now)),
                b.file_name != just_taken,
            )
        });
        let tz = settings::user_zone(&self.conn)?;
        let taken: Vec<DateTime<Utc>> = list.iter().map(|b| b.taken_at).collect();
        let dir = self.backups_folder();
        for (b, keep) in list.iter().zip(to_keep(&taken, now, tz)) {
            if !keep
                && b.file_name != just_taken
                && !crate::backup::always_kept(b.reason, b.taken_at, now)
            {
                let path = dir.join(&b.file_name);
                fs::remove_file(&path).map_err(Error::io(&path))?;
            }
        }
        Ok(())
    }

    /// The backup called `file_name` in the backups folder (a name from [`Store::backups`],
    /// never a path).
    pub fn backup_path(&self, file_name: &str) -> Result<PathBuf> {
        let known = self.listed()?.iter().any(|b| b.file_name == file_name);
        if !known {
            return Err(Error::invalid(
                "backup",
                format!("There is no backup called “{file_name}”."),
            ));
        }
        Ok(self.backups_folder().join(file_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContactInput;
    use crate::store::tests::temp_store;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn add(store: &mut Store, name: &str) {
        store
            .add_contact(
                ContactInput {
                    display_name: name.into(),
                    ..Default::default()
                },
                at("2026-11-01T10:00:00Z"),
            )
            .unwrap();
    }

    #[test]
    fn a_backup_is_a_checked_self_contained_copy_and_is_listed() {
        let (dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        add(&mut store, "Jonas Berg");
        let b = store
            .back_up(BackupReason::Manual, at("2026-12-01T09:00:00Z"))
            .unwrap();
        assert_eq!(b.contacts, Some(2));
        assert_eq!(b.reason, BackupReason::Manual);
        let path = dir.path().join("backups").join(&b.file_name);
        let copy = Connection::open(&path).unwrap();
        let mode: String = copy
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        assert_eq!(store.backups().unwrap(), vec![b]);
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("backups")), 0o700);
    }

    #[test]
    fn the_days_backup_is_taken_once_and_not_for_an_empty_network() {
        let (_dir, mut store) = temp_store();
        assert_eq!(
            store.back_up_if_due(at("2026-12-01T08:00:00Z")).unwrap(),
            None
        );
        add(&mut store, "Priya Raman");
        assert!(store
            .back_up_if_due(at("2026-12-01T08:00:00Z"))
            .unwrap()
            .is_some());
        assert_eq!(
            store.back_up_if_due(at("2026-12-01T22:00:00Z")).unwrap(),
            None
        );
        assert!(store
            .back_up_if_due(at("2026-12-02T08:00:00Z"))
            .unwrap()
            .is_some());
        assert_eq!(store.backups().unwrap().len(), 2);
    }

    #[test]
    fn a_restore_brings_the_backup_back_and_keeps_what_was_there() {
        let (_dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        let b = store
            .back_up(BackupReason::Manual, at("2026-12-01T09:00:00Z"))
            .unwrap();
        add(&mut store, "Jonas Berg");
        add(&mut store, "Ana Lima");
        // Another process has the database open all along.
        let other = Store::open(store.path()).unwrap();
        let report = store
            .restore(
                &store.backup_path(&b.file_name).unwrap(),
                at("2026-12-01T10:00:00Z"),
            )
            .unwrap();
        assert_eq!(report.contacts, 1);
        assert_eq!(report.saved_as.contacts, Some(3));
        assert_eq!(report.saved_as.reason, BackupReason::BeforeRestore);
        assert_eq!(store.all_contacts().unwrap().len(), 1);
        assert_eq!(other.all_contacts().unwrap().len(), 1);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        // Writing goes on as before.
        add(&mut store, "Li Wei");
        assert_eq!(other.all_contacts().unwrap().len(), 2);
    }

    #[test]
    fn a_backup_of_an_older_schema_is_restored_and_brought_up_to_date() {
        let (dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        let old = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&old).unwrap();
            crate::store::MIGRATIONS.to_version(&mut conn, 5).unwrap();
            conn.execute_batch(
                "INSERT INTO contacts (id, display_name, created_at, updated_at)
                 VALUES (1, 'José Álvarez', 1700000000, 1700000000),
                        (2, 'Bob Stone', 1700000000, 1700000000);",
            )
            .unwrap();
        }
        let report = store.restore(&old, at("2026-12-01T10:00:00Z")).unwrap();
        assert_eq!((report.contacts, report.from_schema), (2, 5));
        assert_eq!(
            store.schema_version().unwrap(),
            Store::latest_schema_version()
        );
        assert_eq!(store.get_contact(1).unwrap().display_name, "José Álvarez");
        // The file given is left as it was.
        let conn = Connection::open(&old).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), 5);
    }

    #[test]
    fn a_backup_just_taken_is_never_pruned_whatever_the_names_in_the_future() {
        let (dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        let first = store
            .back_up(BackupReason::Manual, at("2026-12-01T09:00:00Z"))
            .unwrap();
        let folder = dir.path().join("backups");
        // A folder copied from a machine whose clock ran a year ahead.
        for h in 0..10 {
            fs::copy(
                folder.join(&first.file_name),
                folder.join(format!("kith-202712{:02}T090000Z-daily.db", h + 1)),
            )
            .unwrap();
        }
        for day in 2..5 {
            let now = at(&format!("2026-12-0{day}T09:00:00Z"));
            // The day's own backup is still taken: a future one was not taken today.
            let daily = store
                .back_up_if_due(now)
                .unwrap()
                .expect("the day's backup");
            assert!(folder.join(&daily.file_name).is_file());
            let taken = store
                .back_up(BackupReason::Manual, now + chrono::Duration::hours(1))
                .unwrap();
            assert!(
                folder.join(&taken.file_name).is_file(),
                "{}",
                taken.file_name
            );
            let report = store
                .restore(
                    &folder.join(&first.file_name),
                    now + chrono::Duration::hours(2),
                )
                .unwrap();
            assert!(folder.join(&report.saved_as.file_name).is_file());
        }
    }

    #[test]
    fn a_backup_written_elsewhere_leaves_that_folder_as_it_was() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o755)).unwrap();
        let target = shared.join("copy.db");
        store.back_up_to(&target).unwrap();
        assert_eq!(contacts_in(&target).unwrap(), 1);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&shared), 0o755);
        assert_eq!(mode(&target), 0o600);
        // Into a folder that is not there: an error naming it, nothing made.
        let err = store
            .back_up_to(&dir.path().join("nowhere").join("copy.db"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nowhere"), "{err}");
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn two_backups_in_the_same_second_get_two_names() {
        let (dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        let now = at("2026-12-01T09:00:00Z");
        let a = store.back_up(BackupReason::Manual, now).unwrap();
        add(&mut store, "Jonas Berg");
        let b = store.back_up(BackupReason::Manual, now).unwrap();
        assert_ne!(a.file_name, b.file_name);
        let folder = dir.path().join("backups");
        assert_eq!(contacts_in(&folder.join(&a.file_name)).unwrap(), 1);
        assert_eq!(contacts_in(&folder.join(&b.file_name)).unwrap(), 2);
        // Newest first, the second before the first.
        let listed: Vec<String> = store
            .backups()
            .unwrap()
            .into_iter()
            .map(|b| b.file_name)
            .collect();
        assert_eq!(listed, [b.file_name.clone(), a.file_name.clone()]);
        // Two restores in the same second keep both networks they replaced.
        let r1 = store.restore(&folder.join(&a.file_name), now).unwrap();
        let r2 = store.restore(&folder.join(&b.file_name), now).unwrap();
        assert_ne!(r1.saved_as.file_name, r2.saved_as.file_name);
        assert_eq!(
            contacts_in(&folder.join(&r1.saved_as.file_name)).unwrap(),
            2
        );
        assert_eq!(
            contacts_in(&folder.join(&r2.saved_as.file_name)).unwrap(),
            1
        );
    }

    #[test]
    fn a_fifo_or_a_folder_named_like_a_backup_is_never_opened_or_removed() {
        let (dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        let folder = dir.path().join("backups");
        fs::create_dir_all(&folder).unwrap();
        let now = at("2026-12-01T09:00:00Z");
        let fifo = folder.join("kith-20261130T090000Z-daily.db");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        fs::create_dir(folder.join("kith-20261201T090000Z-manual.db")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let path = store.path().to_path_buf();
        std::thread::spawn(move || {
            let store = Store::open(&path).unwrap();
            let listed = store.backups().map(|l| l.len());
            let taken = store
                .back_up(BackupReason::Manual, now)
                .map(|b| b.file_name);
            let _ = tx.send((listed, taken));
        });
        let (listed, taken) = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("listing the backups hung on a FIFO");
        assert_eq!(listed.unwrap(), 0);
        let taken = taken.unwrap();
        assert_eq!(taken, "kith-20261201T090000Z-2-manual.db");
        assert!(fifo.exists() && folder.join("kith-20261201T090000Z-manual.db").is_dir());
        // An import still takes its backup.
        store.back_up(BackupReason::BeforeImport, now).unwrap();
        assert_eq!(store.backups().unwrap().len(), 2);
    }

    #[test]
    fn what_cannot_be_restored_is_refused_and_the_network_stays() {
        let (dir, mut store) = temp_store();
        add(&mut store, "Priya Raman");
        let junk = dir.path().join("junk.db");
        fs::write(
            &junk,
            "this is not a database, only text long enough to look like one",
        )
        .unwrap();
        let newer = dir.path().join("newer.db");
        Connection::open(&newer)
            .unwrap()
            .execute_batch("CREATE TABLE contacts (id INTEGER); PRAGMA user_version = 999;")
            .unwrap();
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE notes (id INTEGER); PRAGMA user_version = 3;")
            .unwrap();
        for (file, says) in [
            (junk, "not a Kith database"),
            (newer, "newer version of Kith"),
            (other, "not a database as Kith makes them"),
            (dir.path().to_path_buf(), "not a regular file"),
        ] {
            let err = store
                .restore(&file, at("2026-12-01T10:00:00Z"))
                .unwrap_err();
            assert!(err.to_string().contains(says), "{file:?}: {err}");
        }
        assert_eq!(store.all_contacts().unwrap().len(), 1);
        assert!(store.backups().unwrap().is_empty());
    }
}
