use chrono::TimeZone;

use super::*;

/// Midnight (UTC, the zone until one is set) starting the day `days` after now: when a
/// contact added or touched now is due.
fn midnight_after(days: i64) -> DateTime<Utc> {
    crate::calendar::local_midnight(
        chrono_tz::UTC,
        (now() + chrono::Duration::days(days)).date_naive(),
    )
}
use crate::model::{Birthday, Channel, Circle};
use crate::store::tests::{count, temp_store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
}

use crate::import::labeled as lv;

fn priya() -> ContactInput {
    ContactInput {
        display_name: "Priya Raman".into(),
        emails: vec![
            lv("work", "priya@acme.example"),
            lv("home", "priya.r@mail.example"),
        ],
        phones: vec![lv("mobile", "+44 7700 900123")],
        company: Some("Acme".into()),
        role: Some("Product lead".into()),
        notes: Some("Recommended “The Mom Test”.\nLikes long walks.".into()),
        ..ContactInput::default()
    }
}

#[test]
fn add_get_and_list_round_trip() {
    let (_dir, mut store) = temp_store();
    let added = store.add_contact(priya(), now()).unwrap();
    assert!(added.id > 0);
    assert_eq!(added.display_name, "Priya Raman");
    assert_eq!(added.emails, priya().emails);
    assert_eq!(added.phones, priya().phones);
    assert_eq!(added.notes, priya().notes);
    assert_eq!(added.created_at, now());
    assert_eq!(added.updated_at, now());
    assert_eq!(added.archived_at, None);

    assert_eq!(store.get_contact(added.id).unwrap(), added);

    let list = store.list_contacts(now()).unwrap();
    assert_eq!(
        list,
        vec![ContactSummary {
            id: added.id,
            display_name: "Priya Raman".into(),
            company: Some("Acme".into()),
            role: Some("Product lead".into()),
            primary_email: Some("priya@acme.example".into()),
            primary_phone: Some("+44 7700 900123".into()),
            circle: Circle::Network,
            last_touch_at: None,
            next_due_at: Some(midnight_after(90)),
            due: crate::cadence::DueState::Upcoming,
        }]
    );
}

#[test]
fn list_is_sorted_by_name_ignoring_case() {
    let (_dir, mut store) = temp_store();
    for name in ["bob", "Alice", "Carol", "alice"] {
        store
            .add_contact(
                ContactInput {
                    display_name: name.into(),
                    ..ContactInput::default()
                },
                now(),
            )
            .unwrap();
    }
    let names: Vec<_> = store
        .list_contacts(now())
        .unwrap()
        .into_iter()
        .map(|c| c.display_name)
        .collect();
    assert_eq!(names, ["Alice", "alice", "bob", "Carol"]);
}

#[test]
fn missing_contact_is_not_found() {
    let (_dir, store) = temp_store();
    let err = store.get_contact(42).unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            what: "contact",
            id: 42
        }
    ));
    assert_eq!(err.to_string(), "contact 42 was not found");
}

#[test]
fn invalid_input_leaves_the_database_unchanged() {
    let (_dir, mut store) = temp_store();
    store.add_contact(priya(), now()).unwrap();
    let bad_inputs = [
        ContactInput {
            display_name: "   ".into(),
            ..priya()
        },
        ContactInput {
            display_name: "x".repeat(10_000),
            ..priya()
        },
        ContactInput {
            emails: vec![lv("work", "ok@x.example"), lv("work", "not-an-email")],
            ..priya()
        },
        ContactInput {
            notes: Some("n".repeat(1_000_000)),
            ..priya()
        },
    ];
    for bad in bad_inputs {
        let err = store.add_contact(bad, now()).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Invalid, "{err}");
        assert_eq!(count(&store, "contacts"), 1);
        assert_eq!(count(&store, "contact_emails"), 2);
        assert_eq!(count(&store, "contact_phones"), 1);
    }
}

#[test]
fn a_failed_write_rolls_back_the_whole_contact() {
    let (_dir, mut store) = temp_store();
    // Make the phone insert fail after the contact and its emails were written.
    store
        .conn
        .execute_batch(
            "CREATE TRIGGER refuse_phones BEFORE INSERT ON contact_phones
             BEGIN SELECT RAISE(ABORT, 'disk says no'); END;",
        )
        .unwrap();
    let err = store.add_contact(priya(), now()).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Storage);
    assert_eq!(count(&store, "contacts"), 0);
    assert_eq!(count(&store, "contact_emails"), 0);
}

#[test]
fn reopening_the_file_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut store = Store::open_in(dir.path()).unwrap();
        store.add_contact(priya(), now()).unwrap().id
    };
    let store = Store::open_in(dir.path()).unwrap();
    let again = store.get_contact(id).unwrap();
    assert_eq!(again.display_name, "Priya Raman");
    assert_eq!(again.emails.len(), 2);
    assert_eq!(store.list_contacts(now()).unwrap().len(), 1);
}

#[test]
fn two_stores_on_one_file_see_each_others_writes() {
    let (dir, mut app) = temp_store();
    let mut cli = Store::open_in(dir.path()).unwrap();
    cli.add_contact(priya(), now()).unwrap();
    assert_eq!(app.list_contacts(now()).unwrap().len(), 1);
    app.add_contact(
        ContactInput {
            display_name: "Bob".into(),
            ..ContactInput::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(cli.list_contacts(now()).unwrap().len(), 2);
}

#[test]
fn every_field_round_trips_and_updates_replace_them() {
    let (_dir, mut store) = temp_store();
    let full = ContactInput {
        given_name: Some("Priya".into()),
        family_name: Some("Raman".into()),
        links: vec![lv("LinkedIn", "https://www.linkedin.com/in/priya-raman")],
        location: Some("London".into()),
        time_zone: Some("Europe/London".into()),
        how_we_met: Some("RustConf hallway track".into()),
        tags: vec!["mentor".into(), "Rust".into()],
        circle: Circle::Close,
        cadence_days: Some(21),
        preferred_channel: Some(Channel::Video),
        birthday: Some(Birthday {
            month: 2,
            day: 29,
            year: None,
        }),
        ..priya()
    };
    let added = store.add_contact(full.clone(), now()).unwrap();
    assert_eq!(added.given_name.as_deref(), Some("Priya"));
    assert_eq!(added.links, full.links);
    assert_eq!(added.tags, ["mentor", "Rust"]);
    assert_eq!(added.circle, Circle::Close);
    assert_eq!(added.cadence_days, Some(21));
    assert_eq!(added.effective_cadence_days, Some(21));
    assert_eq!(added.preferred_channel, Some(Channel::Video));
    assert_eq!(added.birthday, full.birthday);
    assert_eq!(added.time_zone.as_deref(), Some("Europe/London"));
    assert_eq!(added.next_due_at, Some(midnight_after(21)));

    let later = now() + chrono::Duration::hours(1);
    let edited = store
        .update_contact(
            added.id,
            ContactInput {
                emails: vec![lv("home", "p@raman.example")],
                tags: vec!["rust".into()],
                cadence_days: None,
                ..full
            },
            later,
        )
        .unwrap();
    assert_eq!(edited.emails, vec![lv("home", "p@raman.example")]);
    assert_eq!(edited.tags, ["Rust"]); // one tag, spelled as first written
    assert_eq!(edited.cadence_days, None);
    assert_eq!(edited.effective_cadence_days, Some(30)); // the close circle's default
    assert_eq!(edited.next_due_at, Some(midnight_after(30)));
    assert_eq!(edited.created_at, now());
    assert_eq!(edited.updated_at, later);
    // The old "mentor" tag is gone with its last contact; "Rust" kept its first spelling.
    let tags: Vec<String> = store
        .conn
        .prepare("SELECT name FROM tags")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(tags, ["Rust"]);
}

#[test]
fn updating_a_missing_contact_is_not_found_and_a_bad_update_changes_nothing() {
    let (_dir, mut store) = temp_store();
    let err = store.update_contact(7, priya(), now()).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    let id = store.add_contact(priya(), now()).unwrap().id;
    let before = store.get_contact(id).unwrap();
    let err = store
        .update_contact(
            id,
            ContactInput {
                time_zone: Some("Atlantis/Capital".into()),
                ..priya()
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("timeZone"));
    assert_eq!(store.get_contact(id).unwrap(), before);
}

#[test]
fn archive_hides_restore_brings_back_and_purge_needs_an_archive_first() {
    let (_dir, mut store) = temp_store();
    let id = store.add_contact(priya(), now()).unwrap().id;
    let err = store.purge_contact(id).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Conflict);

    let archived = store.archive_contact(id, now()).unwrap();
    assert_eq!(archived.archived_at, Some(now()));
    assert!(store.list_contacts(now()).unwrap().is_empty());
    assert_eq!(store.list_archived(now()).unwrap()[0].id, id);

    let restored = store.restore_contact(id, now()).unwrap();
    assert_eq!(restored.archived_at, None);
    assert!(store.list_archived(now()).unwrap().is_empty());
    assert_eq!(restored.emails.len(), 2);
    assert_eq!(store.list_contacts(now()).unwrap().len(), 1);

    store.archive_contact(id, now()).unwrap();
    store.purge_contact(id).unwrap();
    assert_eq!(
        store.get_contact(id).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    assert_eq!(count(&store, "contact_emails"), 0);
    assert_eq!(count(&store, "contact_phones"), 0);
    assert_eq!(
        store.purge_contact(id).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn circle_cadence_settings_move_the_due_dates_that_follow_them() {
    let (_dir, mut store) = temp_store();
    let follows = store
        .add_contact(
            ContactInput {
                circle: Circle::Inner,
                ..priya()
            },
            now(),
        )
        .unwrap()
        .id;
    let own = store
        .add_contact(
            ContactInput {
                circle: Circle::Inner,
                cadence_days: Some(5),
                ..ContactInput {
                    display_name: "Bob".into(),
                    ..ContactInput::default()
                }
            },
            now(),
        )
        .unwrap()
        .id;
    let mut cadences = store.circle_cadences().unwrap();
    assert_eq!(cadences.inner, 14);
    cadences.inner = 7;
    store.set_circle_cadences(cadences).unwrap();
    assert_eq!(store.circle_cadences().unwrap().inner, 7);
    let f = store.get_contact(follows).unwrap();
    assert_eq!(f.effective_cadence_days, Some(7));
    assert_eq!(f.next_due_at, Some(midnight_after(7)));
    let o = store.get_contact(own).unwrap();
    assert_eq!(o.next_due_at, Some(midnight_after(5)));

    cadences.close = 0;
    let err = store.set_circle_cadences(cadences).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Invalid);
    assert_eq!(store.circle_cadences().unwrap().close, 30);
}
