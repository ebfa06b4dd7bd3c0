//! For the race tests: a thread that asks to be watched opens its connections with a busy
//! handler that notes when it is queued for the write lock, so a test that holds the lock
//! from a third connection lets it go once every contender is waiting for it, on that
//! condition rather than after a sleep that a loaded machine can outrun.

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use rusqlite::Connection;

static QUEUED: LazyLock<Mutex<HashSet<ThreadId>>> = LazyLock::new(Mutex::default);

thread_local! {
    static WATCHED: Cell<bool> = const { Cell::new(false) };
}

/// Connections this thread opens from now on say when they wait for the write lock.
pub fn watch_this_thread() {
    WATCHED.set(true);
}

/// Called as each store opens its connection.
pub(super) fn install(conn: &Connection) -> rusqlite::Result<()> {
    if WATCHED.get() {
        conn.busy_handler(Some(queued))?;
    }
    Ok(())
}

/// SQLite's busy handler: notes the thread, naps and tries again, for at least as long as
/// the busy timeout it stands in for.
fn queued(attempts: i32) -> bool {
    QUEUED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(thread::current().id());
    thread::sleep(Duration::from_millis(2));
    attempts < 2_500
}

/// Returns once each of `threads` has waited for the write lock at least once.
pub fn wait_until_queued(threads: &[ThreadId]) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let queued = QUEUED.lock().unwrap_or_else(|e| e.into_inner());
        if threads.iter().all(|t| queued.contains(t)) {
            return;
        }
        drop(queued);
        assert!(
            Instant::now() < deadline,
            "the contenders never queued for the lock"
        );
        thread::sleep(Duration::from_millis(5));
    }
}
