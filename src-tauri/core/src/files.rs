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

/// Creates `dir` (and its missing parents) readable by the user alone.
pub fn private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir).map_err(Error::io(dir))
}

/// Takes group and other access away from `path` if it exists and is the user's own
/// (a database created before Kith set its modes, or under a loose umask).
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(path)(e)),
        };
        let mode = meta.permissions().mode();
        // Only the owner may change a mode: someone else's file is left as it is.
        if mode & 0o077 != 0 && meta.uid() == own_uid(path)? {
            fs::set_permissions(path, fs::Permissions::from_mode(mode & !0o077))
                .map_err(Error::io(path))?;
        }
    }
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
}
