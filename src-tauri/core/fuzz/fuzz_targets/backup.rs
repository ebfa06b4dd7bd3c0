//! Any bytes restored as a JSON backup into an empty data folder: an error or a restore,
//! never a panic, and never a half-restored database. One migrated database serves every
//! input (a failed restore changes nothing, so it stays empty); only a restore that
//! succeeds costs a new one.
#![no_main]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};

use kith_core::Store;
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kith-fuzz-backup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

fn empty_store() -> Store {
    for f in ["kith.db", "kith.db-wal", "kith.db-shm"] {
        let _ = std::fs::remove_file(dir().join(f));
    }
    match Store::open(&dir().join("kith.db")) {
        Ok(store) => store,
        Err(e) => panic!("cannot open a fresh database: {e}"),
    }
}

static STORE: Mutex<Option<Store>> = Mutex::new(None);

fuzz_target!(|bytes: &[u8]| {
    let mut slot = STORE.lock().unwrap_or_else(PoisonError::into_inner);
    let store = slot.get_or_insert_with(empty_store);
    // The instant the restore checks Today and the goals at (its type is the store's).
    let Ok(now) = "2026-12-01T10:00:00Z".parse() else {
        panic!("the fixed instant does not parse");
    };
    match store.restore_backup_from(bytes, now) {
        // Restored: the next input needs an empty folder again.
        Ok(_) => *slot = None,
        Err(_) => {
            let left = store.all_contacts().map(|c| c.len()).unwrap_or(0);
            assert_eq!(left, 0, "a failed restore left contacts behind");
        }
    }
});
