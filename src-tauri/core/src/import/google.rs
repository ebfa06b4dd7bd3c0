//! Google Contacts' CSV export, in both header generations: the current one ("First Name",
//! "Organization Name", "Labels", "E-mail 1 - Label") and the older "Google CSV" ("Name",
//! "Given Name", "Group Membership", "E-mail 1 - Type", "Organization 1 - Name"). Its quirks:
//! several values in one cell joined by " ::: ", system labels marked "* " ("* myContacts",
//! "* starred"), birthdays without a year as "--MM-DD", multi-line notes, and photo URLs
//! (never fetched: Kith makes no network requests).

use std::collections::HashMap;

use super::linkedin::csv_error;
use super::{birthday, cell, emit, full_name, labeled, values, Collected, Record};
use crate::model::{ContactInput, LabeledValue};
use crate::vcard::link_label;
use crate::{Error, Result};

/// Whether a header row (the first line of `text`) is Google's.
pub(crate) fn is_google(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    first.contains("E-mail 1 - Value")
        || first.contains("Group Membership")
        || (first.contains("Labels") && first.contains("Organization Name"))
}

/// A label as Google writes it, without the system mark: "* Work" → "work".
fn label(text: &str) -> String {
    text.trim()
        .trim_start_matches("* ")
        .trim_start_matches('*')
        .trim()
        .to_lowercase()
}

pub fn parse(text: &str, sink: &mut Collected) -> Result<()> {
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records();
    let header = match rows.next() {
        Some(row) => row.map_err(csv_error)?,
        None => return Err(Error::parse(None, "The file is empty.")),
    };
    let index: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    let col = |name: &str| index.get(&name.to_lowercase()).copied();
    // Numbered groups: "E-mail 1 - Value", "E-mail 2 - Value", …
    let numbered = |what: &str| -> Vec<(Option<usize>, usize)> {
        (1..)
            .map_while(|n| {
                let value = col(&format!("{what} {n} - Value"))?;
                let label = col(&format!("{what} {n} - Label"))
                    .or_else(|| col(&format!("{what} {n} - Type")));
                Some((label, value))
            })
            .collect()
    };
    let emails = numbered("E-mail");
    let phones = numbered("Phone");
    let websites = numbered("Website");
    let first = |names: &[&str]| names.iter().find_map(|n| col(n));
    let name = col("Name");
    let given = first(&["First Name", "Given Name"]);
    let middle = first(&["Middle Name", "Additional Name"]);
    let family = first(&["Last Name", "Family Name"]);
    let nickname = col("Nickname");
    let company = first(&["Organization Name", "Organization 1 - Name"]);
    let role = first(&["Organization Title", "Organization 1 - Title"]);
    let city = col("Address 1 - City");
    let country = col("Address 1 - Country");
    let location = col("Location");
    let bday = col("Birthday");
    let notes = col("Notes");
    let labels = first(&["Labels", "Group Membership"]);
    if given.is_none() && name.is_none() && emails.is_empty() {
        return Err(Error::parse(
            Some(1),
            "This CSV has no name or e-mail columns Google Contacts would write.",
        ));
    }

    for row in rows {
        let row = row.map_err(csv_error)?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = row.position().map(|p| p.line()).unwrap_or_default();
        let get = |i: Option<usize>| i.and_then(|i| row.get(i)).and_then(cell);
        let list = |groups: &[(Option<usize>, usize)]| -> Vec<LabeledValue> {
            groups
                .iter()
                .flat_map(|(l, v)| {
                    let l = get(*l).map(|l| label(&l)).unwrap_or_default();
                    let v = get(Some(*v)).unwrap_or_default();
                    values(&v).map(|v| labeled(&l, v)).collect::<Vec<_>>()
                })
                .collect()
        };
        let mut warnings = Vec::new();
        let given_name = get(given);
        let family_name = get(family);
        let display_name = get(name)
            .unwrap_or_else(|| {
                let given = [given_name.clone(), get(middle)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                full_name(Some(&given), family_name.as_deref())
            })
            .trim()
            .to_owned();
        let display_name = if display_name.is_empty() {
            get(nickname).unwrap_or_default()
        } else {
            display_name
        };
        let location = get(location).or_else(|| match (get(city), get(country)) {
            (Some(city), Some(country)) => Some(format!("{city}, {country}")),
            (city, country) => city.or(country),
        });
        let birthday = get(bday).and_then(|text| {
            let b = birthday(&text);
            if b.is_none() {
                warnings.push(format!("“{text}” is not a birthday: left out."));
            }
            b
        });
        let links = list(&websites)
            .into_iter()
            .map(|mut l| {
                if l.label.is_empty() || l.label == "profile" || l.label == "other" {
                    l.label = link_label(&l.value).to_owned();
                }
                l
            })
            .collect();
        let contact = ContactInput {
            display_name,
            given_name,
            family_name,
            emails: list(&emails),
            phones: list(&phones),
            links,
            company: get(company),
            role: get(role),
            location,
            notes: get(notes),
            tags: get(labels)
                .map(|l| {
                    values(&l)
                        .filter(|t| !t.starts_with('*'))
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            birthday,
            ..ContactInput::default()
        };
        emit(
            sink,
            Record {
                at: format!("line {line}"),
                contact,
                connected_on: None,
                warnings,
            },
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{collect, fixture, named};
    use super::super::Format;
    use crate::model::Birthday;

    #[test]
    fn reads_the_current_google_export() {
        let c = collect(&fixture("google.csv"), Format::GoogleCsv);
        assert_eq!(c.records.len(), 2, "{c:#?}");
        let ana = named(&c, "Ana Maria Costa");
        let emails: Vec<(&str, &str)> = ana
            .contact
            .emails
            .iter()
            .map(|e| (e.label.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            emails,
            vec![
                ("work", "ana@work.example"),
                ("work", "ana.costa@work.example"),
                ("home", "ana@home.example")
            ]
        );
        assert_eq!(ana.contact.phones[0].label, "mobile");
        assert_eq!(ana.contact.tags, vec!["Book club", "Former colleagues"]);
        assert_eq!(
            ana.contact.birthday,
            Some(Birthday {
                month: 4,
                day: 15,
                year: None
            })
        );
        assert_eq!(
            ana.contact.notes.as_deref(),
            Some("Met at the Lisbon meetup.\nLikes \"hard\" problems, chess.")
        );
        assert_eq!(ana.contact.location.as_deref(), Some("Lisbon, Portugal"));
        assert_eq!(ana.contact.company.as_deref(), Some("Acme"));
        assert_eq!(ana.contact.role.as_deref(), Some("Engineer"));
        assert_eq!(ana.contact.links[0].label, "LinkedIn");
        let rui = named(&c, "Rui");
        assert_eq!(
            rui.contact.birthday.and_then(|b| b.year),
            Some(1985),
            "{rui:?}"
        );
        assert!(rui.contact.tags.is_empty(), "system labels are not tags");
    }

    #[test]
    fn reads_the_older_google_csv() {
        let c = collect(&fixture("google-legacy.csv"), Format::GoogleCsv);
        assert_eq!(c.records.len(), 2, "{c:#?}");
        let b = named(&c, "Bea Santos");
        assert_eq!(b.contact.company.as_deref(), Some("Initech"));
        assert_eq!(b.contact.role.as_deref(), Some("PM"));
        assert_eq!(b.contact.emails[0].label, "other");
        assert_eq!(b.contact.tags, vec!["Friends"]);
        named(&c, "Carl Jung");
    }
}
