//! Any text restored as a backup into an empty in-memory-sized data folder: an error or a
//! restore, never a panic, and never a half-restored database.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn dir() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kith-fuzz-backup-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let path = dir().join("kith.db");
    for f in ["kith.db", "kith.db-wal", "kith.db-shm"] {
        let _ = std::fs::remove_file(dir().join(f));
    }
    if let Ok(mut store) = kith_core::Store::open(&path) {
        let _ = store.restore_backup(text);
    }
});
