//! Writing the network out: vCard 4.0 and CSV (the contacts, for other address books and
//! spreadsheets) and iCalendar (upcoming reminders and follow-ups, for a calendar). One file
//! per format; each takes plain data the store loaded, one contact at a time for vCard and
//! CSV (a network of any size is written in little memory). The full JSON backup lives
//! beside the store (`store/json_backup.rs`): it is the database, not a view.

pub mod csv;
pub mod ics;
pub mod vcard;

use serde::{Deserialize, Serialize};

/// The formats `kith export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Vcf,
    Csv,
    Json,
    Ics,
}

impl ExportFormat {
    pub fn parse(name: &str) -> Option<ExportFormat> {
        match name.to_ascii_lowercase().as_str() {
            "vcf" | "vcard" => Some(ExportFormat::Vcf),
            "csv" => Some(ExportFormat::Csv),
            "json" => Some(ExportFormat::Json),
            "ics" | "ical" => Some(ExportFormat::Ics),
            _ => None,
        }
    }
}
