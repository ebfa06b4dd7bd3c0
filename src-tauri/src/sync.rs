//! Rounds of sync in the background: at start, every 15 minutes, and shortly after the
//! network changes (once it has been quiet for a few seconds), while an account is
//! connected. A plain thread with its own store connection; a round runs outside any async
//! runtime (kith-sync makes its own), and one at a time per data folder, so a round from the
//! command line or *Sync now* is simply waited out. Each round's outcome goes to the window.

use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use kith_core::sync::SyncStatus;
use kith_core::Store;
use tauri::{AppHandle, Emitter, Runtime};

use crate::AppEvent;

/// Rounds come at least this often.
const EVERY: TimeDelta = TimeDelta::minutes(15);
/// A change waits this long for the next one before a round sends it.
const QUIET: TimeDelta = TimeDelta::seconds(10);
/// How often the thread looks.
const LOOK: Duration = Duration::from_secs(5);

/// Runs `work` on a thread of its own: kith-sync's blocking calls build a runtime, which a
/// thread inside Tauri's async runtime may not.
pub fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    thread::scope(|s| match s.spawn(work).join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Whether a round is due at `now`.
fn due(store: &Store, now: DateTime<Utc>, started: bool) -> kith_core::Result<bool> {
    let status = store.sync_status()?;
    if status.account.is_none() {
        return Ok(false);
    }
    let Some(last) = status.last_at else {
        return Ok(true);
    };
    if !started || now - last >= EVERY {
        return Ok(true);
    }
    Ok(store
        .changed_since(last)?
        .is_some_and(|changed| now - changed >= QUIET))
}

/// What tells the window how far a round's writes are: every 25 cards and at the end.
pub fn progress_to<R: Runtime>(app: &AppHandle<R>) -> kith_sync::Progress {
    let app = app.clone();
    Box::new(move |done, total| {
        if done % 25 == 0 || done == total {
            let progress = kith_core::sync::SyncProgress {
                done: u32::try_from(done).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
            };
            if let Err(e) = app.emit(AppEvent::SyncProgress.name(), progress) {
                tracing::warn!(error = %e, "cannot tell the window how far sync is");
            }
        }
    })
}

/// Tells the window where sync stands.
pub fn announce<R: Runtime>(app: &AppHandle<R>, status: &SyncStatus) {
    if let Err(e) = app.emit(AppEvent::Synced.name(), status) {
        tracing::warn!(error = %e, "cannot tell the window about sync");
    }
}

pub fn start<R: Runtime>(app: AppHandle<R>, data_dir: PathBuf) {
    let spawned = thread::Builder::new().name("sync".into()).spawn(move || {
        let store = match Store::open_in(&data_dir) {
            Ok(store) => store,
            Err(e) => {
                tracing::error!(error = %e, "the sync thread cannot open the database");
                return;
            }
        };
        let mut started = false;
        loop {
            match due(&store, Utc::now(), started) {
                Ok(true) => {
                    match kith_sync::sync_with_progress(&data_dir, Some(progress_to(&app))) {
                        Ok(report) => tracing::info!(?report, "sync round"),
                        Err(kith_sync::SyncError::Busy) => {}
                        Err(e) => tracing::warn!(error = %e, "sync round failed"),
                    }
                    if let Ok(status) = store.sync_status() {
                        announce(&app, &status);
                    }
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "cannot read the sync state"),
            }
            started = true;
            thread::sleep(LOOK);
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the sync thread");
    }
}
