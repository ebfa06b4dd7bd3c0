//! Contacts as CSV, one row each, for spreadsheets. Several emails, phones, links or tags
//! share a cell joined by " ::: " (as Google does), which Kith's own CSV import splits again.
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and names
//! in a LinkedIn export are chosen by other people (CWE-1236): such a cell is written with a
//! leading `'`, which spreadsheets show as text and Kith's CSV import takes off again.

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

/// The characters that make a spreadsheet read a cell as a formula (a tab or carriage
/// return first also does in some).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a spreadsheet will show it, never run it.
fn escaped(text: String) -> String {
    if text.starts_with(FORMULA_START) {
        format!("'{text}")
    } else {
        text
    }
}

/// A cell as Kith wrote it, without the `'` that kept it from being a formula.
pub fn unescaped(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

fn failed(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Write {
            what: "the CSV",
            source,
        },
        other => Error::Internal(format!("cannot write the CSV: {other:?}")),
    }
}

/// Writes contacts as CSV rows to `out` one at a time (the header first), so a network of
/// any size is written in little memory.
pub struct Writer<W: std::io::Write> {
    out: csv::Writer<W>,
}

impl<W: std::io::Write> Writer<W> {
    /// Starts the file with its header row.
    pub fn new(out: W) -> Result<Self> {
        let mut out = csv::Writer::from_writer(out);
        out.write_record(HEADER).map_err(failed)?;
        Ok(Writer { out })
    }

    /// Writes the row of `c`.
    pub fn contact(&mut self, c: &Contact) -> Result<()> {
        let day = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        self.out
            .write_record(
                [
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
                ]
                .map(escaped),
            )
            .map_err(failed)
    }

    /// Writes out what is still buffered.
    pub fn finish(mut self) -> Result<()> {
        self.out.flush().map_err(|source| Error::Write {
            what: "the CSV",
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text_and_read_back_as_it_was() {
        for (value, written) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"Click\")",
                "'=HYPERLINK",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM"),
            ("\t=1", "'\t=1"),
            ("+44 7700 900123", "'+44 7700 900123"),
        ] {
            let out = escaped(value.to_owned());
            assert!(out.starts_with(written), "{value:?} → {out:?}");
            assert_eq!(unescaped(&out), value);
        }
        for plain in ["Priya Raman", "'quoted' on purpose", "", "O'Brien", "a=b"] {
            assert_eq!(escaped(plain.to_owned()), plain);
            assert_eq!(unescaped(plain), plain);
        }
    }
}
