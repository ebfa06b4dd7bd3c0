//! vCard 2.1 (as Outlook writes it), 3.0 (Apple Contacts, Google) and 4.0, read with the
//! calcard parser, which handles folded lines, CRLF or LF, QUOTED-PRINTABLE with a CHARSET,
//! escaped commas, semicolons and newlines, and year-less dates. This file adds what the
//! exporters do beyond the RFCs: a fold that splits a UTF-8 character (unfolded as bytes
//! before decoding), Apple's grouped labels (item1.EMAIL + item1.X-ABLabel) and year-less
//! birthdays (1604 with X-APPLE-OMIT-YEAR), and groups (KIND:group or Apple's
//! X-ADDRESSBOOKSERVER-KIND), whose name becomes a tag of their members. Photos are dropped.

use calcard::vcard::{VCard, VCardKind, VCardProperty, VCardValue};
use calcard::{Entry, Parser};

use super::{cell, emit, full_name, labeled, not_utf8, Collected, Record, Skipped};
use crate::model::{Channel, Circle, ContactInput, LabeledValue};
use crate::vcard::{
    birthday_of, first_text, is_other, kith, label_of, link_label, texts, CADENCE, CHANNEL, CIRCLE,
    HOW_WE_MET,
};
use crate::{Error, Result};

/// What one card turned out to be.
enum Card {
    Person {
        record: Box<Record>,
        uid: Option<String>,
    },
    Group {
        name: String,
        members: Vec<String>,
    },
    Other {
        name: Option<String>,
        what: &'static str,
    },
}

pub fn parse(bytes: &[u8], sink: &mut Collected) -> Result<()> {
    let text = decode(bytes)?;
    check_ends(&text)?;
    let mut parser = Parser::new(&text);
    let mut cards: Vec<(String, Card)> = Vec::new();
    loop {
        let n = cards.len() + 1;
        match parser.entry() {
            Entry::VCard(card) => cards.push((format!("card {n}"), read(&card, n))),
            Entry::Eof => break,
            Entry::InvalidLine(line) if line.trim().is_empty() => {}
            Entry::InvalidLine(line) => {
                let shown: String = line.chars().take(40).collect();
                return Err(Error::parse(
                    None,
                    format!("“{shown}” (before card {n}) is not part of a vCard."),
                ));
            }
            Entry::ICalendar(_) => {
                return Err(Error::parse(
                    None,
                    "This is a calendar, not contacts: import a vCard or CSV file.",
                ))
            }
            Entry::UnterminatedComponent(_) | Entry::UnexpectedComponentEnd { .. } => {
                return Err(Error::parse(
                    None,
                    format!(
                        "Card {n} has no END:VCARD: the file may be cut short. Export it again."
                    ),
                ))
            }
            Entry::TooManyComponents => {
                return Err(Error::parse(
                    None,
                    format!("Card {n} is nested too deeply."),
                ))
            }
            _ => {
                return Err(Error::parse(
                    None,
                    format!("Card {n} cannot be read as a vCard."),
                ))
            }
        }
    }
    if cards.is_empty() {
        return Err(Error::parse(None, "The file holds no contact cards."));
    }

    // A group's name becomes a tag of each member (members are named by UID).
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (_, card) in &cards {
        if let Card::Group { name, members } = card {
            groups.push((name.clone(), members.clone()));
        }
    }
    let mut tagged = vec![0usize; groups.len()];
    for (at, card) in cards {
        match card {
            Card::Person { mut record, uid } => {
                if let Some(uid) = uid {
                    for (i, (name, members)) in groups.iter().enumerate() {
                        if members.contains(&uid) {
                            record.contact.tags.push(name.clone());
                            tagged[i] += 1;
                        }
                    }
                }
                emit(sink, *record);
            }
            Card::Group { name, .. } => {
                let i = groups.iter().position(|(n, _)| *n == name).unwrap_or(0);
                let members = tagged.get(i).copied().unwrap_or(0);
                sink.skip(Skipped {
                    at,
                    name: Some(name),
                    reason: format!(
                        "A group, not a person: its name became a tag of its {members} \
                         member{} in this file.",
                        if members == 1 { "" } else { "s" }
                    ),
                })
            }
            Card::Other { name, what } => sink.skip(Skipped {
                at,
                name,
                reason: format!("A card for {what}, not a person."),
            }),
        }
    }
    Ok(())
}

/// One card as a person Kith keeps, with its UID as written (`None` for a group, a place or
/// another kind of card): how sync reads a server's copy.
pub(crate) fn person(card: &VCard) -> Option<(ContactInput, Option<String>)> {
    match read(card, 1) {
        Card::Person { record, uid } => Some((record.contact, uid)),
        _ => None,
    }
}

/// The file as text. Some exporters fold lines inside a multi-byte character; joining the
/// folds as bytes first makes such a file valid UTF-8 again.
fn decode(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let mut unfolded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let fold = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'\r', Some(b'\n'), Some(b' ' | b'\t')) => 3,
            (b'\n', Some(b' ' | b'\t'), _) => 2,
            _ => 0,
        };
        if fold > 0 {
            i += fold;
        } else {
            unfolded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(unfolded).map_err(|_| not_utf8())
}

/// Every BEGIN:VCARD has its END:VCARD (the parser forgives a missing one; an import must
/// not: a file cut short would lose the end of its last card silently).
fn check_ends(text: &str) -> Result<()> {
    let mut open = 0usize;
    let mut cards = 0usize;
    for line in text.lines() {
        let line = line.trim();
        if line.eq_ignore_ascii_case("BEGIN:VCARD") {
            if open > 0 {
                break;
            }
            open += 1;
            cards += 1;
        } else if line.eq_ignore_ascii_case("END:VCARD") {
            open = open.saturating_sub(1);
        }
    }
    if open > 0 {
        return Err(Error::parse(
            None,
            format!("Card {cards} has no END:VCARD: the file may be cut short. Export it again."),
        ));
    }
    Ok(())
}

fn uid(text: &str) -> String {
    let text = text.trim();
    text.strip_prefix("urn:uuid:")
        .unwrap_or(text)
        .to_lowercase()
}

fn read(card: &VCard, n: usize) -> Card {
    let props = |p: VCardProperty| card.entries.iter().filter(move |e| e.name == p);
    let one = |p: VCardProperty| props(p).find_map(first_text);
    let fn_name = one(VCardProperty::Fn);
    let kind = props(VCardProperty::Kind)
        .flat_map(|e| e.values.iter())
        .find_map(|v| match v {
            VCardValue::Kind(k) => Some(*k),
            _ => None,
        });
    let apple_group = card
        .entries
        .iter()
        .filter(|e| is_other(e, "X-ADDRESSBOOKSERVER-KIND"))
        .filter_map(first_text)
        .any(|k| k.eq_ignore_ascii_case("group"));
    if kind == Some(VCardKind::Group) || apple_group {
        let members = card
            .entries
            .iter()
            .filter(|e| {
                e.name == VCardProperty::Member || is_other(e, "X-ADDRESSBOOKSERVER-MEMBER")
            })
            .filter_map(first_text)
            .map(|m| uid(&m))
            .collect();
        return Card::Group {
            name: fn_name.unwrap_or_else(|| format!("Group {n}")),
            members,
        };
    }
    if let Some(what) = match kind {
        Some(VCardKind::Location) => Some("a place"),
        Some(VCardKind::Application) => Some("an application"),
        Some(VCardKind::Device) => Some("a device"),
        _ => None,
    } {
        return Card::Other {
            name: fn_name,
            what,
        };
    }

    let mut warnings = Vec::new();
    let n_parts = props(VCardProperty::N)
        .next()
        .map(texts)
        .unwrap_or_default();
    let family = n_parts.first().and_then(|t| cell(t));
    let given = n_parts.get(1).and_then(|t| cell(t));
    let org = props(VCardProperty::Org)
        .next()
        .map(texts)
        .unwrap_or_default();
    let company = org.first().and_then(|t| cell(t));
    let display_name = fn_name
        .or_else(|| cell(&full_name(given.as_deref(), family.as_deref())))
        .or_else(|| one(VCardProperty::Nickname))
        .or_else(|| company.clone())
        .unwrap_or_default();

    let list = |p: VCardProperty| -> Vec<LabeledValue> {
        props(p)
            .filter_map(|e| first_text(e).map(|v| labeled(&label_of(card, e), &v)))
            .collect()
    };
    let mut links: Vec<LabeledValue> = list(VCardProperty::Url);
    links.extend(
        card.entries
            .iter()
            .filter(|e| e.name == VCardProperty::Socialprofile || is_other(e, "X-SOCIALPROFILE"))
            .filter_map(|e| first_text(e).map(|v| labeled(&label_of(card, e), &v))),
    );
    for link in &mut links {
        let from_address = link_label(&link.value);
        if link.label.is_empty() || from_address != "website" || link.label == "homepage" {
            link.label = from_address.to_owned();
        }
    }
    // Apple writes social profiles it cannot link as "x-apple:handle": not a link.
    links.retain(|l| !l.value.to_ascii_lowercase().starts_with("x-apple:"));

    let location = props(VCardProperty::Adr).next().and_then(|e| {
        let parts = texts(e);
        let place = [parts.get(3), parts.get(6)]
            .into_iter()
            .flatten()
            .filter_map(|p| cell(p))
            .collect::<Vec<_>>()
            .join(", ");
        cell(&place)
    });
    let birthday = props(VCardProperty::Bday).next().and_then(|e| {
        let b = birthday_of(e).or_else(|| {
            e.values.iter().find_map(|v| match v {
                VCardValue::Text(t) => super::birthday(t),
                _ => None,
            })
        });
        if b.is_none() {
            warnings.push("The birthday is not a date Kith can read: left out.".to_owned());
        }
        b
    });
    let time_zone = one(VCardProperty::Tz);
    if time_zone.is_none() && props(VCardProperty::Tz).next().is_some() {
        warnings.push(
            "The time zone is a UTC offset, which daylight saving changes: left out (choose \
             the place instead)."
                .to_owned(),
        );
    }
    // Kith's own properties, from a vCard Kith exported.
    let kith = |name: &str| kith(card, name);
    let notes: Vec<String> = props(VCardProperty::Note).filter_map(first_text).collect();
    let contact = ContactInput {
        display_name,
        given_name: given,
        family_name: family,
        emails: list(VCardProperty::Email),
        phones: list(VCardProperty::Tel),
        links,
        company,
        role: one(VCardProperty::Title).or_else(|| one(VCardProperty::Role)),
        location,
        time_zone,
        notes: (!notes.is_empty()).then(|| notes.join("\n\n")),
        tags: props(VCardProperty::Categories)
            .flat_map(texts)
            .filter_map(|t| cell(&t))
            .collect(),
        birthday,
        circle: kith(CIRCLE)
            .and_then(|c| Circle::parse(&c))
            .unwrap_or_default(),
        cadence_days: kith(CADENCE).and_then(|d| d.parse().ok()),
        preferred_channel: kith(CHANNEL).and_then(|c| Channel::parse(&c)),
        how_we_met: kith(HOW_WE_MET),
    };
    Card::Person {
        record: Box::new(Record {
            at: format!("card {n}"),
            contact,
            connected_on: None,
            warnings,
        }),
        uid: one(VCardProperty::Uid).map(|u| uid(&u)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{collect, fixture, named};
    use super::super::{Collected, Format};
    use crate::model::Birthday;

    fn labels(values: &[crate::model::LabeledValue]) -> Vec<(&str, &str)> {
        values
            .iter()
            .map(|v| (v.label.as_str(), v.value.as_str()))
            .collect()
    }

    #[test]
    fn reads_an_apple_contacts_export() {
        let c = collect(&fixture("apple.vcf"), Format::VCard);
        let priya = named(&c, "Priya Raman");
        assert_eq!(
            labels(&priya.contact.emails),
            vec![
                ("work", "priya@acme.example"),
                ("conference", "priya.talks@example.org")
            ]
        );
        assert_eq!(
            labels(&priya.contact.phones),
            vec![("mobile", "+44 7700 900123")]
        );
        assert_eq!(
            priya.contact.birthday,
            Some(Birthday {
                month: 3,
                day: 15,
                year: None
            }),
            "1604 with X-APPLE-OMIT-YEAR means no year"
        );
        assert_eq!(
            priya.contact.notes.as_deref(),
            Some("Met at RustConf, said \"hi\"; loves\nbooks about systems and their people")
        );
        assert_eq!(
            priya.contact.tags,
            vec!["Rust", "Mentors, old", "Book club"]
        );
        assert_eq!(priya.contact.time_zone.as_deref(), Some("Europe/London"));
        assert_eq!(priya.contact.company.as_deref(), Some("Acme Inc."));
        assert_eq!(priya.contact.role.as_deref(), Some("Head of DevRel"));
        assert_eq!(
            priya.contact.location.as_deref(),
            Some("London, United Kingdom")
        );
        assert_eq!(
            labels(&priya.contact.links),
            vec![
                ("website", "https://priya.example"),
                ("LinkedIn", "https://www.linkedin.com/in/priya-raman-1a2b3c")
            ]
        );
        // The photo of the second card is dropped without harm.
        let jonas = named(&c, "Jonas Berg");
        assert_eq!(
            jonas.contact.birthday,
            Some(Birthday {
                month: 11,
                day: 2,
                year: Some(1988)
            })
        );
        assert_eq!(jonas.contact.tags, vec!["Book club"]);
        // The group is reported, its name a tag of both members.
        assert_eq!(c.records.len(), 2, "{c:#?}");
        assert_eq!(c.skipped.len(), 1);
        assert!(
            c.skipped[0].reason.contains("tag of its 2 members"),
            "{c:?}"
        );
    }

    #[test]
    fn reads_outlook_vcard_2_1_with_quoted_printable() {
        let c = collect(&fixture("outlook-2.1.vcf"), Format::VCard);
        let j = named(&c, "Jürgen Müller");
        assert_eq!(j.contact.given_name.as_deref(), Some("Jürgen"));
        assert_eq!(
            j.contact.notes.as_deref(),
            Some("Erste Zeile\nzweite Zeile, die lang ist und weitergeht")
        );
        assert_eq!(labels(&j.contact.phones), vec![("work", "+49 30 1234567")]);
        assert_eq!(labels(&j.contact.emails), vec![("", "juergen@example.de")]);
        let f = named(&c, "François Lefèvre");
        assert_eq!(f.contact.company.as_deref(), Some("Société Générale"));
    }

    #[test]
    fn reads_vcard_4_with_lf_lines_and_a_fold_inside_a_character() {
        let bytes = fixture("v4.vcf");
        assert!(std::str::from_utf8(&bytes).is_err(), "the fold splits “ő”");
        let c = collect(&bytes, Format::VCard);
        let k = named(&c, "Kenji Watanabe");
        assert_eq!(
            k.contact.birthday,
            Some(Birthday {
                month: 2,
                day: 29,
                year: None
            })
        );
        assert_eq!(k.contact.time_zone.as_deref(), Some("Asia/Tokyo"));
        assert_eq!(
            labels(&k.contact.phones),
            vec![("mobile", "+81-90-1234-5678")]
        );
        let e = named(&c, "Erzsébet Kőrösi");
        assert_eq!(e.contact.company.as_deref(), Some("Kőrösi és Társa"));
        // A company card is a contact; a place is not.
        named(&c, "Globex Corporation");
        assert!(
            c.skipped.iter().any(|s| s.reason.contains("a place")),
            "{c:?}"
        );
        // An offset is not a zone: the contact stays, the zone is left out.
        let g = named(&c, "Globex Corporation");
        assert!(g.warnings.iter().any(|w| w.contains("UTC offset")), "{g:?}");
    }

    #[test]
    fn a_truncated_card_stops_the_import_with_a_reason() {
        let bytes = fixture("apple.vcf");
        let cut = &bytes[..bytes.len() - 40];
        let mut sink = Collected::default();
        let err = super::parse(cut, &mut sink).unwrap_err();
        assert!(err.to_string().contains("no END:VCARD"), "{err}");
    }
}
