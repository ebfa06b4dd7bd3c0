//! The one error type of kith-core. Each variant is something a user or a caller can act on;
//! the UI shows `to_string()` and, for `Invalid`, puts it next to the named field.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The kinds of error, as the UI tells them apart (a generated TypeScript union).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ErrorKind {
    /// The record does not exist.
    NotFound,
    /// The input breaks a rule; `field` says which.
    Invalid,
    /// The data is not Kith's to change as asked (a newer schema, a non-empty folder, a
    /// record changed since…).
    Conflict,
    /// Something stored cannot be read as what Kith wrote there (a damaged row or setting).
    Corrupt,
    /// Kith failed at something that does not depend on the data (a bug to report).
    Internal,
    /// A file could not be read as what it claims to be.
    Parse,
    /// The database failed.
    Storage,
    /// The file system failed.
    Io,
    /// A server could not be reached, or refused (sync).
    Network,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record does not exist (or was purged).
    #[error("{what} {id} was not found")]
    NotFound { what: &'static str, id: i64 },

    /// The input breaks a rule; nothing was stored. `field` names the input field
    /// (as the UI spells it) and `reason` is a sentence for the user.
    #[error("{reason}")]
    Invalid { field: &'static str, reason: String },

    /// The database was written by a newer Kith or is otherwise not ours to change, or a
    /// record changed since the caller read it.
    #[error("{0}")]
    Conflict(String),

    /// A stored row or setting cannot be read as what Kith wrote there. `0` names what and
    /// where, for the user to report or restore a backup.
    #[error("{0}")]
    Corrupt(String),

    /// A step that does not depend on the data failed (writing a value Kith made itself):
    /// a bug, said in words.
    #[error("{0}")]
    Internal(String),

    /// A file could not be read as what it claims to be; nothing was stored. `line` is where
    /// the problem is, when the format has lines.
    #[error("{}{reason}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Parse { line: Option<u64>, reason: String },

    /// The database failed; shown as a sentence for what the user can do about it (another
    /// program holds the lock, the disk is full…), never SQLite's own words alone.
    #[error("{}", storage_words(.0))]
    Storage(#[from] rusqlite::Error),

    /// A schema step failed; the database stays at the schema it had.
    #[error("could not bring the database up to schema {version}: {reason}")]
    Migration { version: usize, reason: String },

    /// Writing an export or a backup to the stream its caller opened failed (a full disk, a
    /// closed pipe); the caller knows the file.
    #[error("cannot write {what}: {source}")]
    Write {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What a database failure means to the user, by SQLite's error code. Callers that know the
/// folder (the command line, the app) name it beside this sentence.
fn storage_words(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as Code;
    let message = match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.as_str(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.as_str(),
        _ => "",
    };
    match e.sqlite_error_code() {
        Some(Code::DatabaseBusy | Code::DatabaseLocked) => {
            "another program is writing to the database and holds its lock (the Kith window, \
             its reminders, or another kith command): try again when it is done"
                .into()
        }
        Some(Code::DiskFull) => "the disk holding the database is full: free some space on it \
             and try again (nothing was changed)"
            .into(),
        Some(Code::SystemIoFailure) => "the disk holding the database could not be read or \
             written (an I/O error; a full disk does this too): free some space or check the \
             disk, then try again"
            .into(),
        Some(Code::ReadOnly) => "the database cannot be written: the file kith.db, its \
             kith.db-wal or kith.db-shm, or their folder is read-only; give yourself write \
             access to them and try again"
            .into(),
        Some(Code::CannotOpen | Code::PermissionDenied) => "the database cannot be opened: \
             check that its folder exists and that you may read and write it"
            .into(),
        Some(Code::DatabaseCorrupt | Code::NotADatabase) => "the database file is damaged or \
             is not a Kith database: restore a backup (Settings → Backups, or kith restore)"
            .into(),
        _ if message.starts_with("no such column") || message.starts_with("no such table") => {
            format!(
                "the database is not laid out as this version of Kith wrote it ({message}): \
                 another program changed it; restore a backup (Settings → Backups, or kith \
                 restore)"
            )
        }
        _ => format!("the database failed: {e}"),
    }
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            reason: reason.into(),
        }
    }

    /// What a failed file operation on `path` becomes: `.map_err(Error::io(path))`.
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |source| Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn parse(line: Option<u64>, reason: impl Into<String>) -> Self {
        Error::Parse {
            line,
            reason: reason.into(),
        }
    }

    /// What kind of error it is (sent to the UI as `kind`).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Corrupt(_) => ErrorKind::Corrupt,
            Error::Internal(_) => ErrorKind::Internal,
            Error::Parse { .. } => ErrorKind::Parse,
            Error::Storage(_) | Error::Migration { .. } => ErrorKind::Storage,
            Error::Io { .. } | Error::Write { .. } => ErrorKind::Io,
        }
    }

    /// The input field the error is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContactInput;
    use crate::store::tests::temp_store;
    use rusqlite::{Connection, OpenFlags};

    fn now() -> chrono::DateTime<chrono::Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn person(name: &str) -> ContactInput {
        ContactInput {
            display_name: name.into(),
            ..Default::default()
        }
    }

    /// The sentence, and none of SQLite's own words.
    fn says(err: &Error, words: &str, sqlite: &str) {
        let text = err.to_string();
        assert!(text.contains(words), "{text}");
        assert!(!text.contains(sqlite), "{text}");
        assert_eq!(err.kind(), ErrorKind::Storage);
    }

    #[test]
    fn a_damaged_row_is_corrupt_never_changed_elsewhere() {
        let (dir, store) = temp_store();
        Connection::open(dir.path().join("kith.db"))
            .unwrap()
            .execute(
                "INSERT INTO settings (key, value) VALUES ('week_start', 'Someday')",
                [],
            )
            .unwrap();
        let err = store.preferences().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
        assert!(err.to_string().contains("“Someday”"), "{err}");
    }

    #[test]
    fn a_stream_that_cannot_be_written_is_an_io_error_naming_what_was_written() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "disk full",
                ))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let (_dir, mut store) = temp_store();
        store.add_contact(person("Ana"), now()).unwrap();
        for format in [
            crate::export::ExportFormat::Json,
            crate::export::ExportFormat::Vcf,
            crate::export::ExportFormat::Csv,
        ] {
            let err = store.export_to(format, now(), &mut Full).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Io, "{format:?}: {err}");
            assert!(err.to_string().starts_with("cannot write the"), "{err}");
            assert!(err.to_string().ends_with("disk full"), "{err}");
        }
    }

    #[test]
    fn a_write_lock_held_by_another_program_is_named() {
        let (dir, mut store) = temp_store();
        let other = Connection::open(dir.path().join("kith.db")).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let err = store.add_contact(person("Ana"), now()).unwrap_err();
        says(&err, "another program is writing", "database is locked");
    }

    #[test]
    fn a_read_only_database_says_what_to_make_writable() {
        let (dir, store) = temp_store();
        drop(store);
        let conn = Connection::open_with_flags(
            dir.path().join("kith.db"),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let err: Error = conn
            .execute("INSERT INTO settings (key, value) VALUES ('x', 'y')", [])
            .unwrap_err()
            .into();
        says(
            &err,
            "read-only; give yourself write access",
            "readonly database",
        );
    }

    #[test]
    fn a_full_database_disk_is_named() {
        let (dir, store) = temp_store();
        drop(store);
        let conn = Connection::open(dir.path().join("kith.db")).unwrap();
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
        let err: Error = conn
            .execute(
                "INSERT INTO settings (key, value) VALUES ('x', :v)",
                [&"x".repeat(1 << 20)],
            )
            .unwrap_err()
            .into();
        says(
            &err,
            "disk holding the database is full",
            "database or disk is full",
        );
    }

    #[test]
    fn a_disk_io_error_is_a_sentence() {
        let err = Error::Storage(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR_SHORT_READ),
            Some("disk I/O error".into()),
        ));
        says(&err, "could not be read or written", "disk I/O error");
    }

    #[test]
    fn a_column_another_program_took_away_is_explained() {
        let (dir, store) = temp_store();
        let other = Connection::open(dir.path().join("kith.db")).unwrap();
        other
            .execute_batch("ALTER TABLE contacts RENAME COLUMN archived_at TO gone")
            .unwrap();
        let err = store.all_contacts().unwrap_err();
        says(
            &err,
            "not laid out as this version of Kith wrote it",
            " in SELECT",
        );
        assert!(err.to_string().contains("archived_at"), "{err}");
    }
}
