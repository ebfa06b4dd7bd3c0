use std::collections::BTreeSet;

use super::*;
use crate::model::LabeledValue;

/// A contact with every field filled, none at its default.
fn everything() -> ContactInput {
    let lv = |v: &str| LabeledValue {
        label: "work".into(),
        value: v.into(),
    };
    ContactInput {
        display_name: "Priya Raman".into(),
        given_name: Some("Priya".into()),
        family_name: Some("Raman".into()),
        emails: vec![lv("priya@acme.example")],
        phones: vec![lv("+44 7700 900123")],
        links: vec![lv("https://www.linkedin.com/in/priya-raman")],
        company: Some("Acme".into()),
        role: Some("CTO".into()),
        location: Some("Lisbon".into()),
        time_zone: Some("Europe/Lisbon".into()),
        how_we_met: Some("RustConf hallway track".into()),
        notes: Some("Two children.\nLoves climbing.".into()),
        tags: vec!["Rust".into()],
        circle: Circle::Inner,
        cadence_days: Some(21),
        preferred_channel: Some(Channel::InPerson),
        birthday: Some(Birthday {
            month: 2,
            day: 29,
            year: Some(1988),
        }),
    }
}

#[test]
fn every_field_goes_back_in_from_its_text() {
    let full = everything();
    let mut rebuilt = ContactInput {
        emails: full.emails.clone(),
        phones: full.phones.clone(),
        links: full.links.clone(),
        tags: full.tags.clone(),
        ..ContactInput::default()
    };
    let mut copied = rebuilt.clone();
    for f in ContactField::ALL {
        let text = f.value(&full).unwrap_or_else(|| panic!("{f} is empty"));
        assert_ne!(
            f.value(&rebuilt),
            Some(text.clone()),
            "{f} must differ before it is set"
        );
        f.set(&mut rebuilt, &text).unwrap();
        assert_eq!(f.value(&rebuilt), Some(text), "{f}");
        f.copy(&mut copied, &full);
    }
    assert_eq!(rebuilt, full);
    assert_eq!(copied, full);
}

#[test]
fn an_empty_text_empties_an_optional_field() {
    for f in ContactField::ALL {
        let mut c = everything();
        match f {
            ContactField::DisplayName => {
                f.set(&mut c, "").unwrap();
                assert_eq!(c.display_name, "");
            }
            // A circle is never empty.
            ContactField::Circle => assert!(f.set(&mut c, "").is_err()),
            _ => {
                f.set(&mut c, "").unwrap();
                assert_eq!(f.value(&c), None, "{f}");
            }
        }
    }
}

#[test]
fn a_text_that_is_not_the_fields_value_is_refused() {
    let mut c = everything();
    assert!(ContactField::Circle.set(&mut c, "best friends").is_err());
    assert!(ContactField::Birthday.set(&mut c, "tomorrow").is_err());
    assert!(ContactField::CadenceDays.set(&mut c, "often").is_err());
    assert!(ContactField::PreferredChannel
        .set(&mut c, "pigeon")
        .is_err());
    assert_eq!(c, everything(), "nothing changed");
}

#[test]
fn a_birthday_is_shown_in_words_and_kept_in_its_stored_form() {
    let c = everything();
    let f = ContactField::Birthday;
    assert_eq!(f.value(&c).as_deref(), Some("1988-02-29"));
    assert_eq!(f.shown(&c).as_deref(), Some("29 February 1988"));
    assert_eq!(
        ContactField::Company.shown(&c),
        ContactField::Company.value(&c)
    );
}

/// Fails when a single-valued field is added to `ContactInput` without its `ContactField`.
#[test]
fn every_single_valued_field_of_a_contact_is_in_the_table() {
    let json = serde_json::to_value(everything()).unwrap();
    let scalars: BTreeSet<&str> = json
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_array())
        .map(|(k, _)| k.as_str())
        .collect();
    let fields: BTreeSet<&str> = ContactField::ALL.iter().map(|f| f.as_str()).collect();
    assert_eq!(scalars, fields);
    assert_eq!(fields.len(), ContactField::ALL.len(), "each field once");
    for f in ContactField::ALL {
        assert_eq!(serde_json::to_value(f).unwrap(), f.as_str(), "serde name");
        assert_eq!(f.to_string(), f.as_str());
    }
}

#[test]
fn the_settings_are_circle_cadence_and_channel() {
    let settings: Vec<ContactField> = ContactField::ALL
        .into_iter()
        .filter(|f| f.is_setting())
        .collect();
    assert_eq!(
        settings,
        [
            ContactField::Circle,
            ContactField::CadenceDays,
            ContactField::PreferredChannel
        ]
    );
}

/// The labels as a TypeScript module beside the generated types (`fieldLabels.ts`).
#[test]
fn export_field_labels() {
    let labels: BTreeSet<&str> = ContactField::ALL.iter().map(|f| f.label()).collect();
    assert_eq!(labels.len(), ContactField::ALL.len(), "each label once");
    let rows: Vec<(String, &str)> = ContactField::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), f.label()))
        .collect();
    crate::testing::write_labels_binding(
        "fieldLabels.ts",
        "ContactField",
        "fieldLabels",
        "Each field of a contact in words, as the window says it (\"how you met\").",
        &rows,
    );
}

/// The conflict log stores a field by these names since sync began: they never change.
#[test]
fn a_field_is_stored_by_the_name_kept_conflicts_already_have() {
    let names = [
        "displayName",
        "givenName",
        "familyName",
        "company",
        "role",
        "location",
        "timeZone",
        "birthday",
        "howWeMet",
        "notes",
        "circle",
        "cadenceDays",
        "preferredChannel",
    ];
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    for name in names {
        let read: ContactField = conn.query_row("SELECT ?1", [name], |r| r.get(0)).unwrap();
        assert_eq!(read.as_str(), name);
        let written: String = conn.query_row("SELECT ?1", [read], |r| r.get(0)).unwrap();
        assert_eq!(written, name, "written back by the same name");
    }
    let unknown = conn.query_row("SELECT 'favouriteColour'", [], |r| {
        r.get::<_, ContactField>(0)
    });
    assert!(unknown.is_err());
    assert_eq!(names.len(), ContactField::ALL.len());
}
