//! User journeys in the real window. Run one at a time (`--test-threads=1`): each starts its
//! own X display, bus, tauri-driver and app.

mod accessibility;
mod backups;
mod contacts;
mod desktop;
mod details;
mod duplicates;
mod events;
mod goals;
mod history;
mod imports;
mod live;
mod nudges;
mod sync;
mod today;

/// Real CardDAV servers and second devices, shared with kith-sync's own tests.
#[path = "../../src-tauri/sync/tests/support/mod.rs"]
#[allow(dead_code)]
mod dav;
