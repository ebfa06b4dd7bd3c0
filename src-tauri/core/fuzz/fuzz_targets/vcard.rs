//! Any bytes read as VCard: the importer returns records or an error, and never panics.
#![no_main]

use kith_core::import::{self, Collected, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = import::detect(bytes);
    let _ = import::parse(bytes, Format::VCard, None, &mut Collected::default());
});
