//! Reading a network Kith cannot write: the disk holding the data folder is full, or the
//! folder is on a read-only disk. Today, exports and backups to another disk still work
//! through a read-only connection; nothing is ever written through it (SQLite refuses).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{wal_file, Store, BUSY_TIMEOUT};
use crate::paths::DATABASE_FILE;
use crate::{Error, Result};

impl Store {
    /// Opens `kith.db` in `data_dir` only to read it, for when [`Store::open_in`] cannot
    /// write there. Through SQLite's shared memory when its -wal and -shm files are usable;
    /// else, when no write-ahead log holds anything, as a file nobody changes (SQLite then
    /// needs no file beside it). A database of another schema is refused: it would need
    /// writing first.
    pub fn open_read_only(data_dir: &Path) -> Result<Store> {
        let path = data_dir.join(DATABASE_FILE);
        std::fs::metadata(&path).map_err(Error::io(&path))?;
        let text = path
            .to_str()
            .ok_or_else(|| Error::io(&path)(std::io::Error::other("the path is not UTF-8 text")))?;
        // A URI's own characters, escaped.
        let escaped = text
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        let open = |options: &str| -> Result<Store> {
            let conn = Connection::open_with_flags(
                format!("file:{escaped}?{options}"),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let store = Store {
                conn,
                path: path.clone(),
            };
            let version = store.schema_version()?;
            if version != Store::latest_schema_version() {
                return Err(Error::Conflict(format!(
                    "{} is at schema {version} and this Kith reads schema {}: it can be read \
                     once Kith may write in its folder again",
                    path.display(),
                    Store::latest_schema_version()
                )));
            }
            Ok(store)
        };
        open("mode=ro").or_else(|first| {
            let log_empty =
                std::fs::metadata(wal_file(&path, "-wal")).map_or(true, |m| m.len() == 0);
            if log_empty {
                open("mode=ro&immutable=1")
            } else {
                Err(first)
            }
        })
    }
}
