//! Contacts as CSV, one row each, for spreadsheets. Several emails, phones, links or tags
//! share a cell joined by " ::: " (as Google does), which Kith's own CSV import splits again.

use crate::model::{Contact, LabeledValue};
use crate::{Error, Result};

const HEADER: [&str; 18] = [
    "Name",
    "Given name",
    "Family name",
    "Email",
    "Phone",
    "Link",
    "Company",
    "Role",
    "Location",
    "Time zone",
    "Birthday",
    "Tags",
    "Circle",
    "Cadence (days)",
    "Last touch",
    "Next due",
    "How we met",
    "Notes",
];

fn joined(values: &[LabeledValue]) -> String {
    values
        .iter()
        .map(|v| v.value.as_str())
        .collect::<Vec<_>>()
        .join(" ::: ")
}

pub fn write(contacts: &[Contact]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Conflict(format!("cannot write the CSV: {e}"));
    w.write_record(HEADER).map_err(failed)?;
    for c in contacts {
        let day = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        w.write_record([
            c.display_name.clone(),
            c.given_name.clone().unwrap_or_default(),
            c.family_name.clone().unwrap_or_default(),
            joined(&c.emails),
            joined(&c.phones),
            joined(&c.links),
            c.company.clone().unwrap_or_default(),
            c.role.clone().unwrap_or_default(),
            c.location.clone().unwrap_or_default(),
            c.time_zone.clone().unwrap_or_default(),
            c.birthday.map(|b| b.to_db()).unwrap_or_default(),
            c.tags.join(" ::: "),
            c.circle.as_str().to_owned(),
            c.cadence_days.map(|d| d.to_string()).unwrap_or_default(),
            day(c.last_touch_at),
            day(c.next_due_at),
            c.how_we_met.clone().unwrap_or_default(),
            c.notes.clone().unwrap_or_default(),
        ])
        .map_err(failed)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Conflict(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Conflict(format!("cannot write the CSV: {e}")))
}
