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
use crate::backup::{file_name, parse_name, to_keep};
pub use crate::backup::{BackupInfo, BackupReason, RestoreReport};
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
fn copy_pages(from: &Connection, to: &mut Connection) -> Result<()> {
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
fn integrity(conn: &Connection) -> Result<()> {
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "the copy failed its integrity check: {verdict}"
        )))
    }
}

/// Writes a checked copy of what `conn` reads to `target`: into a private partial file
/// beside it first, so a failed or killed backup never leaves a file that looks whole.
fn write_copy(conn: &Connection, target: &Path) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    files::private_dir(dir)?;
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
    tmp.as_file().sync_all().map_err(Error::io(target))?;
    tmp.persist(target)
        .map_err(|e| Error::io(target)(e.error))?;
    Ok(())
}

/// Takes a backup of what `conn` reads (the database at `db_path`) into its backups folder.
pub(crate) fn take(
    conn: &Connection,
    db_path: &Path,
    reason: BackupReason,
    now: Option<DateTime<Utc>>,
) -> Result<BackupInfo> {
    let name = file_name(reason, now, schema_version(conn)?);
    let target = folder(db_path).join(&name);
    write_copy(conn, &target)?;
    let mut taken = info(&target, &name).ok_or_else(|| {
        Error::io(&target)(std::io::Error::other(
            "the backup was written but cannot be read back",
        ))
    })?;
    taken.contacts = Some(active_contacts(conn)?);
    Ok(taken)
}

/// What a backup's name and file say of it, `None` if it is not a Kith backup (its
/// contacts are not counted: that opens the file).
fn info(path: &Path, name: &str) -> Option<BackupInfo> {
    let (reason, at) = parse_name(name)?;
    let meta = fs::metadata(path).ok()?;
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
fn active_contacts(conn: &Connection) -> Result<u32> {
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
        list.sort_by(|a, b| {
            b.taken_at
                .cmp(&a.taken_at)
                .then(b.file_name.cmp(&a.file_name))
        });
        Ok(list)
    }

    /// Takes a backup now, then lets go of those the rotation no longer keeps.
    pub fn back_up(&self, reason: BackupReason, now: DateTime<Utc>) -> Result<BackupInfo> {
        let taken = self.read(|conn| take(conn, &self.path, reason, Some(now)))?;
        self.prune_backups()?;
        Ok(taken)
    }

    /// Takes the day's backup if none was taken today (in the user's zone) and the network
    /// has anyone in it. Returns it, if one was taken.
    pub fn back_up_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
        let tz = settings::user_zone(&self.conn)?;
        let today = now.with_timezone(&tz).date_naive();
        let done = self
            .listed()?
            .iter()
            .any(|b| b.taken_at.with_timezone(&tz).date_naive() == today);
        if done || !super::contacts::anyone(&self.conn)? {
            return Ok(None);
        }
        self.back_up(BackupReason::Daily, now).map(Some)
    }

    /// Writes a checked backup of the network to `target` (any file name; replaced whole).
    pub fn back_up_to(&self, target: &Path) -> Result<()> {
        self.read(|conn| write_copy(conn, target))
    }

    fn prune_backups(&self) -> Result<()> {
        let list = self.listed()?;
        let tz = settings::user_zone(&self.conn)?;
        let taken: Vec<DateTime<Utc>> = list.iter().map(|b| b.taken_at).collect();
        let dir = self.backups_folder();
        for (b, keep) in list.iter().zip(to_keep(&taken, tz)) {
            if !keep {
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

    /// Replaces the network with the Kith database at `file` (a backup, or any `kith.db`):
    /// it is checked first and brought up to this Kith's schema on a copy; the network as it
    /// is now is kept as a backup; then the restored one takes its place in one step. On
    /// any error the network is as it was.
    pub fn restore(&mut self, file: &Path, now: DateTime<Utc>) -> Result<RestoreReport> {
        let unusable = |why: String| {
            Error::parse(
                None,
                format!("{} cannot be restored: {why}", file.display()),
            )
        };
        let meta = fs::metadata(file).map_err(Error::io(file))?;
        if !meta.is_file() {
            return Err(unusable("it is not a regular file".into()));
        }
        let source = Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| unusable(e.to_string()))?;
        let from_schema = schema_version(&source).map_err(|_| {
            unusable("it is not a Kith database (a JSON backup is restored with `kith import` into an empty folder)".into())
        })?;
        integrity(&source).map_err(|e| unusable(e.to_string()))?;
        let ours: bool = source
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'contacts'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| unusable(e.to_string()))?;
        if from_schema == 0 || !ours {
            return Err(unusable("it is not a Kith database".into()));
        }
        if from_schema > Store::latest_schema_version() {
            return Err(unusable(format!(
                "a newer version of Kith wrote it (schema {from_schema}, this one knows {}); update Kith first",
                Store::latest_schema_version()
            )));
        }
        // Brought up to date on a private copy, never on the file given.
        let dir = self.backups_folder();
        files::private_dir(&dir)?;
        let work = tempfile::Builder::new()
            .prefix(&files::partial_prefix("kith-restore"))
            .tempdir_in(&dir)
            .map_err(Error::io(&dir))?;
        let copy_path = work.path().join(crate::paths::DATABASE_FILE);
        {
            let mut copy = Connection::open(&copy_path)?;
            copy_pages(&source, &mut copy)?;
        }
        drop(source);
        let copy = Store::open_with(&copy_path, false)?;
        let contacts = active_contacts(&copy.conn)?;
        let saved_as = self.back_up(BackupReason::BeforeRestore, now)?;
        copy_pages(&copy.conn, &mut self.conn)?;
        self.conn.flush_prepared_statement_cache();
        integrity(&self.conn)?;
        Ok(RestoreReport {
            contacts,
            from_schema: from_schema as u32,
            saved_as,
        })
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
            (other, "not a Kith database"),
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
