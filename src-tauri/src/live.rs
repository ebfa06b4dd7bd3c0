//! The window is always current: once a second, a thread asks the window's own store
//! connection whether another process committed (SQLite's `data_version`: the command line,
//! the scheduler's and the sync thread's connections, another Kith), and if so which parts of
//! the network changed; the window gets one `changed` event naming them, and each screen
//! reloads what it shows. The window's own commands do not move the version: the screen that
//! made a change has reloaded already.

use std::thread;
use std::time::Duration;

use kith_core::store::Area;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::{tray, AppEvent, AppState};

/// How often the thread looks (a change shows within about this, well under two seconds).
const LOOK: Duration = Duration::from_millis(700);

/// Tells the window that `areas` changed without a command of its own (a nudge answered
/// from the notification), which the version cannot show: it is the window's connection.
pub fn tell<R: Runtime>(app: &AppHandle<R>, areas: &[Area]) {
    if let Err(e) = app.emit(AppEvent::Changed.name(), areas) {
        tracing::warn!(error = %e, "cannot tell the window what changed");
    }
}

pub fn start<R: Runtime>(app: AppHandle<R>) {
    let spawned = thread::Builder::new().name("live".into()).spawn(move || {
        let (mut version, mut seen) = {
            let state = app.state::<AppState>();
            let store = state.store();
            match (store.data_version(), store.fingerprint()) {
                (Ok(v), Ok(f)) => (v, f),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::warn!(error = %e, "cannot watch the database; the window shows changes from elsewhere when reopened");
                    return;
                }
            }
        };
        loop {
            thread::sleep(LOOK);
            let state = app.state::<AppState>();
            let looked = {
                let store = state.store();
                match store.data_version() {
                    Ok(v) if v == version => continue,
                    Ok(v) => store.fingerprint().map(|f| (v, f)),
                    Err(e) => Err(e),
                }
            };
            match looked {
                Ok((v, now)) => {
                    let changed: Vec<Area> = seen.changed(&now);
                    version = v;
                    seen = now;
                    if changed.is_empty() {
                        continue;
                    }
                    tracing::debug!(?changed, "changed elsewhere");
                    tell(&app, &changed);
                    tray::refresh(&app);
                }
                Err(e) => tracing::warn!(error = %e, "cannot look for changes"),
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start watching the database");
    }
}
