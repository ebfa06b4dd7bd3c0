//! The files Kith writes beside its database: private folders and files (a network is
//! personal: 0700 and 0600, whatever the umask), and writing a file whole or not at all. It
//! never decides what goes into a file, only how it reaches the disk.

use std::fs;
use std::io::{BufWriter, Write};
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// What a half-written file's name carries between the target's name and the writer's pid:
/// `.contacts.csv.kith-partial-4242-XXXXXX`.
const PARTIAL: &str = ".kith-partial-";

/// Creates `dir` (and its missing parents) readable by the user alone; a folder that is
/// already there is made so too (see [`make_private`]).
pub fn private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir).map_err(Error::io(dir))?;
    make_private(dir)
}

/// Takes group and other access away from `path` if it exists and is the user's own
/// (a folder or database created before Kith set its modes, or under a loose umask).
/// Someone else's is left as it is, unless anyone may write to it: that is refused, in
/// words, as no place for a network.
pub fn make_private(path: &Path) -> Result<()> {
    change_mode(path, |mode| mode & !0o077)
}

/// [`make_private`], and the owner may read and write it again: SQLite's `-wal` and `-shm`
/// files are Kith's own, and one left read-only (by a database that was read-only for a
/// while) would make every later write fail after the database itself is writable again.
pub fn make_private_and_writable(path: &Path) -> Result<()> {
    change_mode(path, |mode| (mode & !0o077) | 0o600)
}

/// Gives `path` the mode `to` makes of its mode, if it exists and is the user's own.
fn change_mode(path: &Path, to: impl FnOnce(u32) -> u32) -> Result<()> {
    #[cfg(unix)]
    {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(path)(e)),
        };
        let mode = meta.permissions().mode();
        let wanted = to(mode);
        // Only the owner may change a mode.
        if meta.uid() != own_uid(path)? {
            if mode & 0o002 != 0 {
                return Err(Error::Conflict(format!(
                    "{} belongs to another user and anyone on this computer may change it: \
                     Kith keeps a network only where you alone may. Choose another folder \
                     (--data-dir or KITH_DATA_DIR), or ask its owner to run chmod o-w on it.",
                    path.display()
                )));
            }
        } else if wanted != mode {
            fs::set_permissions(path, fs::Permissions::from_mode(wanted))
                .map_err(Error::io(path))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, to);
    Ok(())
}

/// The user's uid: the owner of `/proc/self` (std has no getuid).
#[cfg(unix)]
fn own_uid(path: &Path) -> Result<u32> {
    static UID: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    let uid = UID.get_or_init(|| fs::metadata("/proc/self").ok().map(|m| m.uid()));
    uid.ok_or_else(|| {
        Error::io(path)(std::io::Error::other(
            "cannot tell which user this process runs as",
        ))
    })
}

/// Why nothing can be written in the folder `dir` and what to do, in words, if so: the disk
/// holding it is full, it is on a read-only disk, or the user may not write there. Found out
/// by writing (and removing) a small file there.
pub fn why_unwritable(dir: &Path) -> Option<String> {
    let written = tempfile::Builder::new()
        .prefix(&partial_prefix("probe"))
        .tempfile_in(dir)
        .and_then(|mut probe| {
            probe.write_all(&[0; 64 * 1024])?;
            probe.as_file().sync_all()
        });
    let e = written.err()?;
    let dir = dir.display();
    Some(match e.kind() {
        std::io::ErrorKind::StorageFull => {
            format!("the disk holding {dir} is full: free some space on it")
        }
        std::io::ErrorKind::ReadOnlyFilesystem => {
            format!("{dir} is on a read-only disk: mount it read-write")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!("you may not write in {dir}: give yourself write access to it")
        }
        _ => format!("nothing can be written in {dir} ({e})"),
    })
}

/// Where a write to `target` lands: through any symbolic links, to the file they name.
pub(crate) fn resolve(target: &Path) -> Result<PathBuf> {
    let mut path = target.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path).map_err(Error::io(&path))?;
                path = match path.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(Error::io(target)(std::io::Error::other(
        "too many levels of symbolic links",
    )))
}

/// The start of the name of a partial file (or folder) for `name`, written by this process:
/// what [`remove_stale_partials`] recognises once the process is gone.
pub(crate) fn partial_prefix(name: &str) -> String {
    format!(".{name}{PARTIAL}{}-", std::process::id())
}

/// Removes what writers killed before finishing left in `dir`: partial files whose process
/// is gone. A writer still running keeps its own.
pub(crate) fn remove_stale_partials(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((_, rest)) = name.split_once(PARTIAL) else {
            continue;
        };
        if !name.starts_with('.') {
            continue;
        }
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            let _ = match entry.file_type() {
                Ok(kind) if kind.is_dir() => fs::remove_dir_all(entry.path()),
                _ => fs::remove_file(entry.path()),
            };
        }
    }
}

/// Writes `target` whole or not at all: `write` fills a private file beside it, which
/// then replaces the target in one step (through a symbolic link, to the file it names).
/// A failed write leaves the old file as it was; a writer killed midway leaves a hidden
/// partial file that the next write into that folder removes.
pub fn write_whole(target: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let real = resolve(target)?;
    let dir = real
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::io(target)(std::io::Error::other("not a file name")))?;
    remove_stale_partials(dir);
    let tmp = tempfile::Builder::new()
        .prefix(&partial_prefix(&name))
        .tempfile_in(dir)
        .map_err(Error::io(target))?;
    let mut out = BufWriter::new(tmp);
    write(&mut out)?;
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(target)(e.into_error()))?;
    tmp.as_file().sync_all().map_err(Error::io(target))?;
    tmp.persist(&real).map_err(|e| Error::io(target)(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        fs::write(&target, "old").unwrap();
        write_whole(&target, |w| w.write_all(b"new").map_err(Error::io(&target))).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out.csv"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        fs::write(&target, "old").unwrap();
        let err = write_whole(&target, |w| {
            w.write_all(b"half").map_err(Error::io(&target))?;
            Err(Error::Conflict("stopped".into()))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "stopped");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(names(dir.path()), ["out.csv"]);
    }

    #[test]
    fn a_write_goes_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.vcf");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.vcf");
        std::os::unix::fs::symlink("real.vcf", &link).unwrap();
        write_whole(&link, |w| w.write_all(b"new").map_err(Error::io(&link))).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn what_a_killed_writer_left_goes_at_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        // A pid no process has (above the kernel's limit of 2^22).
        let dead = dir.path().join(".out.csv.kith-partial-4194305-abc123");
        fs::write(&dead, "a partial copy").unwrap();
        let unrelated = dir.path().join(".notes.kith-partial-x");
        fs::write(&unrelated, "not ours to judge").unwrap();
        let target = dir.path().join("other.csv");
        write_whole(&target, |w| w.write_all(b"x").map_err(Error::io(&target))).unwrap();
        assert!(!dead.exists());
        assert!(unrelated.exists());
    }

    #[test]
    fn private_folders_and_files_shed_group_and_other_access() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        private_dir(&folder).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        let file = folder.join("kith.db");
        fs::write(&file, "x").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        make_private(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        make_private(&folder.join("missing")).unwrap();
    }

    #[test]
    fn a_folder_anyone_may_write_is_tightened_when_ours_and_refused_when_not() {
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        let ours = dir.path().join("kith");
        fs::create_dir(&ours).unwrap();
        fs::set_permissions(&ours, fs::Permissions::from_mode(0o777)).unwrap();
        private_dir(&ours).unwrap();
        assert_eq!(mode(&ours), 0o700);

        let shm = ours.join("kith.db-shm");
        fs::write(&shm, "x").unwrap();
        fs::set_permissions(&shm, fs::Permissions::from_mode(0o444)).unwrap();
        make_private_and_writable(&shm).unwrap();
        assert_eq!(mode(&shm), 0o600);

        // Another user's folder (only root can give one away to test it).
        let theirs = dir.path().join("shared");
        fs::create_dir(&theirs).unwrap();
        if std::os::unix::fs::chown(&theirs, Some(4242), Some(4242)).is_err() {
            return;
        }
        fs::set_permissions(&theirs, fs::Permissions::from_mode(0o777)).unwrap();
        let err = private_dir(&theirs).unwrap_err().to_string();
        assert!(err.contains("belongs to another user"), "{err}");
        assert!(err.contains(&theirs.display().to_string()), "{err}");
        assert_eq!(mode(&theirs), 0o777);
        fs::set_permissions(&theirs, fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&theirs).unwrap();
    }
}
