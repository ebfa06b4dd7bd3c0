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
    /// The data is not Kith's to change as asked (a newer schema, a non-empty folder…).
    Conflict,
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

    /// The database was written by a newer Kith or is otherwise not ours to change.
    #[error("{0}")]
    Conflict(String),

    /// A file could not be read as what it claims to be; nothing was stored. `line` is where
    /// the problem is, when the format has lines.
    #[error("{}{reason}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Parse { line: Option<u64>, reason: String },

    #[error("database error: {0}")]
    Storage(#[from] rusqlite::Error),

    /// A schema step failed; the database stays at the schema it had.
    #[error("could not bring the database up to schema {version}: {reason}")]
    Migration { version: usize, reason: String },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
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
            Error::Parse { .. } => ErrorKind::Parse,
            Error::Storage(_) | Error::Migration { .. } => ErrorKind::Storage,
            Error::Io { .. } => ErrorKind::Io,
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
