//! Where Kith keeps its data on disk. The XDG data dir by default
//! (`~/.local/share/kith` on Linux); `KITH_DATA_DIR` overrides it so tests, benchmarks and
//! scripts never touch the user's own database.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::{Error, Result};

/// Name of the environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "KITH_DATA_DIR";

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "kith.db";

/// The data directory: `KITH_DATA_DIR` when set and not empty, else the XDG data dir.
pub fn data_dir() -> Result<PathBuf> {
    resolve_data_dir(std::env::var_os(DATA_DIR_ENV))
}

/// [`data_dir`] with the override passed in, so the rule is testable without touching the
/// process environment.
pub fn resolve_data_dir(override_dir: Option<OsString>) -> Result<PathBuf> {
    if let Some(dir) = override_dir.filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "kith")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| {
            Error::Conflict(format!(
                "no home directory was found; set {DATA_DIR_ENV} to choose where Kith keeps its data"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_wins_when_set() {
        let dir = resolve_data_dir(Some("/tmp/kith-x".into())).unwrap();
        assert_eq!(dir, PathBuf::from("/tmp/kith-x"));
    }

    #[test]
    fn empty_override_falls_back_to_the_xdg_dir() {
        let dir = resolve_data_dir(Some(OsString::new())).unwrap();
        assert!(dir.ends_with("kith"), "{}", dir.display());
        assert_ne!(dir, PathBuf::from(""));
    }
}
