//! What the export formats read: every active contact in full, and the calendar's reminders
//! and follow-ups, and where an export may be written (never over the network itself). The
//! writers themselves live in `export/`.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::contacts::load_contact;
use super::{wal_file, Store};
use crate::export::{self, ExportFormat};
use crate::model::Contact;
use crate::{files, Error, Result};

/// Calls `each` with every contact that is not archived, in full, by name, one at a time.
fn each_contact(conn: &Connection, mut each: impl FnMut(Contact) -> Result<()>) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM contacts WHERE archived_at IS NULL
             ORDER BY display_name COLLATE NOCASE, id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        each(load_contact(conn, id)?)?;
    }
    Ok(())
}

fn cannot_write(source: std::io::Error) -> Error {
    Error::Write {
        what: "the export",
        source,
    }
}

impl Store {
    /// Every contact that is not archived, in full, by name.
    pub fn all_contacts(&self) -> Result<Vec<Contact>> {
        let mut all = Vec::new();
        each_contact(&self.conn, |c| {
            all.push(c);
            Ok(())
        })?;
        Ok(all)
    }

    /// The network in `format`, as the file's text (for tests and small networks; files are
    /// written with [`Store::export_file`]).
    pub fn export(&self, format: ExportFormat, now: DateTime<Utc>) -> Result<String> {
        let mut out = Vec::new();
        self.export_to(format, now, &mut out)?;
        String::from_utf8(out).map_err(|e| crate::Error::Internal(e.to_string()))
    }

    /// Writes the network in `format` to the file `target`, whole or not at all, after
    /// [`Store::check_output`] said it is not the network's own.
    pub fn export_file(
        &self,
        format: ExportFormat,
        now: DateTime<Utc>,
        target: &Path,
    ) -> Result<()> {
        self.check_output(target)?;
        files::write_whole(target, |out| self.export_to(format, now, out))
    }

    /// Writes the network in `format` to `out`, all of it read in one transaction (one state
    /// of the network, whatever others write meanwhile). Contacts and the JSON backup stream
    /// one at a time: a network of any size is written in little memory.
    pub fn export_to(
        &self,
        format: ExportFormat,
        now: DateTime<Utc>,
        out: &mut dyn Write,
    ) -> Result<()> {
        self.read(|conn| match format {
            ExportFormat::Json => super::json_backup::write_backup(conn, now, &mut *out),
            ExportFormat::Vcf => each_contact(conn, |c| {
                out.write_all(export::vcard::card_text(&c).as_bytes())
                    .map_err(cannot_write)
            }),
            ExportFormat::Csv => {
                let mut csv = export::csv::Writer::new(&mut *out)?;
                each_contact(conn, |c| csv.contact(&c))?;
                csv.finish()
            }
            ExportFormat::Ics => {
                let reminders = self
                    .list_reminders()?
                    .into_iter()
                    .map(|r| {
                        let name = r
                            .fields
                            .contact_id
                            .and_then(|id| self.get_contact(id).ok())
                            .map(|c| c.display_name);
                        (r, name)
                    })
                    .collect::<Vec<_>>();
                let text = export::ics::write(&reminders, &self.open_follow_ups()?, now);
                out.write_all(text.as_bytes()).map_err(cannot_write)
            }
        })
    }

    /// Refuses `target` as the file an export or a backup writes when it is the network
    /// itself: the database, its -wal, -shm or -journal, or a file in the backups folder,
    /// however it is named (through a symbolic link, `..`, or a hard link to the same file).
    pub fn check_output(&self, target: &Path) -> Result<()> {
        let refuse = |what: &str| {
            Err(Error::Conflict(format!(
                "{} is {what}: writing there would overwrite your network; choose a file \
                 outside {}",
                target.display(),
                self.data_folder().display()
            )))
        };
        let own = [
            (self.path.clone(), "Kith's database"),
            (
                wal_file(&self.path, "-wal"),
                "the database's write-ahead log",
            ),
            (
                wal_file(&self.path, "-shm"),
                "the database's shared-memory file",
            ),
            (wal_file(&self.path, "-journal"), "the database's journal"),
        ];
        let place = landing(target)?;
        let backups = landing(&self.backups_folder())?;
        for (file, what) in &own {
            if landing(file)? == place {
                return refuse(what);
            }
        }
        if place.parent() == Some(backups.as_path()) {
            return refuse("in Kith's backups folder");
        }
        // A hard link is the same file under another name.
        if let Some(id) = file_id(&place) {
            let in_backups = std::fs::read_dir(&backups)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path());
            for file in own.iter().map(|(f, _)| f.clone()).chain(in_backups) {
                if file_id(&file) == Some(id) {
                    return refuse("the same file as one of Kith's own (a hard link to it)");
                }
            }
        }
        Ok(())
    }

    /// The folder the database lives in.
    fn data_folder(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }
}

/// Where a write to `path` lands, spelled one way: absolute, through symbolic links, without
/// `.` or `..`, even where folders on the way are not there yet.
fn landing(path: &Path) -> Result<PathBuf> {
    let real = files::resolve(path)?;
    let mut out = if real.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().map_err(Error::io(path))?
    };
    for part in real.components() {
        match part {
            Component::CurDir => {}
            // `out` is the real folder while it exists, so its parent is the real parent.
            Component::ParentDir => {
                out.pop();
            }
            other => {
                out.push(other);
                if let Ok(canonical) = std::fs::canonicalize(&out) {
                    out = canonical;
                }
            }
        }
    }
    Ok(out)
}

/// The device and inode of the file at `path`, if there is one.
fn file_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests;
