//! Kith's core: the domain model, the SQLite store and (later) the ranking, goal and
//! scheduling rules. It owns everything worth unit-testing and never depends on Tauri, a
//! window or the system clock: callers pass `now` in.

pub mod backup;
pub mod cadence;
pub mod calendar;
pub mod duplicates;
pub mod error;
pub mod events;
pub mod export;
pub mod files;
pub mod goals;
pub mod history;
pub mod import;
pub mod links;
pub mod model;
pub mod nudge;
pub mod paths;
pub mod pictures;
pub mod preferences;
pub mod rank;
pub mod reminder;
pub mod repeat;
pub mod schedule;
pub mod search;
pub mod store;
pub mod sync;
pub mod testing;
pub mod vcard;

pub use error::{Error, ErrorKind, Result};
pub use store::Store;
