//! Where Kith keeps its data on disk, and what the system says of where it is. The XDG data
//! dir by default (`~/.local/share/kith` on Linux); `KITH_DATA_DIR` overrides it so tests,
//! benchmarks and scripts never touch the user's own database. The system's time zone
//! (`TZ`, else `/etc/localtime`) is read here too, for a user who never chose one.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

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

/// The system's time zone: `$TZ` (a zone name or a path under zoneinfo, with or without a
/// leading `:`), else the zone `/etc/localtime` links to; `None` when neither names one.
pub fn system_zone() -> Option<chrono_tz::Tz> {
    zone_from(
        std::env::var("TZ").ok().as_deref(),
        std::fs::read_link("/etc/localtime").ok().as_deref(),
    )
}

/// [`system_zone`] with `TZ` and the link's target passed in.
pub fn zone_from(tz: Option<&str>, localtime: Option<&Path>) -> Option<chrono_tz::Tz> {
    let named = |text: &str| {
        let text = text.trim_start_matches(':');
        let name = text.rsplit_once("zoneinfo/").map_or(text, |(_, name)| name);
        name.parse::<chrono_tz::Tz>().ok()
    };
    tz.and_then(named)
        .or_else(|| localtime.and_then(|p| p.to_str()).and_then(named))
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

    #[test]
    fn the_system_zone_comes_from_tz_else_from_localtime() {
        let lisbon = Some(chrono_tz::Europe::Lisbon);
        let link = Path::new("/usr/share/zoneinfo/Europe/Lisbon");
        assert_eq!(zone_from(Some("Europe/Lisbon"), None), lisbon);
        assert_eq!(zone_from(Some(":Europe/Lisbon"), None), lisbon);
        assert_eq!(
            zone_from(Some("/usr/share/zoneinfo/Europe/Lisbon"), None),
            lisbon
        );
        assert_eq!(zone_from(None, Some(link)), lisbon);
        assert_eq!(zone_from(Some("Nowhere/Land"), Some(link)), lisbon);
        assert_eq!(
            zone_from(None, Some(Path::new("../zoneinfo/Asia/Tokyo"))),
            Some(chrono_tz::Asia::Tokyo)
        );
        assert_eq!(zone_from(None, None), None);
    }
}
