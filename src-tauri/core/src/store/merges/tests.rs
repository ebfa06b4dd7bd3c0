use chrono::{Duration, NaiveDate};

use super::*;
use crate::duplicates::SameBy;
use crate::events::EventInput;
use crate::history::{FollowUpInput, InteractionKind};
use crate::import::{ImportOptions, ImportSource};
use crate::model::Circle;
use crate::reminder::ReminderInput;
use crate::repeat::Repeat;
use crate::search::ContactQuery;
use crate::store::tests::temp_store;
use crate::testing::{person, touch};

fn now() -> DateTime<Utc> {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

fn days_ago(n: i64) -> DateTime<Utc> {
    now() - Duration::days(n)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn found_by(store: &Store, text: &str) -> Vec<i64> {
    let query = ContactQuery {
        text: text.into(),
        ..Default::default()
    };
    store
        .search_contacts(&query, now())
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// Priya twice: the one kept (a call, an email, a company) and the other (a second email,
/// notes, a follow-up, a reminder, an event, a snooze, a lunch with the two of them and one
/// with someone else).
struct Twice {
    keep: i64,
    other: i64,
    marcus: i64,
    lunch_both: i64,
    lunch_marcus: i64,
    follow_up: i64,
    reminder: i64,
    meetup: i64,
}

fn twice(store: &mut Store) -> Twice {
    let keep = person("Priya Raman")
        .company("Acme")
        .email("priya@acme.example")
        .touched(InteractionKind::Call, days_ago(40))
        .add(store, days_ago(400))
        .unwrap();
    let mut other_input = store.get_contact(keep).unwrap().to_input();
    other_input.display_name = "Priya R.".into();
    other_input.company = Some("Globex".into());
    other_input.emails[0].value = "priya@home.example".into();
    other_input.notes = Some("Two kids; loves hiking.".into());
    other_input.tags = vec!["Mentors".into()];
    other_input.circle = Circle::Close;
    let other = store.add_contact(other_input, days_ago(30)).unwrap().id;
    let marcus = person("Marcus Webb").add(store, days_ago(300)).unwrap();
    let lunch_both = touch(
        store,
        &[keep, other],
        InteractionKind::Meeting,
        days_ago(10),
        now(),
    )
    .unwrap();
    let lunch_marcus = touch(
        store,
        &[other, marcus],
        InteractionKind::Meeting,
        days_ago(5),
        now(),
    )
    .unwrap();
    let follow_up = store
        .add_follow_up(
            FollowUpInput {
                contact_id: other,
                interaction_id: None,
                title: "Send the talk slides".into(),
                due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
            },
            now(),
        )
        .unwrap()
        .id;
    let reminder = store
        .add_reminder(
            ReminderInput {
                contact_id: Some(other),
                title: "Ask about the new role".into(),
                date: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
                time: "09:00".into(),
                repeat: Repeat::Never,
            },
            now(),
        )
        .unwrap()
        .id;
    let meetup = store
        .add_event(
            EventInput {
                title: "Rust meetup".into(),
                start_date: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                start_time: "18:30".into(),
                repeat: Repeat::Never,
                time_zone: None,
                location: None,
                link: None,
                notes: None,
                attendee_ids: vec![keep, other],
            },
            now(),
        )
        .unwrap()
        .id;
    store.snooze_suggestion(other, 7, now()).unwrap();
    Twice {
        keep,
        other,
        marcus,
        lunch_both,
        lunch_marcus,
        follow_up,
        reminder,
        meetup,
    }
}

#[test]
fn a_merge_moves_everything_to_the_one_kept_and_undo_gives_the_other_back() {
    let (_dir, mut store) = temp_store();
    let t = twice(&mut store);
    let preview = store.merge_preview(t.keep, t.other).unwrap();
    assert_eq!(
        preview.moves,
        Moves {
            touches: 2,
            follow_ups: 1,
            reminders: 1,
            events: 1
        }
    );
    let fields: Vec<ContactField> = preview.conflicts.iter().map(|c| c.field).collect();
    assert_eq!(fields, [ContactField::DisplayName, ContactField::Company]);
    assert!(
        preview
            .adds
            .iter()
            .any(|a| a.contains("priya@home.example")),
        "{:?}",
        preview.adds
    );

    let before_keep = store.get_contact(t.keep).unwrap();
    let before_other = store.get_contact(t.other).unwrap();
    let report = store
        .merge_contacts(t.keep, t.other, &[ContactField::Company], now())
        .unwrap();
    assert_eq!(report.other_name, "Priya R.");
    assert_eq!(report.moves, preview.moves);
    let listed = store.list_merges().unwrap();
    assert!(listed.len() == 1 && listed[0].can_undo && listed[0].kept_id == t.keep);
    let kept = report.kept;
    assert_eq!(kept.display_name, "Priya Raman");
    assert_eq!(
        kept.company.as_deref(),
        Some("Globex"),
        "the other's, as taken"
    );
    assert_eq!(kept.emails.len(), 2);
    assert_eq!(kept.notes.as_deref(), Some("Two kids; loves hiking."));
    assert_eq!(kept.tags, ["Mentors"]);
    assert_eq!(kept.circle, Circle::Close);
    assert_eq!(
        kept.created_at, before_keep.created_at,
        "known since the earlier"
    );
    assert!(matches!(
        store.get_contact(t.other),
        Err(Error::NotFound { .. })
    ));

    // Every touch is the kept one's now, the shared lunch once.
    let timeline: Vec<i64> = store
        .timeline(t.keep, 50)
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(timeline.len(), 3, "{timeline:?}");
    assert!(timeline.contains(&t.lunch_both) && timeline.contains(&t.lunch_marcus));
    assert_eq!(
        store.get_interaction(t.lunch_marcus).unwrap().contact_ids,
        [t.keep, t.marcus]
    );
    assert_eq!(kept.last_touch_at, Some(days_ago(5)));
    assert_eq!(store.get_follow_up(t.follow_up).unwrap().contact_id, t.keep);
    assert_eq!(
        store.get_reminder(t.reminder).unwrap().fields.contact_id,
        Some(t.keep)
    );
    assert_eq!(
        store.get_event(t.meetup).unwrap().fields.attendee_ids,
        [t.keep]
    );
    assert_eq!(found_by(&store, "priya@home"), [t.keep]);
    assert!(store.duplicates(now()).unwrap().pairs.is_empty());

    // Undo: the other is back under its id with all it had; the kept one as it was.
    let back = store.undo_merge(report.merge_id, now()).unwrap();
    assert_eq!(back.id, t.other);
    assert_eq!(back.to_input(), before_other.to_input());
    assert_eq!(back.created_at, before_other.created_at);
    assert_eq!(back.last_touch_at, before_other.last_touch_at);
    assert_eq!(
        store.get_contact(t.keep).unwrap().to_input(),
        before_keep.to_input()
    );
    assert_eq!(
        store.get_interaction(t.lunch_both).unwrap().contact_ids,
        [t.keep, t.other]
    );
    assert_eq!(
        store.get_interaction(t.lunch_marcus).unwrap().contact_ids,
        [t.other, t.marcus]
    );
    assert_eq!(store.timeline(t.keep, 50).unwrap().len(), 2);
    assert_eq!(
        store.get_follow_up(t.follow_up).unwrap().contact_id,
        t.other
    );
    assert_eq!(
        store.get_reminder(t.reminder).unwrap().fields.contact_id,
        Some(t.other)
    );
    let mut going = store.get_event(t.meetup).unwrap().fields.attendee_ids;
    going.sort_unstable();
    assert_eq!(going, [t.keep, t.other]);
    assert_eq!(
        count(&store, "SELECT count(*) FROM suggestion_states"),
        1,
        "the snooze is back"
    );
    assert_eq!(found_by(&store, "priya@home"), [t.other]);
    assert!(matches!(
        store.undo_merge(report.merge_id, now()),
        Err(Error::Conflict(_))
    ));
    let listed = store.list_merges().unwrap();
    assert_eq!(listed[0].undone_at, Some(now()));
    assert!(!listed[0].can_undo);
}

#[test]
fn undo_is_refused_once_the_kept_contact_changed_so_no_edit_is_lost() {
    let (_dir, mut store) = temp_store();
    let t = twice(&mut store);
    let report = store.merge_contacts(t.keep, t.other, &[], now()).unwrap();
    let mut edited = report.kept.to_input();
    edited.role = Some("CTO".into());
    let later = now() + Duration::minutes(5);
    store.update_contact(t.keep, edited, later).unwrap();
    let listed = store.list_merges().unwrap();
    assert_eq!(
        (
            listed.len(),
            listed[0].other_name.as_str(),
            listed[0].kept_name.as_str()
        ),
        (1, "Priya R.", "Priya Raman")
    );
    assert!(!listed[0].can_undo, "the kept contact changed since");
    let Err(Error::Conflict(why)) = store.undo_merge(report.merge_id, later) else {
        panic!("undo went through over a later edit");
    };
    assert!(why.contains("changed after the merge"), "{why}");
    assert_eq!(
        store.get_contact(t.keep).unwrap().role.as_deref(),
        Some("CTO")
    );
    assert!(store.get_contact(t.other).is_err());
}

#[test]
fn bad_merges_are_refused_and_change_nothing() {
    let (_dir, mut store) = temp_store();
    let t = twice(&mut store);
    let before = count(&store, "SELECT count(*) FROM contacts");
    assert!(matches!(
        store.merge_contacts(t.keep, t.keep, &[], now()),
        Err(Error::Invalid { field: "other", .. })
    ));
    assert!(matches!(
        store.merge_contacts(t.keep, 9_999, &[], now()),
        Err(Error::NotFound {
            what: "contact",
            ..
        })
    ));
    store.archive_contact(t.marcus, now()).unwrap();
    let Err(Error::Invalid { field, reason }) = store.merge_contacts(t.keep, t.marcus, &[], now())
    else {
        panic!("an archived contact was merged");
    };
    assert_eq!(
        (field, reason.as_str()),
        (
            "other",
            "Marcus Webb is archived: restore them before merging."
        )
    );
    // Notes too long together: refused whole.
    let mut long = store.get_contact(t.other).unwrap().to_input();
    long.notes = Some("n".repeat(crate::model::MAX_NOTES_CHARS));
    store.update_contact(t.other, long, now()).unwrap();
    let mut mine = store.get_contact(t.keep).unwrap().to_input();
    mine.notes = Some("Mine.".into());
    store.update_contact(t.keep, mine, now()).unwrap();
    assert!(matches!(
        store.merge_contacts(t.keep, t.other, &[], now()),
        Err(Error::Invalid { field: "notes", .. })
    ));
    assert!(matches!(
        store.undo_merge(77, now()),
        Err(Error::NotFound { what: "merge", .. })
    ));
    assert_eq!(count(&store, "SELECT count(*) FROM contacts"), before);
    assert_eq!(count(&store, "SELECT count(*) FROM merges"), 0);
}

#[test]
fn the_search_lists_likely_pairs_keeping_the_longer_history_and_respects_two_people() {
    let (_dir, mut store) = temp_store();
    let ana = person("Ana Lima")
        .email("ana@lima.example")
        .add(&mut store, days_ago(100))
        .unwrap();
    let ana_again = person("Ana Lima")
        .touched(InteractionKind::Call, days_ago(3))
        .add(&mut store, days_ago(10))
        .unwrap();
    let jonas = person("Jonas Berg").add(&mut store, days_ago(100)).unwrap();
    let jonas_typo = person("Jonas Brg").add(&mut store, days_ago(50)).unwrap();
    let archived = person("Jonas Berg").add(&mut store, days_ago(20)).unwrap();
    store.archive_contact(archived, now()).unwrap();
    let found = store.duplicates(now()).unwrap();
    let pairs: Vec<(i64, i64, SameBy)> = found
        .pairs
        .iter()
        .map(|p| (p.keep.id, p.other.id, p.by))
        .collect();
    assert_eq!(
        pairs,
        [
            (ana_again, ana, SameBy::Name),
            (jonas, jonas_typo, SameBy::SimilarName)
        ],
        "the one with a touch is kept; an earlier one on a tie; archived people are left out"
    );
    assert_eq!(found.more, 0);

    store.not_duplicates(jonas_typo, jonas).unwrap();
    store.not_duplicates(jonas, jonas_typo).unwrap();
    let left: Vec<i64> = store
        .duplicates(now())
        .unwrap()
        .pairs
        .iter()
        .map(|p| p.other.id)
        .collect();
    assert_eq!(left, [ana]);
    assert!(matches!(
        store.not_duplicates(ana, ana),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn a_person_an_import_added_and_merged_away_survives_undoing_that_import() {
    let (_dir, mut store) = temp_store();
    let keep = person("Priya Raman")
        .email("priya@acme.example")
        .add(&mut store, days_ago(400))
        .unwrap();
    let csv = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
               Priya,R.,https://www.linkedin.com/in/priya-r,,Globex,CTO,01 Mar 2025\n";
    let source = ImportSource::read("Connections.csv", csv.as_bytes(), None).unwrap();
    let report = store
        .import(&source, &ImportOptions::default(), &[], now())
        .unwrap();
    assert_eq!(report.added, 1);
    let other = store.duplicates(now()).unwrap();
    assert!(
        other.pairs.is_empty(),
        "a different name and nothing shared: no pair"
    );
    let other: i64 = store
        .conn
        .query_row(
            "SELECT id FROM contacts WHERE display_name = 'Priya R.'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let merge = store.merge_contacts(keep, other, &[], now()).unwrap();
    assert_eq!(merge.kept.role.as_deref(), Some("CTO"));
    assert_eq!(merge.moves.touches, 1, "the connection");
    store.undo_import(report.import_id, now()).unwrap();
    let kept = store.get_contact(keep).unwrap();
    assert_eq!(
        kept.display_name, "Priya Raman",
        "undoing the import kept the person"
    );
    assert_eq!(
        store.timeline(keep, 10).unwrap().len(),
        0,
        "its connection went"
    );
}

#[test]
fn a_merged_contact_leaves_its_card_and_the_tasks_naming_it_to_be_deleted_on_the_server() {
    let (_dir, mut store) = temp_store();
    let t = twice(&mut store);
    store
        .conn
        .execute(
            "INSERT INTO sync_cards (contact_id, href, etag, card, synced, synced_at)
             VALUES (?1, '/book/priya-r.vcf', '\"1\"', '', '{}', 0)",
            [t.other],
        )
        .unwrap();
    // Her follow-up's task names her card: it goes too, to be made again naming the kept one.
    store
        .conn
        .execute(
            "INSERT INTO sync_tasks (follow_up_id, href, etag, todo, synced, synced_at)
             VALUES (?1, '/tasks/slides.ics', '\"1\"', '', '{}', 0)",
            [t.follow_up],
        )
        .unwrap();
    store.merge_contacts(t.keep, t.other, &[], now()).unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM sync_tombstones
             WHERE href IN ('/book/priya-r.vcf', '/tasks/slides.ics')"
        ),
        2
    );
    assert_eq!(count(&store, "SELECT count(*) FROM sync_tasks"), 0);
}

#[test]
fn two_merges_of_one_pair_at_once_from_two_connections_make_one_person() {
    let (_dir, mut store) = temp_store();
    let t = twice(&mut store);
    let path = store.path().to_path_buf();
    let mut holder = Connection::open(&path).unwrap();
    let lock = holder
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let merges: Vec<_> = [(t.keep, t.other), (t.other, t.keep)]
        .into_iter()
        .map(|(keep, other)| {
            let path = path.clone();
            std::thread::spawn(move || {
                crate::store::lock_waits::watch_this_thread();
                let mut store = Store::open(&path).unwrap();
                store
                    .merge_contacts(keep, other, &[], now())
                    .map(|r| r.kept.id)
            })
        })
        .collect();
    let queued: Vec<_> = merges.iter().map(|t| t.thread().id()).collect();
    crate::store::lock_waits::wait_until_queued(&queued);
    lock.rollback().unwrap();
    let results: Vec<Result<i64>> = merges.into_iter().map(|m| m.join().unwrap()).collect();
    let done: Vec<i64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(done.len(), 1, "{results:?}");
    assert!(results.iter().any(|r| matches!(
        r,
        Err(Error::NotFound {
            what: "contact",
            ..
        })
    )));
    let survivor = done[0];
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM contacts WHERE display_name LIKE 'Priya%'"
        ),
        1
    );
    assert_eq!(store.timeline(survivor, 50).unwrap().len(), 3);
}
