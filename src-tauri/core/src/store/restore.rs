//! Restoring a network from a file: a Kith database (a backup from the backups folder, or any
//! `kith.db`) or a JSON backup. A file is taken only through Kith's own schema: a database's
//! `sqlite_schema` must be exactly the one Kith makes at its version (no trigger, view, table,
//! column or index of the file's own), and its rows — never its pages — are copied into a
//! fresh database of this Kith's making (UTF-8 whatever the file's text encoding, any page
//! size), brought up to date there, and checked value by value as Kith's own forms and imports
//! check them. Derived columns (touch counts, due dates) are computed again rather than
//! trusted, and the sync account is this installation's, never the file's. Only when all of
//! that succeeded does the live network change: in one write transaction that first keeps a
//! backup of the network as it is, so every write committed by any process is in one of the
//! two.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::json_backup::{columns, quoted, tables};
use super::settings::{self, INSTALLATION_KEYS};
use super::{backups, schema_version, Store};
use crate::backup::{BackupInfo, BackupReason, RestoreReport};
use crate::files;
use crate::paths::DATABASE_FILE;
use crate::{Error, Result};

/// What an instant column (`…_at`, unix seconds) may hold: 0001-01-01 to 9999-12-31.
const EARLIEST: i64 = -62_135_596_800;
const LATEST: i64 = 253_402_300_799;

/// A contact's columns computed from its history and cadence, never taken from a file.
const DERIVED: [&str; 4] = [
    "first_touch_at",
    "last_touch_at",
    "next_due_at",
    "overdue_at",
];

/// At most this many differences from Kith's schema are named in a refusal.
const NAMED_DIFFERENCES: usize = 3;

/// One entry of `sqlite_schema`: type, name, the table it belongs to, and its SQL.
type SchemaEntry = (String, String, String, Option<String>);

/// The entries of `conn`'s schema, SQLite's own (`sqlite_*`) aside, sorted.
fn schema_of(conn: &Connection) -> Result<Vec<SchemaEntry>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema
         WHERE name NOT GLOB 'sqlite_*' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where the schema `found` differs from what Kith makes at the same version (`made`), in
/// words: what it has that Kith never makes, what is not as Kith makes it, what is missing.
fn schema_differences(found: &[SchemaEntry], made: &[SchemaEntry]) -> Vec<String> {
    let named = |list: &[SchemaEntry], e: &SchemaEntry| {
        list.iter()
            .find(|m| m.1 == e.1)
            .map(|m| (m.0 == e.0, m == e))
    };
    let mut differences = Vec::new();
    for e in found {
        match named(made, e) {
            Some((_, true)) => {}
            Some((true, false)) => {
                differences.push(format!("its {} “{}” is not as Kith makes it", e.0, e.1))
            }
            Some((false, false)) => differences.push(format!(
                "“{}” is a {} where Kith makes something else",
                e.1, e.0
            )),
            None => differences.push(format!("it has a {} “{}” Kith never makes", e.0, e.1)),
        }
    }
    for m in made {
        if named(found, m).is_none() {
            differences.push(format!("it has no {} “{}”", m.0, m.1));
        }
    }
    differences
}

/// A refusal of `file`, in words.
fn unusable(file: &Path, why: impl std::fmt::Display) -> Error {
    Error::parse(
        None,
        format!(
            "{} cannot be restored: {why}. Nothing was changed.",
            file.display()
        ),
    )
}

/// Runs `read` on an empty database of schema `version` in text `encoding`, migrated once
/// per process and kept in memory (migrating takes ~10 ms; reading or copying it, well
/// under one).
fn with_empty<T>(
    version: usize,
    encoding: &str,
    read: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    type Empties = std::collections::HashMap<(usize, String), Connection>;
    static EMPTIES: std::sync::Mutex<Option<Empties>> = std::sync::Mutex::new(None);
    let mut empties = EMPTIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let empties = empties.get_or_insert_with(Empties::new);
    let key = (version, encoding.to_owned());
    if !empties.contains_key(&key) {
        let mut empty = Connection::open_in_memory()?;
        empty.pragma_update(None, "encoding", encoding)?;
        let tx = empty.transaction()?;
        super::apply_migrations(&tx, 0, version)?;
        tx.pragma_update(None, "user_version", version as i64)?;
        tx.commit()?;
        empties.insert(key.clone(), empty);
    }
    let empty = empties
        .get(&key)
        .ok_or_else(|| Error::Internal("the empty database to restore into was not made".into()))?;
    read(empty)
}

/// A new, empty database file at `path` at schema `version`, in text `encoding` (the live
/// database's, so that it can be attached to it): a copy of [`with_empty`]'s.
fn new_database(path: &Path, version: usize, encoding: &str) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    // A working copy: thrown away if anything stops it, so never worth waiting on the disk.
    conn.pragma_update(None, "synchronous", "OFF")?;
    with_empty(version, encoding, |empty| {
        backups::copy_pages(empty, &mut conn)
    })?;
    Ok(conn)
}

/// Copies every row of Kith's tables from `source` into `target` (the same schema), by
/// column name: the values only, never anything else of the file. Foreign keys are checked
/// once at the end.
fn copy_rows(source: &Connection, target: &mut Connection) -> Result<()> {
    target.pragma_update(None, "foreign_keys", "OFF")?;
    let tx = target.transaction()?;
    for table in tables(&tx)? {
        let (cols, _) = columns(&tx, &table)?;
        let list = cols
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ");
        let marks = vec!["?"; cols.len()].join(", ");
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {} ({list}) VALUES ({marks})",
            quoted(&table)
        ))?;
        let mut select = source.prepare(&format!("SELECT {list} FROM {}", quoted(&table)))?;
        let mut rows = select.query([])?;
        let mut at = 0;
        while let Some(row) = rows.next()? {
            at += 1;
            let values = (0..cols.len())
                .map(|i| row.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            insert
                .execute(rusqlite::params_from_iter(values))
                .map_err(|e| {
                    Error::parse(
                        None,
                        format!(
                            "row {at} of “{table}” breaks a rule of Kith's: {}",
                            sqlite_words(&e)
                        ),
                    )
                })?;
        }
    }
    super::check_foreign_keys(&tx)?;
    tx.commit()?;
    target.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// SQLite's own message for a failed statement, without its code.
fn sqlite_words(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        other => other.to_string(),
    }
}

/// Checks every value of the restored database `candidate` as Kith's forms and imports
/// check them, after computing its derived columns again (touch counts, due dates, the
/// search index) from its history rather than taking them from the file.
fn check_values(candidate: &mut Store, now: DateTime<Utc>) -> Result<()> {
    let conn = &candidate.conn;
    // Every instant Kith reads back as a date (derived ones are computed again below).
    for table in tables(conn)? {
        let instants: Vec<String> = conn
            .prepare(
                "SELECT name FROM pragma_table_info(?1) WHERE type = 'INTEGER' AND name GLOB '*_at'",
            )?
            .query_map([&table], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let derived = |c: &str| table == "contacts" && DERIVED.contains(&c);
        for col in instants.iter().filter(|c| !derived(c)) {
            let bad: Option<Value> = conn
                .query_row(
                    &format!(
                        "SELECT {c} FROM {t} WHERE {c} IS NOT NULL
                           AND NOT (typeof({c}) = 'integer' AND {c} BETWEEN {EARLIEST} AND {LATEST})
                         LIMIT 1",
                        c = quoted(col),
                        t = quoted(&table)
                    ),
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(bad) = bad {
                return Err(Error::parse(
                    None,
                    format!("“{table}.{col}” holds {bad:?}, which is not a time Kith can read"),
                ));
            }
        }
    }
    settings::check_stored(conn)?;
    // When each touch happened, as its people see it, is the interaction's.
    conn.execute(
        "UPDATE interaction_contacts SET occurred_at =
             (SELECT i.occurred_at FROM interactions i WHERE i.id = interaction_id)",
        [],
    )?;
    candidate.recompute_due_dates()?;
    let conn = &candidate.conn;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM contacts ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        let contact = super::contacts::load_contact(conn, *id)?;
        contact.to_input().validated().map_err(|e| {
            Error::parse(
                None,
                format!("contact {id} (“{}”): {e}", contact.display_name),
            )
        })?;
    }
    candidate.write(|tx| {
        tx.execute("DELETE FROM contact_search", [])?;
        super::contacts::reindex_many(tx, &ids)
    })?;
    // What Today, the nudges and the exports read.
    candidate.list_reminders()?;
    candidate.open_follow_ups()?;
    candidate.list_goals()?;
    candidate.goal_views(now)?;
    candidate.event_views(now)?;
    candidate.today(now, 50)?;
    candidate.export_to(crate::export::ExportFormat::Ics, now, &mut std::io::sink())?;
    Ok(())
}

/// The sync account a database names: its server, user and collections, sorted.
fn account_in(tx: &rusqlite::Transaction<'_>, schema: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare(&format!(
        "SELECT key, value FROM {schema}.settings WHERE key IN ('sync.url', 'sync.user')
         UNION ALL
         SELECT 'collection.' || kind, href FROM {schema}.sync_collections
         ORDER BY 1"
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether `table` holds this installation's state of the server rather than the network:
/// its collections and sync tokens, and the links of contacts, follow-ups and reminders to
/// the server's cards and tasks. The conflict log is the network's (Kith's side of a field).
fn server_state(table: &str) -> bool {
    table.starts_with("sync_") && table != "sync_conflicts"
}

/// Copies the rows of `table` of the attached `restored` database into `main`'s (`filter`
/// a condition on its rows).
fn copy_table(tx: &rusqlite::Transaction<'_>, table: &str, filter: &str) -> Result<()> {
    let (cols, _) = columns(tx, table)?;
    let list = cols
        .iter()
        .map(|c| quoted(c))
        .collect::<Vec<_>>()
        .join(", ");
    let t = quoted(table);
    tx.execute(
        &format!("INSERT INTO main.{t} ({list}) SELECT {list} FROM restored.{t} WHERE {filter}"),
        [],
    )?;
    Ok(())
}

/// Puts the rows of the attached `restored` database in place of `main`'s, all but what
/// belongs to this installation: its sync account (the `sync.*` settings and collections)
/// and how far its scheduler has checked stay, never the file's (a file must not point the
/// kept password at a server the user never typed, nor replay weeks of nudges). The
/// file's links to the server's cards and tasks are taken only when the file was synced with
/// this very account and collections; either way the next round lists the whole address
/// book (no sync token), as a first round does. Returns the server the file named when it
/// is not this installation's, and whether its links were taken.
fn replace_rows(tx: &rusqlite::Transaction<'_>) -> Result<(Option<String>, bool)> {
    let live = account_in(tx, "main")?;
    let file = account_in(tx, "restored")?;
    let same = !live.is_empty() && live == file;
    let file_url = file
        .iter()
        .find(|(k, _)| k == "sync.url")
        .map(|(_, v)| v.clone())
        .filter(|_| !same);
    let ours = tables(tx)?;
    // Every row goes before any comes (Kith's own delete triggers leave tombstones, which
    // go too).
    for table in &ours {
        match table.as_str() {
            "settings" => tx.execute(
                &format!("DELETE FROM main.settings WHERE NOT {INSTALLATION_KEYS}"),
                [],
            )?,
            "sync_collections" => 0,
            t => tx.execute(&format!("DELETE FROM main.{}", quoted(t)), [])?,
        };
    }
    for table in &ours {
        match table.as_str() {
            "settings" => copy_table(tx, table, &format!("NOT {INSTALLATION_KEYS}"))?,
            "sync_collections" => {}
            t if server_state(t) && !same => {}
            _ => copy_table(tx, table, "1")?,
        }
    }
    tx.execute("UPDATE main.sync_collections SET sync_token = NULL", [])?;
    Ok((file_url, same))
}

/// A restore's working copy: a private folder in the backups folder, removed when dropped
/// (or, after a crash, by the next backup's clean-up of partial files).
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new(store: &Store) -> Result<Work> {
        let folder = store.backups_folder();
        files::private_dir(&folder)?;
        files::remove_stale_partials(&folder);
        let dir = tempfile::Builder::new()
            .prefix(&files::partial_prefix("kith-restore"))
            .tempdir_in(&folder)
            .map_err(Error::io(&folder))?;
        Ok(Work { dir })
    }

    fn database(&self) -> PathBuf {
        self.dir.path().join(DATABASE_FILE)
    }
}

impl Store {
    /// Replaces the network with the Kith database at `file` (a backup, or any `kith.db`),
    /// taken through Kith's own schema (see the module's contract). The network as it is now
    /// is kept as a backup first, in the same write transaction that replaces it. On any
    /// error the network is as it was.
    pub fn restore(&mut self, file: &Path, now: DateTime<Utc>) -> Result<RestoreReport> {
        let meta = fs::metadata(file).map_err(Error::io(file))?;
        if !meta.is_file() {
            return Err(unusable(file, "it is not a regular file"));
        }
        let source = Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| unusable(file, sqlite_words(&e)))?;
        let not_kith = || {
            unusable(
                file,
                "it is not a Kith database (a JSON backup is restored with `kith import` into an empty folder)",
            )
        };
        let from_schema = schema_version(&source).map_err(|_| not_kith())?;
        if from_schema == 0 {
            return Err(not_kith());
        }
        if from_schema > Store::latest_schema_version() {
            return Err(unusable(
                file,
                format!(
                    "a newer version of Kith wrote it (schema {from_schema}, this one knows {}); update Kith first",
                    Store::latest_schema_version()
                ),
            ));
        }
        backups::integrity(&source).map_err(|e| unusable(file, e))?;
        let found = schema_of(&source).map_err(|e| unusable(file, e))?;
        let encoding = self.encoding()?;
        let made = with_empty(from_schema, &encoding, schema_of)?;
        let differences = schema_differences(&found, &made);
        if !differences.is_empty() {
            let more = differences.len().saturating_sub(NAMED_DIFFERENCES);
            let mut why = format!(
                "it is not a database as Kith makes them ({}",
                differences[..differences.len().min(NAMED_DIFFERENCES)].join("; ")
            );
            if more > 0 {
                why.push_str(&format!("; and {more} more"));
            }
            why.push(')');
            return Err(unusable(file, why));
        }
        let work = Work::new(self)?;
        {
            let mut copy = new_database(&work.database(), from_schema, &encoding)?;
            copy_rows(&source, &mut copy).map_err(|e| unusable(file, e))?;
        }
        drop(source);
        self.take_candidate(&work, now)
            .map(|t| RestoreReport {
                contacts: t.contacts,
                from_schema: from_schema as u32,
                saved_as: t.saved_as,
                file_sync_url: t.file_sync_url,
                sync_links_kept: t.sync_links_kept,
            })
            .map_err(|e| unusable(file, e))
    }

    /// Restores a JSON backup read from `input` into this database, which must hold no
    /// contacts, history, goals, events, reminders or imports yet (a new data folder): every
    /// row comes back as it was, checked as [`Store::restore`] checks a database, and the
    /// search index and derived columns are computed again. Returns how many rows were
    /// restored. On any error nothing changes.
    pub fn restore_backup_from(
        &mut self,
        input: impl std::io::Read,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        self.refuse_unless_empty()?;
        let work = Work::new(self)?;
        let rows = {
            let mut copy = new_database(
                &work.database(),
                Store::latest_schema_version(),
                &self.encoding()?,
            )?;
            super::json_backup::read_backup(&mut copy, input)?
        };
        self.take_candidate(&work, now)?;
        Ok(rows)
    }

    /// The text encoding of this database.
    fn encoding(&self) -> Result<String> {
        Ok(self
            .conn
            .pragma_query_value(None, "encoding", |r| r.get(0))?)
    }

    /// Brings the candidate database in `work` up to date, checks it, and puts its rows in
    /// place of the network's, with a backup of the network taken under the same write lock.
    fn take_candidate(&mut self, work: &Work, now: DateTime<Utc>) -> Result<Taken> {
        let contacts = {
            let mut candidate = Store::open_with(&work.database(), false)?;
            check_values(&mut candidate, now)?;
            backups::active_contacts(&candidate.conn)?
        };
        let path = work.database();
        let name = path
            .to_str()
            .ok_or_else(|| Error::io(&path)(std::io::Error::other("the path is not UTF-8")))?;
        self.conn
            .execute("ATTACH DATABASE ?1 AS restored", [name])?;
        // Off for the replacement (rows arrive in any order); checked once before the commit.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let replaced = (|| -> Result<Taken> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Through a reader of its own while this connection holds the write lock: every
            // write committed by any process is in this backup or in what replaces it.
            let reader = Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            let saved_as =
                backups::take(&reader, &self.path, BackupReason::BeforeRestore, Some(now))?;
            drop(reader);
            let (file_sync_url, sync_links_kept) = replace_rows(&tx)?;
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM main.contacts")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute("DELETE FROM main.contact_search", [])?;
            super::contacts::reindex_many(&tx, &ids)?;
            super::check_foreign_keys(&tx)?;
            tx.commit()?;
            Ok(Taken {
                contacts,
                saved_as,
                file_sync_url,
                sync_links_kept,
            })
        })();
        let on = self.conn.pragma_update(None, "foreign_keys", "ON");
        let detached = self.conn.execute("DETACH DATABASE restored", []);
        let taken = replaced?;
        on?;
        detached?;
        self.conn.flush_prepared_statement_cache();
        self.prune_backups(now, &taken.saved_as.file_name)?;
        Ok(taken)
    }
}

/// What a restore put in place.
struct Taken {
    contacts: u32,
    saved_as: BackupInfo,
    file_sync_url: Option<String>,
    sync_links_kept: bool,
}

#[cfg(test)]
mod tests;
