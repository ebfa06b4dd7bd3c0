//! Any other CSV — a spreadsheet, a CRM's export — read through a [`Mapping`] that says what
//! each column holds. The mapping is guessed from the header row ("E-mail", "Job title",
//! "Organisation"…) and the user corrects it in the import dialog. Commas, semicolons (a
//! European spreadsheet) and tabs all separate columns; the first row is the header.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::linkedin::csv_error;
use super::{birthday, cell, date, emit, full_name, labeled, values, Collected, Record};
use crate::model::{ContactField, ContactInput};
use crate::vcard::link_label;
use crate::{Error, Result};

/// What a column holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Field {
    #[default]
    Ignore,
    Name,
    GivenName,
    FamilyName,
    Email,
    Phone,
    Company,
    Role,
    Location,
    TimeZone,
    Link,
    Birthday,
    Tags,
    Notes,
    HowWeMet,
    ConnectedOn,
}

impl Field {
    /// Every column kind, in the order the import dialog offers them.
    pub const ALL: [Field; 16] = [
        Field::Ignore,
        Field::Name,
        Field::GivenName,
        Field::FamilyName,
        Field::Email,
        Field::Phone,
        Field::Company,
        Field::Role,
        Field::Location,
        Field::TimeZone,
        Field::Link,
        Field::Birthday,
        Field::Tags,
        Field::Notes,
        Field::HowWeMet,
        Field::ConnectedOn,
    ];

    /// The contact's field a column of this kind fills, value for value.
    pub fn contact_field(self) -> Option<ContactField> {
        Some(match self {
            Field::Name => ContactField::DisplayName,
            Field::GivenName => ContactField::GivenName,
            Field::FamilyName => ContactField::FamilyName,
            Field::Company => ContactField::Company,
            Field::Role => ContactField::Role,
            Field::Location => ContactField::Location,
            Field::TimeZone => ContactField::TimeZone,
            Field::Birthday => ContactField::Birthday,
            Field::Notes => ContactField::Notes,
            Field::HowWeMet => ContactField::HowWeMet,
            Field::Ignore
            | Field::Email
            | Field::Phone
            | Field::Link
            | Field::Tags
            | Field::ConnectedOn => return None,
        })
    }

    /// The column kind in words: the contact field's own label where it fills one.
    pub fn label(self) -> &'static str {
        match self {
            Field::Ignore => "— leave out —",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Link => "link",
            Field::Tags => "tags",
            Field::ConnectedOn => "connected on",
            _ => self.contact_field().map_or("", ContactField::label),
        }
    }
}

/// What each column of a CSV holds, in column order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Mapping {
    pub columns: Vec<Field>,
}

/// Header words and the field they name, most specific first.
const NAMES: &[(&str, Field)] = &[
    ("first name", Field::GivenName),
    ("given name", Field::GivenName),
    ("firstname", Field::GivenName),
    ("last name", Field::FamilyName),
    ("family name", Field::FamilyName),
    ("surname", Field::FamilyName),
    ("lastname", Field::FamilyName),
    ("full name", Field::Name),
    ("display name", Field::Name),
    ("name", Field::Name),
    ("e-mail", Field::Email),
    ("email", Field::Email),
    ("mail", Field::Email),
    ("mobile", Field::Phone),
    ("phone", Field::Phone),
    ("telephone", Field::Phone),
    ("tel", Field::Phone),
    ("company", Field::Company),
    ("organization", Field::Company),
    ("organisation", Field::Company),
    ("employer", Field::Company),
    ("job title", Field::Role),
    ("title", Field::Role),
    ("position", Field::Role),
    ("role", Field::Role),
    ("time zone", Field::TimeZone),
    ("timezone", Field::TimeZone),
    ("city", Field::Location),
    ("location", Field::Location),
    ("linkedin", Field::Link),
    ("website", Field::Link),
    ("url", Field::Link),
    ("birthday", Field::Birthday),
    ("date of birth", Field::Birthday),
    ("tags", Field::Tags),
    ("labels", Field::Tags),
    ("groups", Field::Tags),
    ("how we met", Field::HowWeMet),
    ("met at", Field::HowWeMet),
    ("notes", Field::Notes),
    ("note", Field::Notes),
    ("comments", Field::Notes),
    ("connected on", Field::ConnectedOn),
    ("connected", Field::ConnectedOn),
];

/// The field a header names, if any.
fn field_for(header: &str) -> Field {
    let h = header.trim().to_lowercase().replace(['_', '-'], " ");
    let h = h.replace("e mail", "e-mail");
    NAMES
        .iter()
        .find(|(name, _)| h == *name)
        .or_else(|| {
            NAMES
                .iter()
                .find(|(name, _)| h.split(' ').any(|word| word == *name))
        })
        .map(|(_, f)| *f)
        .unwrap_or_default()
}

/// The mapping the header row suggests; a header used twice maps once (the first).
pub fn guess_mapping(headers: &[String]) -> Mapping {
    let mut columns: Vec<Field> = Vec::with_capacity(headers.len());
    for h in headers {
        let f = field_for(h);
        let repeatable = matches!(
            f,
            Field::Email | Field::Phone | Field::Link | Field::Tags | Field::Notes
        );
        columns.push(if !repeatable && columns.contains(&f) {
            Field::Ignore
        } else {
            f
        });
    }
    Mapping { columns }
}

fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes())
}

/// The header row and the mapping it suggests; an error when no column looks like a name or
/// an email (the file then has no header Kith can use without help).
pub fn header_and_guess(text: &str) -> Result<(Vec<String>, Mapping)> {
    let headers = headers(text)?;
    let mapping = guess_mapping(&headers);
    let named = mapping.columns.iter().any(|f| {
        matches!(
            f,
            Field::Name | Field::GivenName | Field::FamilyName | Field::Email
        )
    });
    if !named {
        return Err(Error::parse(
            Some(1),
            "No column of the first row looks like a name or an email: choose what each \
             column holds.",
        ));
    }
    Ok((headers, mapping))
}

/// The first row's cells.
pub fn headers(text: &str) -> Result<Vec<String>> {
    match reader(text).into_records().next() {
        Some(row) => Ok(row
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect()),
        None => Err(Error::parse(None, "The file is empty.")),
    }
}

/// Whether a mapping names enough to import: a column of names, emails or companies.
pub fn is_usable(mapping: &Mapping) -> bool {
    mapping.columns.iter().any(|f| {
        matches!(
            f,
            Field::Name | Field::GivenName | Field::FamilyName | Field::Email | Field::Company
        )
    })
}

/// The first `rows` rows after the header, each cut to 80 characters a cell.
pub fn sample(text: &str, rows: usize) -> Result<Vec<Vec<String>>> {
    reader(text)
        .into_records()
        .skip(1)
        .take(rows)
        .map(|row| {
            Ok(row
                .map_err(csv_error)?
                .iter()
                .map(|c| c.trim().chars().take(80).collect())
                .collect())
        })
        .collect()
}

pub fn parse(text: &str, mapping: &Mapping, sink: &mut Collected) -> Result<()> {
    if !is_usable(mapping) {
        return Err(Error::invalid(
            "mapping",
            "Choose at least one column with names, emails or companies.",
        ));
    }
    for row in reader(text).into_records().skip(1) {
        let row = row.map_err(csv_error)?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = row.position().map(|p| p.line()).unwrap_or_default();
        let mut c = ContactInput::default();
        let mut warnings = Vec::new();
        let mut connected_on = None;
        let mut name = None;
        let mut notes: Vec<String> = Vec::new();
        for (i, text) in row.iter().enumerate() {
            let field = mapping.columns.get(i).copied().unwrap_or_default();
            let Some(text) = cell(crate::export::csv::unescaped(text)) else {
                continue;
            };
            let header_of = || format!("column {}", i + 1);
            match field {
                Field::Ignore => {}
                Field::Name => name = Some(text),
                Field::GivenName => c.given_name = Some(text),
                Field::FamilyName => c.family_name = Some(text),
                Field::Email => c.emails.extend(values(&text).map(|v| labeled("", v))),
                Field::Phone => c.phones.extend(values(&text).map(|v| labeled("", v))),
                Field::Link => c
                    .links
                    .extend(values(&text).map(|v| labeled(link_label(v), v))),
                Field::Company => c.company = Some(text),
                Field::Role => c.role = Some(text),
                Field::Location => c.location = Some(text),
                Field::TimeZone => c.time_zone = Some(text),
                Field::Birthday => match birthday(&text) {
                    Some(b) => c.birthday = Some(b),
                    None => warnings.push(format!(
                        "“{text}” ({}) is not a birthday: left out.",
                        header_of()
                    )),
                },
                // "a ::: b" (as Kith and Google write several values), else "a, b" or "a; b".
                Field::Tags if text.contains(":::") => {
                    c.tags.extend(values(&text).map(str::to_owned))
                }
                Field::Tags => c
                    .tags
                    .extend(text.split([',', ';']).flat_map(values).map(str::to_owned)),
                Field::Notes => notes.push(text),
                Field::HowWeMet => c.how_we_met = Some(text),
                Field::ConnectedOn => match date(&text) {
                    Some(d) => connected_on = Some(d),
                    None => warnings.push(format!(
                        "“{text}” ({}) is not a date: left out.",
                        header_of()
                    )),
                },
            }
        }
        // LinkedIn profile links keep their label; the rest fill in `labeled`'s lower case.
        for link in &mut c.links {
            if link.label == "linkedin" {
                link.label = "LinkedIn".into();
            }
        }
        c.display_name =
            name.unwrap_or_else(|| full_name(c.given_name.as_deref(), c.family_name.as_deref()));
        if !notes.is_empty() {
            c.notes = Some(notes.join("\n\n"));
        }
        emit(
            sink,
            Record {
                at: format!("line {line}"),
                contact: c,
                connected_on,
                warnings,
            },
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{collect, fixture, named};
    use super::super::{Collected, Format};
    use super::*;

    #[test]
    fn each_column_kind_has_its_own_words_and_a_contact_fields_are_that_fields() {
        let labels: std::collections::BTreeSet<&str> =
            Field::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(
            labels.len(),
            Field::ALL.len(),
            "each label once: {labels:?}"
        );
        assert!(!labels.contains(""));
        for f in Field::ALL {
            if let Some(field) = f.contact_field() {
                assert_eq!(f.label(), field.label());
            }
        }
        assert_eq!(Field::HowWeMet.label(), "how you met");
        let rows: Vec<(String, &str)> = Field::ALL
            .iter()
            .map(|f| {
                let key = serde_json::to_value(f).unwrap();
                (key.as_str().unwrap().to_owned(), f.label())
            })
            .collect();
        crate::testing::write_labels_binding(
            "columnLabels.ts",
            "Field",
            "columnLabels",
            "What a CSV column may hold, in words, as the import dialog offers it.",
            &rows,
        );
    }

    #[test]
    fn guesses_what_common_headers_hold() {
        let headers: Vec<String> = [
            "Full Name",
            "E-mail",
            "Mobile phone",
            "Organisation",
            "Job Title",
            "LinkedIn",
            "Birthday",
            "Tags",
            "Notes",
            "Favourite colour",
            "Secondary Email",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            guess_mapping(&headers).columns,
            vec![
                Field::Name,
                Field::Email,
                Field::Phone,
                Field::Company,
                Field::Role,
                Field::Link,
                Field::Birthday,
                Field::Tags,
                Field::Notes,
                Field::Ignore,
                Field::Email,
            ]
        );
    }

    #[test]
    fn reads_a_spreadsheet_export_through_the_guessed_mapping() {
        let c = collect(&fixture("people.csv"), Format::Csv);
        assert_eq!(c.records.len(), 3, "{c:#?}");
        let ines = named(&c, "Inês Duarte");
        assert_eq!(ines.contact.emails.len(), 2);
        assert_eq!(ines.contact.company.as_deref(), Some("Duarte; Filhos"));
        assert_eq!(ines.contact.tags, vec!["lisbon", "design"]);
        assert_eq!(ines.contact.links[0].label, "LinkedIn");
        assert_eq!(
            ines.contact.birthday.map(|b| (b.month, b.day, b.year)),
            Some((7, 1, None))
        );
        assert_eq!(ines.contact.notes.as_deref(), Some("Two lines\nof notes"));
        let tom = named(&c, "Tom Okafor");
        assert!(tom.warnings[0].contains("not a birthday"), "{tom:?}");
        // Only an email: the email names the contact.
        named(&c, "anon@example.com");
        assert_eq!(c.skipped.len(), 1, "{c:#?}");
        assert!(c.skipped[0].reason.contains("no name"));
    }

    #[test]
    fn semicolons_separate_columns_too() {
        let text = "Name;Email;Company\nLena Vogel;lena@example.de;Vogel, Bau & Co\n";
        let mut sink = Collected::default();
        let (_, mapping) = header_and_guess(text).unwrap();
        parse(text, &mapping, &mut sink).unwrap();
        assert_eq!(
            sink.records[0].contact.company.as_deref(),
            Some("Vogel, Bau & Co")
        );
    }

    #[test]
    fn a_header_that_names_nothing_asks_for_a_mapping() {
        let text = "a,b,c\n1,2,3\n";
        let err = header_and_guess(text).unwrap_err();
        assert!(err.to_string().contains("choose what each column holds"));
        let mapping = Mapping {
            columns: vec![Field::Name, Field::Ignore, Field::Notes],
        };
        let mut sink = Collected::default();
        parse(text, &mapping, &mut sink).unwrap();
        assert_eq!(sink.records[0].contact.display_name, "1");
        assert_eq!(sink.records[0].contact.notes.as_deref(), Some("3"));
        let nothing = Mapping {
            columns: vec![Field::Notes],
        };
        assert!(parse(text, &nothing, &mut Collected::default()).is_err());
    }
}
