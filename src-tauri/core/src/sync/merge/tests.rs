use super::*;
use crate::model::{Birthday, Circle};

use crate::import::labeled as v;

fn priya() -> ContactInput {
    ContactInput {
        display_name: "Priya Raman".into(),
        company: Some("Acme".into()),
        role: Some("Engineer".into()),
        emails: vec![v("work", "priya@acme.example")],
        phones: vec![v("mobile", "+351 912 345 678")],
        tags: vec!["rust".into()],
        circle: Circle::Network,
        ..ContactInput::default()
    }
}

#[test]
fn a_field_one_side_changed_takes_that_sides_value() {
    let ancestor = priya();
    let mut local = priya();
    local.role = Some("Staff engineer".into());
    let mut remote = priya();
    remote.company = Some("Globex".into());
    let merged = merge(&ancestor, &local, &remote);
    assert_eq!(merged.contact.role.as_deref(), Some("Staff engineer"));
    assert_eq!(merged.contact.company.as_deref(), Some("Globex"));
    assert!(merged.conflicts.is_empty());
    // Nothing changed anywhere: the same contact.
    assert_eq!(merge(&ancestor, &ancestor, &ancestor).contact, ancestor);
}

#[test]
fn the_same_field_changed_on_both_sides_takes_the_servers_and_keeps_kiths_in_the_log() {
    let ancestor = priya();
    let mut local = priya();
    local.company = Some("Initech".into());
    local.circle = Circle::Close;
    let mut remote = priya();
    remote.company = Some("Globex".into());
    remote.circle = Circle::Inner;
    let merged = merge(&ancestor, &local, &remote);
    assert_eq!(merged.contact.company.as_deref(), Some("Globex"));
    assert_eq!(merged.contact.circle, Circle::Inner);
    assert_eq!(
        merged.conflicts,
        [
            SyncConflict {
                field: ContactField::Company,
                kept: "Initech".into(),
                took: "Globex".into()
            },
            SyncConflict {
                field: ContactField::Circle,
                kept: "close".into(),
                took: "inner".into()
            }
        ]
    );
    // Both sides made the same change: no conflict.
    let merged = merge(&ancestor, &remote, &remote);
    assert!(merged.conflicts.is_empty());
}

#[test]
fn emails_phones_and_tags_join_as_sets() {
    let ancestor = priya();
    let mut local = priya();
    local.emails.push(v("home", "priya@home.example"));
    local.phones.clear(); // Kith removed the phone
    local.tags.push("mentor".into());
    let mut remote = priya();
    remote.emails.push(v("other", "p.raman@globex.example"));
    // The server writes the same phone with other spacing, and drops the tag.
    remote.phones = vec![v("mobile", "+351912345678")];
    remote.tags.clear();
    let merged = merge(&ancestor, &local, &remote).contact;
    let emails: Vec<&str> = merged.emails.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(
        emails,
        [
            "priya@acme.example",
            "p.raman@globex.example",
            "priya@home.example"
        ]
    );
    // The server rewrote the phone (a change), so it stays.
    assert_eq!(merged.phones, [v("mobile", "+351912345678")]);
    assert_eq!(merged.tags, ["mentor"]);
    // Kith removes an email the server left alone; Kith relabels one.
    let mut local = priya();
    local.emails = vec![];
    local.phones = vec![v("work", "+351 912 345 678")];
    let merged = merge(&ancestor, &local, &priya()).contact;
    assert!(merged.emails.is_empty());
    assert_eq!(merged.phones, [v("work", "+351 912 345 678")]);
}

#[test]
fn a_value_from_the_conflict_log_goes_back_into_its_field() {
    use crate::model::{Channel, Circle};
    let ancestor = priya();
    let mine = ContactInput {
        display_name: "Priya R.".into(),
        given_name: None,
        company: Some("Initech".into()),
        notes: Some("Met at RustConf".into()),
        birthday: Some(Birthday {
            month: 2,
            day: 29,
            year: None,
        }),
        circle: Circle::Inner,
        cadence_days: Some(21),
        preferred_channel: Some(Channel::Video),
        ..priya()
    };
    let theirs = ContactInput {
        display_name: "Priya Raman-Shah".into(),
        given_name: Some("Priya".into()),
        company: Some("Globex".into()),
        notes: None,
        birthday: Some(Birthday {
            month: 3,
            day: 1,
            year: Some(1990),
        }),
        circle: Circle::Close,
        cadence_days: None,
        preferred_channel: Some(Channel::Email),
        ..priya()
    };
    let ancestor = ContactInput {
        given_name: Some("P".into()),
        ..ancestor
    };
    let merged = merge(&ancestor, &mine, &theirs);
    // Notes and cadence changed in Kith only: no conflict there.
    assert_eq!(merged.conflicts.len(), 6, "{:?}", merged.conflicts);
    // Every value set aside goes back exactly as it was.
    let mut back = merged.contact.clone();
    for c in &merged.conflicts {
        restore(&mut back, c.field, &c.kept).unwrap();
    }
    assert_eq!(back, mine);
    assert!(restore(&mut back, ContactField::Circle, "best friends").is_err());
    assert!(serde_json::from_str::<ContactField>("\"favouriteColour\"").is_err());
}
