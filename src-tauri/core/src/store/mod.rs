//! The SQLite store: one `Store` owns one connection to `kith.db`. It opens the file with
//! the pragmas Kith relies on (WAL, foreign keys, a busy timeout), brings the schema up to
//! date with the numbered migrations in `migrations/`, and runs every user action as one
//! IMMEDIATE transaction. Queries live beside it, one file per table family. It never
//! decides what "now" is: callers pass it in.

mod backups;
mod cadence;
mod codec;
mod contacts;
mod events;
mod exports;
mod follow_ups;
mod goals;
mod imports;
mod interactions;
mod json_backup;
mod occurrences;
mod reminders;
mod search;
mod settings;
mod today;

pub use backups::{BackupInfo, BackupReason, RestoreReport, BACKUPS_DIR};
pub use cadence::MAX_CADENCE_RULES;
pub use imports::{
    Choice, Conflict, ContactField, CsvColumns, EntryStatus, ImportCounts, ImportOptions,
    ImportPlan, ImportPreview, ImportReport, ImportSource, ImportSummary, MatchedBy, PlanEntry,
};
pub use json_backup::{BACKUP_FORMAT, BACKUP_VERSION};
pub use reminders::{
    DeliveryChannel, Occurrence, OccurrenceAction, OccurrenceState, Reminder, ReminderInput,
};
pub use search::{fts_query, ContactQuery, DueFilter, RANKED_CANDIDATES};
pub use settings::{
    CircleCadences, Day, Preferences, WeekStart, DEFAULT_DAILY_BUDGET, MAX_DAILY_BUDGET,
};

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
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.conn.busy_timeout(BUSY_TIMEOUT)?;
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
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        let mode: String = loop {
            match self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                mode => break mode?,
            }
        };
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
                backups::take(&reader, path, backups::BackupReason::BeforeMigration, None)?;
            }
            for (i, sql) in MIGRATION_SQL.iter().enumerate().skip(from) {
                let version = i + 1;
                let step = |e: Error| Error::Migration {
                    version,
                    reason: e.to_string(),
                };
                tx.execute_batch(sql).map_err(|e| step(e.into()))?;
                if let Some(hook) = migration_hook(version) {
                    hook(&tx).map_err(step)?;
                }
                let broken: Option<String> = tx
                    .query_row("SELECT \"table\" FROM pragma_foreign_key_check", [], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if let Some(table) = broken {
                    return Err(step(Error::Conflict(format!(
                        "a row of {table} points at a row that is not there"
                    ))));
                }
            }
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
        Err(source) => Err(Error::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
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
pub(crate) mod tests {
    use super::*;

    pub(crate) fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn a_new_database_is_migrated_to_the_latest_schema() {
        let (dir, store) = temp_store();
        assert!(dir.path().join("kith.db").is_file());
        assert_eq!(
            store.schema_version().unwrap(),
            Store::latest_schema_version()
        );
        let tables: Vec<String> = store
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for table in [
            "contacts",
            "contact_emails",
            "contact_phones",
            "contact_links",
            "tags",
            "contact_tags",
            "interactions",
            "interaction_contacts",
            "follow_ups",
            "settings",
            "contact_search",
            "goals",
        ] {
            assert!(
                tables.iter().any(|t| t == table),
                "no table {table}: {tables:?}"
            );
        }
    }

    #[test]
    fn pragmas_are_set_on_open() {
        let (_dir, store) = temp_store();
        let get = |name: &str| -> String {
            store
                .conn
                .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
                .map(|v| match v {
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(get("journal_mode"), "wal");
        assert_eq!(get("foreign_keys"), "1");
        assert_eq!(get("synchronous"), "1"); // NORMAL
        assert_eq!(get("busy_timeout"), "5000");
    }

    #[test]
    fn every_earlier_version_migrates_to_the_latest() {
        for from in 0..Store::latest_schema_version() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("kith.db");
            {
                let mut conn = Connection::open(&path).unwrap();
                MIGRATIONS.to_version(&mut conn, from).unwrap();
            }
            let store = Store::open(&path).unwrap();
            assert_eq!(
                store.schema_version().unwrap(),
                Store::latest_schema_version(),
                "from version {from}"
            );
        }
    }

    #[test]
    fn a_database_from_a_newer_kith_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 999).unwrap();
        }
        let err = Store::open(&path)
            .err()
            .expect("a newer schema must be refused");
        assert!(matches!(err, Error::Conflict(_)), "{err:?}");
        assert!(err.to_string().contains("newer version of Kith"));
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 999);
    }

    #[test]
    fn an_older_database_is_backed_up_before_it_is_migrated_and_a_new_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, 5).unwrap();
            conn.execute(
                "INSERT INTO contacts (id, display_name, created_at, updated_at)
                 VALUES (1, 'Priya', 1700000000, 1700000000)",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let backups = store.backups().unwrap();
        assert_eq!(backups.len(), 1, "{backups:?}");
        assert_eq!(backups[0].file_name, "kith-schema5-before-migration.db");
        assert_eq!(backups[0].contacts, Some(1));
        let copy =
            Connection::open(dir.path().join("backups").join(&backups[0].file_name)).unwrap();
        assert_eq!(schema_version(&copy).unwrap(), 5);
        drop(store);
        // Opened again, it is up to date: no second backup.
        let store = Store::open(&path).unwrap();
        assert_eq!(store.backups().unwrap().len(), 1);
        let (_new, fresh) = temp_store();
        assert!(fresh.backups().unwrap().is_empty());
    }

    #[test]
    fn two_connections_opening_an_older_database_at_once_migrate_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, 7).unwrap();
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        }
        // A third connection holds the write lock while both open the database.
        let mut holder = Connection::open(&path).unwrap();
        let lock = holder
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        let opens: Vec<_> = (0..2)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || Store::open(&path).map(|s| s.schema_version()))
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(300));
        lock.commit().unwrap();
        for open in opens {
            let version = open.join().unwrap().unwrap().unwrap();
            assert_eq!(version, Store::latest_schema_version());
        }
    }

    #[test]
    fn a_newer_database_in_rollback_journal_mode_is_not_switched_to_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE contacts (id INTEGER); PRAGMA user_version = 999;")
                .unwrap();
        }
        assert!(Store::open(&path).is_err());
        let conn = Connection::open(&path).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        assert!(!dir.path().join("kith.db-wal").exists());
    }

    #[test]
    fn the_database_and_its_folder_are_the_users_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new/kith");
        let store = Store::open_in(&data).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        for f in ["kith.db", "kith.db-wal", "kith.db-shm"] {
            assert_eq!(mode(&data.join(f)), 0o600, "{f}");
        }
        drop(store);
        // One made before Kith cared is tightened when opened.
        std::fs::set_permissions(data.join("kith.db"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        Store::open_in(&data).unwrap();
        assert_eq!(mode(&data.join("kith.db")), 0o600);
    }

    #[test]
    fn a_file_that_is_not_a_database_gives_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        std::fs::write(
            &path,
            b"this is not a database, just some text that is long enough",
        )
        .unwrap();
        let err = Store::open(&path).err().expect("junk must be refused");
        assert_eq!(err.kind(), crate::ErrorKind::Storage);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"this is not a database, just some text that is long enough"
        );
    }

    #[test]
    fn contacts_from_the_first_schema_keep_everything_and_become_searchable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, 1).unwrap();
            conn.execute_batch(
                "INSERT INTO contacts (id, display_name, company, role, notes, created_at, updated_at)
                 VALUES (1, 'José Álvarez', 'Acme', 'CTO', 'Loves chess', 1700000000, 1700000500);
                 INSERT INTO contact_emails VALUES (1, 0, 'work', 'jose@acme.example');
                 INSERT INTO contact_phones VALUES (1, 0, 'mobile', '+34 600 000 000');
                 INSERT INTO contacts (id, display_name, created_at, updated_at, archived_at)
                 VALUES (2, 'Gone Person', 1700000000, 1700000000, 1700000100);",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let jose = store.get_contact(1).unwrap();
        assert_eq!(jose.display_name, "José Álvarez");
        assert_eq!(jose.company.as_deref(), Some("Acme"));
        assert_eq!(jose.notes.as_deref(), Some("Loves chess"));
        assert_eq!(jose.emails[0].value, "jose@acme.example");
        assert_eq!(jose.phones[0].value, "+34 600 000 000");
        assert_eq!(jose.updated_at.timestamp(), 1_700_000_500);
        assert_eq!(jose.circle, crate::model::Circle::Network);
        assert_eq!(
            // Due from the midnight (UTC until a zone is set) 90 days after he was added.
            jose.next_due_at.map(|t| t.timestamp()),
            Some((1_700_000_000 / 86_400 + 90) * 86_400)
        );
        assert!(store.get_contact(2).unwrap().archived_at.is_some());
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let found = |text: &str| {
            store
                .search_contacts(
                    &crate::store::ContactQuery {
                        text: text.into(),
                        ..Default::default()
                    },
                    now,
                )
                .unwrap()
                .len()
        };
        assert_eq!(found("jose"), 1);
        assert_eq!(found("chess"), 1);
        assert_eq!(found("gone"), 0);
    }

    #[test]
    fn touch_counts_and_interaction_times_are_derived_for_existing_histories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, 4).unwrap();
            conn.execute_batch(
                "INSERT INTO contacts (id, display_name, created_at, updated_at)
                 VALUES (1, 'Priya', 1700000000, 1700000000), (2, 'Bob', 1700000000, 1700000000);
                 INSERT INTO interactions (id, kind, occurred_at, created_at, updated_at)
                 VALUES (10, 'call', 1700100000, 1, 1), (11, 'coffee', 1700200000, 1, 1);
                 INSERT INTO interaction_contacts (interaction_id, contact_id)
                 VALUES (10, 1), (11, 1), (11, 2);",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let derived = |id: i64| -> (u32, Option<i64>) {
            store
                .conn
                .query_row(
                    "SELECT touch_count, first_touch_at FROM contacts WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap()
        };
        assert_eq!(derived(1), (2, Some(1_700_100_000)));
        assert_eq!(derived(2), (1, Some(1_700_200_000)));
        let times: Vec<(i64, i64)> = store
            .conn
            .prepare("SELECT interaction_id, occurred_at FROM interaction_contacts ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            times,
            [
                (10, 1_700_100_000),
                (11, 1_700_200_000),
                (11, 1_700_200_000)
            ]
        );
    }

    #[test]
    fn schema_8_networks_get_calendar_due_dates_and_imported_connections_stop_being_due() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, 8).unwrap();
            // Priya called once; Li only connected on LinkedIn; both as schema 8 kept them.
            conn.execute_batch(
                "INSERT INTO settings (key, value) VALUES ('time_zone', 'Europe/Lisbon');
                 INSERT INTO contacts (id, display_name, circle, created_at, updated_at,
                                       last_touch_at, touch_count, first_touch_at,
                                       next_due_at, overdue_at)
                 VALUES (1, 'Priya', 'close', 1700000000, 1700000000, 1700100000, 1,
                         1700100000, 1702692000, 1703988000),
                        (2, 'Li', 'acquaintance', 1700000000, 1700000000, 1600000000, 1,
                         1600000000, 1615552000, 1623328000);
                 INSERT INTO interactions (id, kind, occurred_at, created_at, updated_at)
                 VALUES (10, 'call', 1700100000, 1, 1), (11, 'connected', 1600000000, 1, 1);
                 INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
                 VALUES (10, 1, 1700100000), (11, 2, 1600000000);",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let priya = store.get_contact(1).unwrap();
        // Called at 02:00 on 16 November 2023 in Lisbon: due from midnight on 16 December.
        assert_eq!(
            priya.next_due_at.map(|t| t.to_rfc3339()),
            Some("2023-12-16T00:00:00+00:00".into())
        );
        assert_eq!(priya.effective_cadence_days, Some(30));
        let li = store.get_contact(2).unwrap();
        assert_eq!((li.next_due_at, li.effective_cadence_days), (None, None));
        let counts: (i64, i64, Option<i64>) = store
            .conn
            .query_row(
                "SELECT touch_count, connection_count, first_touch_at FROM contacts WHERE id = 2",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(counts, (0, 1, None));
    }

    #[test]
    fn rebuilding_interactions_for_imports_keeps_every_link_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "foreign_keys", "ON").unwrap();
            MIGRATIONS.to_version(&mut conn, 7).unwrap();
            conn.execute_batch(
                "INSERT INTO contacts (id, display_name, created_at, updated_at)
                 VALUES (1, 'Priya', 1700000000, 1700000000);
                 INSERT INTO events (id, title, start_date, start_time, repeat, created_at,
                                     updated_at)
                 VALUES (5, 'Rust meetup', '2023-11-18', '19:00', 'never', 1, 1);
                 INSERT INTO interactions (id, kind, occurred_at, notes, event_id, created_at,
                                           updated_at)
                 VALUES (10, 'call', 1700100000, 'book', NULL, 1, 1),
                        (11, 'event', 1700300000, NULL, 5, 1, 1);
                 INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
                 VALUES (10, 1, 1700100000), (11, 1, 1700300000);
                 INSERT INTO follow_ups (id, contact_id, interaction_id, title, created_at,
                                         updated_at)
                 VALUES (3, 1, 10, 'Send the book', 1, 1);",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let one = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(one("SELECT count(*) FROM interaction_contacts"), 2);
        assert_eq!(
            one("SELECT interaction_id FROM follow_ups WHERE id = 3"),
            10
        );
        assert_eq!(one("SELECT event_id FROM interactions WHERE id = 11"), 5);
        assert_eq!(one("PRAGMA foreign_keys"), 1);
        assert!(store
            .conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query([])
            .unwrap()
            .next()
            .unwrap()
            .is_none());
        // The new kind is accepted, an unknown one still refused.
        store
            .conn
            .execute(
                "INSERT INTO interactions (kind, occurred_at, created_at, updated_at)
                 VALUES ('connected', 1, 1, 1)",
                [],
            )
            .unwrap();
        assert!(store
            .conn
            .execute(
                "INSERT INTO interactions (kind, occurred_at, created_at, updated_at)
                 VALUES ('telepathy', 1, 1, 1)",
                [],
            )
            .is_err());
        // Deleting an interaction still cascades to its participants.
        store
            .conn
            .execute("DELETE FROM interactions WHERE id = 10", [])
            .unwrap();
        assert_eq!(one("SELECT count(*) FROM interaction_contacts"), 1);
    }
}
