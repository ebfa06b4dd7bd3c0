use chrono::{Duration, TimeZone};

use super::*;
use crate::history::FollowUpInput;
use crate::history::{Direction, InteractionKind};
use crate::model::{Circle, ContactInput};
use crate::store::tests::temp_store;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap()
}

fn days(n: i64) -> DateTime<Utc> {
    t0() + Duration::days(n)
}

fn contact(store: &mut Store, name: &str, circle: Circle, cadence: Option<u32>) -> i64 {
    store
        .add_contact(
            ContactInput {
                display_name: name.into(),
                circle,
                cadence_days: cadence,
                ..ContactInput::default()
            },
            t0(),
        )
        .unwrap()
        .id
}

fn log(store: &mut Store, ids: Vec<i64>, kind: InteractionKind, at: DateTime<Utc>) -> Interaction {
    store
        .log_interaction(
            InteractionInput {
                contact_ids: ids,
                kind,
                occurred_at: at,
                direction: None,
                notes: None,
            },
            days(400),
        )
        .unwrap()
}

/// Midnight starting the day of `at` (UTC, the zone until one is set): due dates
/// start the day.
fn day_of(at: DateTime<Utc>) -> DateTime<Utc> {
    crate::calendar::local_midnight(chrono_tz::UTC, at.date_naive())
}

fn due(store: &Store, id: i64) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let c = store.get_contact(id).unwrap();
    (c.last_touch_at, c.next_due_at)
}

#[test]
fn logging_moves_last_touch_and_next_due_for_everyone_involved() {
    let (_dir, mut store) = temp_store();
    let ana = contact(&mut store, "Ana", Circle::Close, None); // 30 days
    let bob = contact(&mut store, "Bob", Circle::Network, Some(7));
    assert_eq!(due(&store, ana), (None, Some(day_of(days(30)))));

    let coffee = log(
        &mut store,
        vec![ana, bob],
        InteractionKind::Coffee,
        days(10),
    );
    assert_eq!(coffee.contact_ids, [ana, bob]);
    assert_eq!(due(&store, ana), (Some(days(10)), Some(day_of(days(40)))));
    assert_eq!(due(&store, bob), (Some(days(10)), Some(day_of(days(17)))));

    // An older interaction logged later does not move the dates back.
    log(&mut store, vec![bob], InteractionKind::Email, days(5));
    assert_eq!(due(&store, bob), (Some(days(10)), Some(day_of(days(17)))));
}

#[test]
fn the_cadence_restarts_whoever_reached_out() {
    let (_dir, mut store) = temp_store();
    let ana = contact(&mut store, "Ana", Circle::Inner, None); // 14 days
    store
        .log_interaction(
            InteractionInput {
                contact_ids: vec![ana],
                kind: InteractionKind::Message,
                occurred_at: days(3),
                direction: Some(Direction::Inbound),
                notes: Some("She asked how the move went".into()),
            },
            days(3),
        )
        .unwrap();
    assert_eq!(due(&store, ana), (Some(days(3)), Some(day_of(days(17)))));
}

#[test]
fn editing_and_deleting_recompute_the_dates() {
    let (_dir, mut store) = temp_store();
    let ana = contact(&mut store, "Ana", Circle::Network, Some(10));
    let bob = contact(&mut store, "Bob", Circle::Network, Some(10));
    let first = log(&mut store, vec![ana], InteractionKind::Call, days(2));
    let second = log(&mut store, vec![ana], InteractionKind::Call, days(6));
    assert_eq!(due(&store, ana), (Some(days(6)), Some(day_of(days(16)))));

    // Move the latest call to Bob: Ana falls back to her first call.
    let move_to_bob = |store: &mut Store, at| {
        store
            .update_interaction(
                second.id,
                InteractionInput {
                    contact_ids: vec![bob],
                    kind: InteractionKind::VideoCall,
                    occurred_at: at,
                    direction: None,
                    notes: None,
                },
                days(7),
            )
            .unwrap()
    };
    move_to_bob(&mut store, days(6));
    assert_eq!(due(&store, ana), (Some(days(2)), Some(day_of(days(12)))));
    assert_eq!(due(&store, bob), (Some(days(6)), Some(day_of(days(16)))));

    // Moving it in time moves it in Bob's history too, before his older coffee.
    let coffee = log(&mut store, vec![bob], InteractionKind::Coffee, days(4));
    move_to_bob(&mut store, days(3));
    let history: Vec<i64> = store
        .timeline(bob, 10)
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(history, [coffee.id, second.id]);
    assert_eq!(due(&store, bob), (Some(days(4)), Some(day_of(days(14)))));

    store.delete_interaction(first.id).unwrap();
    assert_eq!(due(&store, ana), (None, Some(day_of(days(10)))));
    assert_eq!(
        store.get_interaction(first.id).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    assert_eq!(
        store.delete_interaction(first.id).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn the_timeline_is_newest_first_and_lists_everyone_involved() {
    let (_dir, mut store) = temp_store();
    let ana = contact(&mut store, "Ana", Circle::Network, None);
    let bob = contact(&mut store, "Bob", Circle::Network, None);
    log(&mut store, vec![ana], InteractionKind::Email, days(1));
    log(&mut store, vec![ana, bob], InteractionKind::Event, days(3));
    log(&mut store, vec![ana], InteractionKind::Coffee, days(2));
    let timeline = store.timeline(ana, 10).unwrap();
    let kinds: Vec<_> = timeline.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            InteractionKind::Event,
            InteractionKind::Coffee,
            InteractionKind::Email
        ]
    );
    assert_eq!(timeline[0].contact_ids, [ana, bob]);
    assert_eq!(store.timeline(ana, 2).unwrap().len(), 2);
    assert_eq!(store.timeline(bob, 10).unwrap().len(), 1);
}

#[test]
fn unknown_or_archived_contacts_are_refused_and_nothing_is_stored() {
    let (_dir, mut store) = temp_store();
    let ana = contact(&mut store, "Ana", Circle::Network, None);
    let input = |ids: Vec<i64>| InteractionInput {
        contact_ids: ids,
        kind: InteractionKind::Call,
        occurred_at: days(1),
        direction: None,
        notes: None,
    };
    let err = store
        .log_interaction(input(vec![ana, 999]), days(1))
        .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    store.archive_contact(ana, days(1)).unwrap();
    let err = store
        .log_interaction(input(vec![ana]), days(1))
        .unwrap_err();
    assert_eq!(err.field(), Some("contactIds"));
    let stored: i64 = store
        .conn
        .query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0);
}

#[test]
fn purging_a_contact_keeps_interactions_shared_with_others() {
    let (_dir, mut store) = temp_store();
    let ana = contact(&mut store, "Ana", Circle::Network, None);
    let bob = contact(&mut store, "Bob", Circle::Network, None);
    let shared = log(
        &mut store,
        vec![ana, bob],
        InteractionKind::Meeting,
        days(1),
    );
    let own = log(&mut store, vec![ana], InteractionKind::Call, days(2));
    store.archive_contact(ana, days(3)).unwrap();
    store.purge_contact(ana).unwrap();
    assert_eq!(store.get_interaction(shared.id).unwrap().contact_ids, [bob]);
    assert_eq!(
        store.get_interaction(own.id).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn follow_ups_open_complete_reopen_and_loop_back() {
    let (_dir, mut store) = temp_store();
    let ana = contact(&mut store, "Ana", Circle::Network, None);
    let bob = contact(&mut store, "Bob", Circle::Network, None);
    let coffee = log(&mut store, vec![ana], InteractionKind::Coffee, days(1));
    let add = |store: &mut Store, title: &str, due: Option<u32>, interaction| {
        store
            .add_follow_up(
                FollowUpInput {
                    contact_id: ana,
                    interaction_id: interaction,
                    title: title.into(),
                    due_on: due.and_then(|d| chrono::NaiveDate::from_ymd_opt(2026, 1, d)),
                },
                days(1),
            )
            .unwrap()
    };
    let book = add(
        &mut store,
        "Read the book she recommended",
        None,
        Some(coffee.id),
    );
    let intro = add(&mut store, "Introduce her to Bob", Some(20), None);
    let article = add(&mut store, "Send the article", Some(5), None);
    let titles = |store: &Store| -> Vec<String> {
        store
            .follow_ups_for(ana)
            .unwrap()
            .into_iter()
            .map(|f| f.title)
            .collect()
    };
    assert_eq!(
        titles(&store),
        [
            "Send the article",
            "Introduce her to Bob",
            "Read the book she recommended"
        ]
    );

    let done = store.set_follow_up_done(article.id, true, days(4)).unwrap();
    assert_eq!(done.completed_at, Some(days(4)));
    assert_eq!(titles(&store)[2], "Send the article");

    // "Let them know": the loop-back touch restarts Ana's cadence.
    store
        .log_interaction(done.loop_back(days(4)), days(4))
        .unwrap();
    let timeline = store.timeline(ana, 1).unwrap();
    assert_eq!(
        timeline[0].notes.as_deref(),
        Some("Let them know: Send the article")
    );
    assert_eq!(store.get_contact(ana).unwrap().last_touch_at, Some(days(4)));

    let reopened = store
        .set_follow_up_done(article.id, false, days(5))
        .unwrap();
    assert_eq!(reopened.completed_at, None);
    assert_eq!(
        store.get_follow_up(book.id).unwrap().interaction_id,
        Some(coffee.id)
    );
    assert_eq!(store.get_follow_up(intro.id).unwrap().completed_at, None);

    // A follow-up cannot point at someone else's interaction, or at nobody.
    let err = store
        .add_follow_up(
            FollowUpInput {
                contact_id: bob,
                interaction_id: Some(coffee.id),
                title: "Say hi".into(),
                due_on: None,
            },
            days(1),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("interactionId"));
    let err = store
        .add_follow_up(
            FollowUpInput {
                contact_id: 404,
                interaction_id: None,
                title: "Say hi".into(),
                due_on: None,
            },
            days(1),
        )
        .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    assert_eq!(
        store
            .set_follow_up_done(999, true, days(1))
            .unwrap_err()
            .kind(),
        crate::ErrorKind::NotFound
    );
}

/// Ana (every 10 days) with a call on day 2 and a coffee on day 6 that left a follow-up.
fn ana_with_a_coffee_and_its_follow_up(store: &mut Store) -> (i64, Interaction, i64) {
    let ana = contact(store, "Ana", Circle::Network, Some(10));
    log(store, vec![ana], InteractionKind::Call, days(2));
    let coffee = store
        .log_interaction(
            InteractionInput {
                contact_ids: vec![ana],
                kind: InteractionKind::Coffee,
                occurred_at: days(6),
                direction: Some(Direction::Outbound),
                notes: Some("She is moving to Lisbon".into()),
            },
            days(6),
        )
        .unwrap();
    let follow_up = store
        .add_follow_up(
            FollowUpInput {
                contact_id: ana,
                interaction_id: Some(coffee.id),
                title: "Send her the flat listings".into(),
                due_on: None,
            },
            days(6),
        )
        .unwrap();
    (ana, coffee, follow_up.id)
}

#[test]
fn undoing_a_deletion_gives_back_the_same_touch_its_follow_up_and_the_dates() {
    let (_dir, mut store) = temp_store();
    let (ana, coffee, follow_up) = ana_with_a_coffee_and_its_follow_up(&mut store);
    let timeline = store.timeline(ana, 10).unwrap();
    assert_eq!(due(&store, ana), (Some(days(6)), Some(day_of(days(16)))));
    // An import that merged into Ana logged the coffee (so undoing it takes the coffee away).
    store
        .conn
        .execute_batch(&format!(
            "INSERT INTO imports (id, file_name, format, added, merged, skipped, created_at)
             VALUES (7, 'a.vcf', 'vCard', 0, 1, 0, 0);
             INSERT INTO import_items (import_id, contact_id, created, interaction_id)
             VALUES (7, {ana}, 0, {});",
            coffee.id
        ))
        .unwrap();
    let logged_by_import = |store: &Store| -> Option<i64> {
        store
            .conn
            .query_row(
                "SELECT interaction_id FROM import_items WHERE import_id = 7",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };

    let deleted = store.delete_interaction(coffee.id).unwrap();
    assert_eq!(deleted.interaction, coffee);
    assert_eq!(deleted.follow_up_ids, [follow_up]);
    assert_eq!(deleted.import_ids, [7]);
    assert_eq!(logged_by_import(&store), None);
    assert_eq!(due(&store, ana), (Some(days(2)), Some(day_of(days(12)))));
    assert_eq!(store.get_follow_up(follow_up).unwrap().interaction_id, None);

    let back = store.restore_interaction(deleted.clone(), days(7)).unwrap();
    assert_eq!(back, coffee, "the same id, fields and times");
    assert_eq!(
        store.get_follow_up(follow_up).unwrap().interaction_id,
        Some(coffee.id)
    );
    assert_eq!(store.timeline(ana, 10).unwrap(), timeline);
    assert_eq!(due(&store, ana), (Some(days(6)), Some(day_of(days(16)))));
    assert_eq!(logged_by_import(&store), Some(coffee.id));

    // Undone twice, it is there once.
    assert_eq!(store.restore_interaction(deleted, days(7)).unwrap(), coffee);
    assert_eq!(store.timeline(ana, 10).unwrap(), timeline);
}

#[test]
fn a_touch_whose_id_was_taken_since_comes_back_under_a_new_one_with_its_follow_up() {
    let (_dir, mut store) = temp_store();
    let (ana, coffee, follow_up) = ana_with_a_coffee_and_its_follow_up(&mut store);
    let deleted = store.delete_interaction(coffee.id).unwrap();
    let email = log(&mut store, vec![ana], InteractionKind::Email, days(7));
    assert_eq!(email.id, coffee.id, "SQLite gives the newest id again");

    let back = store.restore_interaction(deleted, days(7)).unwrap();
    assert_ne!(back.id, email.id);
    assert_eq!(
        Interaction {
            id: coffee.id,
            ..back.clone()
        },
        coffee
    );
    assert_eq!(store.get_interaction(email.id).unwrap(), email);
    assert_eq!(
        store.get_follow_up(follow_up).unwrap().interaction_id,
        Some(back.id)
    );
    assert_eq!(store.timeline(ana, 10).unwrap().len(), 3);
}

#[test]
fn a_touch_with_someone_archived_since_is_not_restored() {
    let (_dir, mut store) = temp_store();
    let (ana, coffee, _) = ana_with_a_coffee_and_its_follow_up(&mut store);
    let deleted = store.delete_interaction(coffee.id).unwrap();
    store.archive_contact(ana, days(7)).unwrap();
    let err = store.restore_interaction(deleted, days(7)).unwrap_err();
    assert_eq!(err.field(), Some("contactIds"));
    assert_eq!(
        store.get_interaction(coffee.id).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}
