//! LinkedIn's Connections.csv (Settings → Data privacy → Get a copy of your data). Its quirks:
//! a "Notes:" preamble of varying length before the header (so the header row is searched
//! for, never skipped by count), a UTF-8 byte-order mark, CRLF lines, quoted fields holding
//! commas and quotes, members who share no email, private members with empty names, and
//! older exports without the URL column and with US dates ("4/15/19") instead of "15 Apr 2024".

use super::{cell, date, emit, full_name, labeled, Collected, Record, Skipped};
use crate::model::{ContactInput, LabeledValue};
use crate::{Error, Result};

/// Where each column is, found by name in the header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Columns {
    first: usize,
    last: usize,
    url: Option<usize>,
    email: Option<usize>,
    company: Option<usize>,
    position: Option<usize>,
    connected_on: usize,
}

impl Columns {
    fn find(row: &csv::StringRecord) -> Option<Columns> {
        let at = |name: &str| row.iter().position(|c| c.trim().eq_ignore_ascii_case(name));
        Some(Columns {
            first: at("First Name")?,
            last: at("Last Name")?,
            url: at("URL").or_else(|| at("Profile URL")),
            email: at("Email Address"),
            company: at("Company"),
            position: at("Position"),
            connected_on: at("Connected On")?,
        })
    }
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// The header row's columns, if `text` (or its start) is a LinkedIn connections export.
pub(crate) fn header_row(text: &str) -> Option<Columns> {
    // The preamble is a few lines; the header comes well within the first 20 rows.
    reader(text)
        .records()
        .take(20)
        .map_while(|r| r.ok())
        .find_map(|row| Columns::find(&row))
}

pub fn parse(text: &str, sink: &mut Collected) -> Result<()> {
    let mut rows = reader(text).into_records();
    let columns =
        loop {
            match rows.next() {
                Some(Ok(row)) => {
                    if let Some(columns) = Columns::find(&row) {
                        break columns;
                    }
                }
                Some(Err(e)) => return Err(csv_error(e)),
                None => return Err(Error::parse(
                    None,
                    "No header row “First Name, Last Name, …, Connected On” was found: this is \
                     not LinkedIn's Connections.csv.",
                )),
            }
        };
    for row in rows {
        let row = row.map_err(csv_error)?;
        let line = row.position().map(|p| p.line()).unwrap_or_default();
        let get = |i: Option<usize>| i.and_then(|i| row.get(i)).and_then(cell);
        let given = get(Some(columns.first));
        let family = get(Some(columns.last));
        let at = format!("line {line}");
        if given.is_none() && family.is_none() {
            // LinkedIn blanks the names of members who hide them from exports.
            if row.iter().any(|c| !c.trim().is_empty()) {
                sink.skip(Skipped {
                    at,
                    name: get(columns.url),
                    reason: "LinkedIn does not share this member's name.".into(),
                });
            }
            continue;
        }
        let mut warnings = Vec::new();
        let connected_on = get(Some(columns.connected_on)).and_then(|text| {
            let d = date(&text);
            if d.is_none() {
                warnings.push(format!(
                    "“{text}” is not a date: the connection date was left out."
                ));
            }
            d
        });
        let contact = ContactInput {
            display_name: full_name(given.as_deref(), family.as_deref()),
            given_name: given,
            family_name: family,
            emails: get(columns.email)
                .map(|e| vec![labeled("", &e)])
                .unwrap_or_default(),
            links: get(columns.url)
                .map(|u| {
                    vec![LabeledValue {
                        label: "LinkedIn".into(),
                        value: u,
                    }]
                })
                .unwrap_or_default(),
            company: get(columns.company),
            role: get(columns.position),
            ..ContactInput::default()
        };
        emit(
            sink,
            Record {
                at,
                contact,
                connected_on,
                warnings,
            },
        );
    }
    Ok(())
}

pub(crate) fn csv_error(e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    Error::parse(line, format!("the file cannot be read as CSV ({e})"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{collect, fixture, named};
    use super::super::Format;
    use chrono::NaiveDate;

    #[test]
    fn reads_a_current_export_with_its_preamble_bom_and_crlf() {
        let bytes = fixture("linkedin.csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the fixture has a BOM");
        assert!(bytes.windows(2).any(|w| w == b"\r\n"), "and CRLF lines");
        let c = collect(&bytes, Format::LinkedIn);
        assert_eq!(c.records.len(), 5, "{c:#?}");

        let priya = named(&c, "Priya Raman");
        assert_eq!(priya.contact.given_name.as_deref(), Some("Priya"));
        assert_eq!(priya.contact.family_name.as_deref(), Some("Raman"));
        assert_eq!(priya.contact.links[0].label, "LinkedIn");
        assert_eq!(
            priya.contact.links[0].value,
            "https://www.linkedin.com/in/priya-raman-1a2b3c"
        );
        assert_eq!(priya.contact.emails[0].value, "priya.raman@example.org");
        assert_eq!(priya.contact.company.as_deref(), Some("Acme, Inc."));
        assert_eq!(
            priya.contact.role.as_deref(),
            Some("Head of \"Developer\" Relations")
        );
        assert_eq!(priya.connected_on, NaiveDate::from_ymd_opt(2024, 3, 15));

        // No email shared: still a contact, with its profile.
        let jonas = named(&c, "Jonas Berg");
        assert!(jonas.contact.emails.is_empty());
        assert_eq!(jonas.connected_on, NaiveDate::from_ymd_opt(2019, 11, 2));

        // Accents and a one-word name.
        named(&c, "Zoë Ångström");
        named(&c, "Marcus");

        // A bad date keeps the contact and says what was left out.
        let kenji = named(&c, "Kenji Watanabe");
        assert_eq!(kenji.connected_on, None);
        assert!(kenji.warnings[0].contains("not a date"), "{kenji:?}");

        // The private member is reported, not imported.
        assert_eq!(c.skipped.len(), 1);
        assert!(c.skipped[0].reason.contains("does not share"));
        assert!(c.skipped[0].at.starts_with("line "));
    }

    #[test]
    fn reads_an_older_export_without_urls_and_with_us_dates() {
        let c = collect(&fixture("linkedin-2019.csv"), Format::LinkedIn);
        assert_eq!(c.records.len(), 3, "{c:#?}");
        let sofia = named(&c, "Sofia Marques");
        assert!(sofia.contact.links.is_empty());
        assert_eq!(sofia.connected_on, NaiveDate::from_ymd_opt(2018, 4, 5));
        let lee = named(&c, "Lee Chang");
        assert_eq!(lee.connected_on, NaiveDate::from_ymd_opt(2017, 12, 31));
    }

    #[test]
    fn a_file_without_the_header_is_refused() {
        let mut sink = super::super::Collected::default();
        let err = super::parse("Notes:\n\"just notes\"\n", &mut sink).unwrap_err();
        assert!(err.to_string().contains("No header row"));
        assert_eq!(sink, super::super::Collected::default());
    }
}
