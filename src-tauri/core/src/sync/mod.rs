//! Sharing the network through a standard CardDAV server (PRODUCT.md §6): the rules, pure.
//! `card` reads a server's vCard as Kith's view of a contact and writes Kith's changes back
//! into the server's own copy, property by property, so that what Kith does not model
//! (photos, other apps' properties, Apple's grouped labels) survives; `merge` joins a
//! contact changed on both sides since the last round against what both agreed on then. The
//! store keeps the per-contact state (`store/sync.rs`); talking to the server is the
//! `kith-sync` crate's. Nothing here does I/O.

pub mod card;
pub mod merge;

pub use card::ServerCard;
pub use merge::{merge, Merged, SyncConflict};
