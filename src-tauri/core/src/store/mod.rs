//! The SQLite store: one `Store` owns one connection to `kith.db`. It opens the file with
//! the pragmas Kith relies on (WAL, foreign keys, a busy timeout), brings the schema up to
//! date with the numbered migrations in `migrations/`, and runs every user action as one
//! IMMEDIATE transaction. Queries live beside it, one file per table family. It never
//! decides what "now" is: callers pass it in.

mod backups;
mod bulk;
mod cadence;
mod changes;
mod codec;
mod contacts;
mod events;
mod exports;
mod first_steps;
mod follow_ups;
mod goals;
mod imports;
mod interactions;
mod json_backup;
#[cfg(test)]
pub(crate) mod lock_waits;
mod merges;
pub(crate) mod occurrences;
mod pictures;
mod read_only;
pub(crate) mod reminders;
mod restore;
mod search;
mod settings;
mod sync;
mod today;

pub use backups::BACKUPS_DIR;
pub use bulk::{BulkEdit, BulkPrevious, BulkReport, BulkUndoReport, MAX_BULK_PEOPLE};
pub use cadence::MAX_CADENCE_RULES;
pub use changes::{Area, Fingerprint};
pub use first_steps::{KeepUpChoices, KeepUpGroup, FEW_KEPT};
pub use json_backup::{BACKUP_FORMAT, BACKUP_VERSION};
pub use settings::use_system_zone;

use std::path::{Path, PathBuf};
#[cfg(test)]
use std::sync::LazyLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
#[cfg(test)]
use rusqlite_migration::{Migrations, M};

use crate::paths::DATABASE_FILE;
use crate::{Error, Result};

/// Every schema change, in order; schema version N is the first N applied. Never edit a
/// released entry: add a new file.
const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_contacts.sql"),
    include_str!("migrations/0002_network.sql"),
    include_str!("migrations/0003_goals.sql"),
    include_str!("migrations/0004_today.sql"),
    include_str!("migrations/0005_touch_index.sql"),
    include_str!("migrations/0006_events.sql"),
    include_str!("migrations/0007_reminders.sql"),
    include_str!("migrations/0008_imports.sql"),
    include_str!("migrations/0009_cadence_rules.sql"),
    include_str!("migrations/0010_typed_values.sql"),
    include_str!("migrations/0011_sync.sql"),
    include_str!("migrations/0012_sync_tasks.sql"),
    include_str!("migrations/0013_merges.sql"),
    include_str!("migrations/0014_search_prefixes.sql"),
    include_str!("migrations/0015_sync_names.sql"),
    include_str!("migrations/0016_sync_task_names.sql"),
];

/// A schema step that only Rust can finish: derived columns computed after the SQL, in the
/// same transaction.
type MigrationHook = fn(&Transaction<'_>) -> Result<()>;

/// Migrations whose SQL is followed, in the same transaction, by derived columns that only
/// Rust can compute: by schema version (1-based).
fn migration_hook(version: usize) -> Option<MigrationHook> {
    match version {
        // Due dates now start at the user's midnight, and tag rules join the cadences.
        9 => Some(|tx| {
            let rules = cadence::due_rules(tx)?;
            cadence::refresh_due(tx, &rules, cadence::Scope::All).map(drop)
        }),
        // Reminders' RRULE text becomes a typed `Repeat`.
        10 => Some(reminders::type_stored_rules),
        // The search index, made again with four-letter prefixes, is filled again.
        14 => Some(|tx| {
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM contacts WHERE archived_at IS NULL")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            contacts::reindex_many(tx, &ids)
        }),
        _ => None,
    }
}

/// The migrations as rusqlite_migration describes them, for its `validate()` in tests (and
/// for building databases of an earlier schema there). Kith runs them with
/// [`Store::migrate`], which takes the write lock before it reads the version.
#[cfg(test)]
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(
        MIGRATION_SQL
            .iter()
            .enumerate()
            .map(|(i, sql)| match migration_hook(i + 1) {
                Some(hook) => M::up_with_hook(sql, move |tx: &Transaction<'_>| {
                    hook(tx).map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))
                }),
                None => M::up(sql),
            })
            .map(M::foreign_key_check)
            .collect(),
    )
});

/// How long a writer waits for another process (the CLI, the scheduler) to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How many prepared statements each connection keeps.
const STATEMENT_CACHE: usize = 128;
/// How much of the database file reads may map into memory (256 MiB).
const MMAP_SIZE: i64 = 256 * 1024 * 1024;

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) `kith.db` inside `data_dir`, creating the directory too
    /// (readable by the user alone).
    pub fn open_in(data_dir: &Path) -> Result<Store> {
        crate::files::private_dir(data_dir)?;
        Store::open(&data_dir.join(DATABASE_FILE))
    }

    /// Opens (creating if needed) the database file at `path` and migrates it, keeping a
    /// backup of an older schema first.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, true)
    }

    fn open_with(path: &Path, back_up_before_migrating: bool) -> Result<Store> {
        create_private_file(path)?;
        // Before SQLite opens them: a read-only one would fail every write.
        for suffix in ["-wal", "-shm"] {
            crate::files::make_private_and_writable(&wal_file(path, suffix))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // SQLite opens a file it may not write read-only, without a word: say it here.
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(Error::io(path)(std::io::Error::new(
                std::io::ErrorKind::ReadOnlyFilesystem,
                "Kith may only read this database (the file or its disk is read-only): give \
                 yourself write access to it",
            )));
        }
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.conn.busy_timeout(BUSY_TIMEOUT)?;
        #[cfg(test)]
        lock_waits::install(&store.conn)?;
        // Before anything is changed, even the journal mode.
        refuse_newer(path, store.schema_version()?)?;
        store.configure()?;
        for file in [
            path.to_path_buf(),
            wal_file(path, "-wal"),
            wal_file(path, "-shm"),
        ] {
            crate::files::make_private(&file)?;
        }
        store.migrate(back_up_before_migrating)?;
        Ok(store)
    }

    /// Where the database file lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version the database is at (the number of migrations applied).
    pub fn schema_version(&self) -> Result<usize> {
        schema_version(&self.conn)
    }

    /// The schema version this build of Kith writes.
    pub fn latest_schema_version() -> usize {
        MIGRATION_SQL.len()
    }

    fn configure(&mut self) -> Result<()> {
        // A user action runs a few dozen distinct statements (saving a contact alone runs
        // ~20); the default cache of 16 would prepare them all again on every row of an
        // import.
        self.conn
            .set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // WAL lets the app, the scheduler and the CLI read while one of them writes. Several
        // processes opening a new database at once all ask for it; SQLite answers "busy"
        // at once, without waiting, to all but one, so they wait here for it to be done.
        let mode: String = while_busy(|| {
            match self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy =>
                {
                    Ok(None)
                }
                mode => mode.map(Some),
            }
        })?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Conflict(format!(
                "{} cannot use write-ahead logging (journal mode is {mode})",
                self.path.display()
            )));
        }
        // NORMAL is durable in WAL mode except for the last commits on power loss.
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Reads come straight from the OS page cache instead of through copies into a small
        // private cache: a large network stays fast, and only pages read count as memory
        // (shared with the page cache, not the process's own).
        self.conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        Ok(())
    }

    /// Brings the schema up to date. Several processes may open an older database at once
    /// (the app and the command line, or the app started at login and again by hand): the
    /// version is read again under the write lock, so exactly one of them migrates and the
    /// others find it done. A database that had a network gets a backup first.
    fn migrate(&mut self, back_up_first: bool) -> Result<()> {
        let latest = Store::latest_schema_version();
        if self.schema_version()? == latest {
            return Ok(());
        }
        // Off while migrating, so a table can be rebuilt (SQLite's way to change a
        // constraint) without cascading; each step checks the keys before it ends.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let migrated = (|| {
            let path = &self.path;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let from = schema_version(&tx)?;
            refuse_newer(path, from)?;
            if from == latest {
                return Ok(());
            }
            if from > 0 && back_up_first {
                // Through a reader of its own: the lock holder itself cannot be a backup's
                // source, and readers still see the database as it is before the change.
                let reader = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                backups::take(
                    &reader,
                    path,
                    crate::backup::BackupReason::BeforeMigration,
                    None,
                )?;
            }
            apply_migrations(&tx, from, latest)?;
            tx.pragma_update(None, "user_version", latest as i64)?;
            tx.commit()?;
            Ok(())
        })();
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        migrated
    }

    /// Runs `action` as one IMMEDIATE transaction: all of it is stored, or none of it.
    fn write<T>(&mut self, action: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = action(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `action` in one read transaction: everything it reads is one state of the
    /// database, whatever other processes write meanwhile.
    fn read<T>(&self, action: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let value = action(&tx)?;
        tx.finish()?;
        Ok(value)
    }
}

/// Applies the schema steps after version `from` up to version `to` (each step's SQL, then
/// its hook), checking after each that every row's keys still point at rows that are there.
fn apply_migrations(tx: &Transaction<'_>, from: usize, to: usize) -> Result<()> {
    for (i, sql) in MIGRATION_SQL.iter().enumerate().take(to).skip(from) {
        let version = i + 1;
        let step = |e: Error| Error::Migration {
            version,
            reason: e.to_string(),
        };
        tx.execute_batch(sql).map_err(|e| step(e.into()))?;
        if let Some(hook) = migration_hook(version) {
            hook(tx).map_err(step)?;
        }
        check_foreign_keys(tx).map_err(step)?;
    }
    Ok(())
}

/// Fails, in words, when a row of the main database points at a row that is not there.
fn check_foreign_keys(conn: &Connection) -> Result<()> {
    let broken: Option<(String, String)> = conn
        .query_row(
            "SELECT \"table\", parent FROM pragma_foreign_key_check LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match broken {
        None => Ok(()),
        Some((table, parent)) => Err(Error::parse(
            None,
            format!(
                "the data does not hold together: a row of “{table}” points at a row of \
                 “{parent}” that is not in it"
            ),
        )),
    }
}

/// Runs `attempt` again while it answers `None` (SQLite said "busy" without waiting, as it
/// does for a journal-mode switch or a backup step), for up to the busy timeout.
fn while_busy<T>(mut attempt: impl FnMut() -> rusqlite::Result<Option<T>>) -> Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        if let Some(done) = attempt()? {
            return Ok(done);
        }
        if std::time::Instant::now() >= deadline {
            return Err(Error::Conflict(
                "the database stayed busy; try again in a moment".into(),
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Refuses a database a newer Kith wrote: this one would not know what its tables mean.
fn refuse_newer(path: &Path, version: usize) -> Result<()> {
    let latest = Store::latest_schema_version();
    if version > latest {
        return Err(Error::Conflict(format!(
            "{} was written by a newer version of Kith (schema {version}, this one knows {latest}); \
             update Kith to open it",
            path.display()
        )));
    }
    Ok(())
}

fn schema_version(conn: &Connection) -> Result<usize> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize)
}

/// `kith.db-wal` beside `kith.db`.
fn wal_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates an empty database file readable by the user alone, unless one is there: SQLite
/// gives its WAL files the database file's mode.
fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(path)(e)),
    }
}

/// `value` as JSON, kept so that an undo can put `what` back.
fn undo_json<T: serde::Serialize>(what: &str, value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::Internal(format!("cannot keep {what} for undo: {e}")))
}

/// What [`undo_json`] kept of `what`, read back.
fn undo_value<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("{what} cannot be read: {e}")))
}

/// Instants are stored as unix seconds.
fn to_db_time(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn from_db_time(secs: i64) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(0, secs))
}

#[cfg(test)]
pub(crate) mod tests;
