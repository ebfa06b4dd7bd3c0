use chrono::Duration;

use super::*;
use crate::history::InteractionKind;
use crate::search::ContactQuery;
use crate::store::tests::temp_store;
use crate::testing::person;

fn now() -> DateTime<Utc> {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

fn later(minutes: i64) -> DateTime<Utc> {
    now() + Duration::minutes(minutes)
}

fn circle_of(store: &Store, id: i64) -> Circle {
    store.get_contact(id).unwrap().circle
}

/// Ana (inner, called a week ago), Ben and Chen (network, no history).
fn three(store: &mut Store) -> [i64; 3] {
    let added = now() - Duration::days(30);
    [
        person("Ana Lima")
            .circle(Circle::Inner)
            .touched(InteractionKind::Call, now() - Duration::days(7))
            .add(store, added)
            .unwrap(),
        person("Ben Okafor").add(store, added).unwrap(),
        person("Chen Wei")
            .tags(&["Rust"])
            .add(store, added)
            .unwrap(),
    ]
}

fn everyone(store: &Store, ids: &[i64]) -> Vec<crate::model::Contact> {
    ids.iter()
        .map(|&id| store.get_contact(id).unwrap())
        .collect()
}

fn tagged(store: &Store, tag: &str) -> Vec<i64> {
    let query = ContactQuery {
        tag: Some(tag.into()),
        ..Default::default()
    };
    let mut ids: Vec<i64> = store
        .search_contacts(&query, now())
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_circle_is_set_on_everyone_chosen_and_undo_gives_each_their_own_back() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, chen] = three(&mut store);
    let ana_due = store.get_contact(ana).unwrap().next_due_at;

    let report = store
        .bulk_edit(
            &[ana, ben, chen, ben],
            BulkEdit::Circle(Circle::Close),
            later(1),
        )
        .unwrap();
    assert_eq!(report.chosen, 3);
    assert_eq!(report.at, later(1));
    let befores: Vec<(i64, &str, BulkEdit)> = report
        .changed
        .iter()
        .map(|p| (p.id, p.display_name.as_str(), p.before.clone()))
        .collect();
    assert_eq!(
        befores,
        [
            (ana, "Ana Lima", BulkEdit::Circle(Circle::Inner)),
            (ben, "Ben Okafor", BulkEdit::Circle(Circle::Network)),
            (chen, "Chen Wei", BulkEdit::Circle(Circle::Network)),
        ]
    );
    for id in [ana, ben, chen] {
        assert_eq!(circle_of(&store, id), Circle::Close);
        assert_eq!(store.get_contact(id).unwrap().updated_at, later(1));
    }
    // Ana's rhythm is now the close circle's: her next due date moved with it.
    let ana_now = store.get_contact(ana).unwrap();
    assert_eq!(
        ana_now.effective_cadence_days,
        Some(Circle::Close.default_cadence_days())
    );
    assert_ne!(ana_now.next_due_at, ana_due);

    let undone = store.undo_bulk_edit(&report, later(2)).unwrap();
    assert_eq!(
        undone,
        BulkUndoReport {
            restored: 3,
            kept: vec![]
        }
    );
    assert_eq!(circle_of(&store, ana), Circle::Inner);
    assert_eq!(circle_of(&store, ben), Circle::Network);
    assert_eq!(circle_of(&store, chen), Circle::Network);
    assert_eq!(store.get_contact(ana).unwrap().next_due_at, ana_due);
}

#[test]
fn people_who_already_have_the_value_are_left_untouched_and_out_of_the_undo() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, chen] = three(&mut store);
    let chen_updated = store.get_contact(chen).unwrap().updated_at;
    let report = store
        .bulk_edit(&[ana, ben, chen], BulkEdit::Tag(" rust ".into()), later(1))
        .unwrap();
    assert_eq!(report.edit, BulkEdit::Tag("rust".into()));
    assert_eq!(report.chosen, 3);
    let changed: Vec<i64> = report.changed.iter().map(|p| p.id).collect();
    assert_eq!(changed, [ana, ben]);
    assert!(report
        .changed
        .iter()
        .all(|p| p.before == BulkEdit::Untag("rust".into())));
    assert_eq!(store.get_contact(chen).unwrap().updated_at, chen_updated);
    // One tag, spelled as it was first: the search finds all three by it.
    assert_eq!(store.get_contact(ana).unwrap().tags, ["Rust"]);
    assert_eq!(tagged(&store, "Rust"), [ana, ben, chen]);

    store.undo_bulk_edit(&report, later(2)).unwrap();
    assert_eq!(tagged(&store, "Rust"), [chen]);
    assert!(store.get_contact(ana).unwrap().tags.is_empty());
}

#[test]
fn a_new_tag_added_then_undone_leaves_no_tag_behind() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, _] = three(&mut store);
    let report = store
        .bulk_edit(&[ana, ben], BulkEdit::Tag("Kept up with".into()), later(1))
        .unwrap();
    assert_eq!(tagged(&store, "kept up with"), [ana, ben]);
    store.undo_bulk_edit(&report, later(2)).unwrap();
    assert_eq!(tagged(&store, "Kept up with"), Vec::<i64>::new());
    let tags: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM tags WHERE name = 'Kept up with'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tags, 0);
}

#[test]
fn a_tag_taken_away_comes_back_with_undo() {
    let (_dir, mut store) = temp_store();
    let [ana, _, chen] = three(&mut store);
    let report = store
        .bulk_edit(&[ana, chen], BulkEdit::Untag("RUST".into()), later(1))
        .unwrap();
    let changed: Vec<i64> = report.changed.iter().map(|p| p.id).collect();
    assert_eq!(changed, [chen]);
    assert_eq!(tagged(&store, "Rust"), Vec::<i64>::new());
    store.undo_bulk_edit(&report, later(2)).unwrap();
    assert_eq!(tagged(&store, "Rust"), [chen]);
}

#[test]
fn one_person_not_there_or_unable_to_take_it_changes_no_one() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, chen] = three(&mut store);
    let before = everyone(&store, &[ana, ben, chen]);

    let err = store
        .bulk_edit(&[ana, ben, 9_999], BulkEdit::Cadence(Some(30)), later(1))
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { id: 9_999, .. }), "{err:?}");

    // Ben has as many tags as a contact may have: adding one more to him refuses it for all.
    let full: Vec<String> = (0..MAX_TAGS).map(|i| format!("t{i}")).collect();
    let mut ben_input = before[1].to_input();
    ben_input.tags = full.clone();
    store.update_contact(ben, ben_input, now()).unwrap();
    let err = store
        .bulk_edit(&[ana, ben, chen], BulkEdit::Tag("New".into()), later(1))
        .unwrap_err();
    assert_eq!(err.field(), Some("tag"));
    assert!(err.to_string().contains("Ben Okafor"), "{err}");

    assert_eq!(store.get_contact(ana).unwrap(), before[0]);
    assert_eq!(store.get_contact(chen).unwrap(), before[2]);
    assert_eq!(store.get_contact(ben).unwrap().tags.len(), MAX_TAGS);
    assert_eq!(tagged(&store, "New"), Vec::<i64>::new());
}

#[test]
fn bad_input_is_refused_by_field_and_changes_nothing() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, chen] = three(&mut store);
    let before = everyone(&store, &[ana, ben, chen]);
    let refused = [
        (vec![ana], BulkEdit::Cadence(Some(0)), "cadenceDays"),
        (
            vec![ana],
            BulkEdit::Cadence(Some(MAX_CADENCE_DAYS + 1)),
            "cadenceDays",
        ),
        (vec![ana], BulkEdit::Tag("   ".into()), "tag"),
        (vec![ana], BulkEdit::Tag("a\nb".into()), "tag"),
        (vec![ana], BulkEdit::Untag("x".repeat(51)), "tag"),
        (vec![], BulkEdit::Circle(Circle::Close), "ids"),
    ];
    for (ids, edit, field) in refused {
        let err = store.bulk_edit(&ids, edit.clone(), later(1)).unwrap_err();
        assert_eq!(err.field(), Some(field), "{edit:?}: {err:?}");
    }
    assert_eq!(everyone(&store, &[ana, ben, chen]), before);
}

#[test]
fn undo_is_refused_for_someone_changed_since_and_names_them() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, chen] = three(&mut store);
    let report = store
        .bulk_edit(&[ana, ben, chen], BulkEdit::Cadence(Some(30)), later(1))
        .unwrap();
    // Ben's rhythm is changed on his page afterwards; Chen's notes are.
    let mut ben_input = store.get_contact(ben).unwrap().to_input();
    ben_input.cadence_days = Some(14);
    store.update_contact(ben, ben_input, later(5)).unwrap();
    let mut chen_input = store.get_contact(chen).unwrap().to_input();
    chen_input.notes = Some("Met at RustConf".into());
    store.update_contact(chen, chen_input, later(6)).unwrap();

    let undone = store.undo_bulk_edit(&report, later(10)).unwrap();
    assert_eq!(undone.restored, 1);
    assert_eq!(undone.kept, ["Ben Okafor", "Chen Wei"]);
    assert_eq!(store.get_contact(ana).unwrap().cadence_days, None);
    assert_eq!(store.get_contact(ben).unwrap().cadence_days, Some(14));
    assert_eq!(store.get_contact(chen).unwrap().cadence_days, Some(30));

    // Undone once, the edit cannot be undone again over Ana's own later change.
    let mut ana_input = store.get_contact(ana).unwrap().to_input();
    ana_input.cadence_days = Some(7);
    store.update_contact(ana, ana_input, later(11)).unwrap();
    let again = store.undo_bulk_edit(&report, later(12)).unwrap();
    assert_eq!(again.restored, 0);
    assert_eq!(store.get_contact(ana).unwrap().cadence_days, Some(7));
}

#[test]
fn an_undo_naming_someone_since_purged_restores_the_others() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, _] = three(&mut store);
    let report = store
        .bulk_edit(
            &[ana, ben],
            BulkEdit::Circle(Circle::Acquaintance),
            later(1),
        )
        .unwrap();
    store.archive_contact(ben, later(2)).unwrap();
    store.purge_contact(ben).unwrap();
    let undone = store.undo_bulk_edit(&report, later(3)).unwrap();
    assert_eq!(undone.restored, 1);
    assert_eq!(undone.kept, ["Ben Okafor"]);
    assert_eq!(circle_of(&store, ana), Circle::Inner);
}

#[test]
fn a_forged_undo_setting_another_field_is_refused_and_changes_nothing() {
    let (_dir, mut store) = temp_store();
    let [ana, ben, _] = three(&mut store);
    let mut report = store
        .bulk_edit(&[ana, ben], BulkEdit::Circle(Circle::Close), later(1))
        .unwrap();
    report.changed[1].before = BulkEdit::Cadence(Some(3));
    let err = store.undo_bulk_edit(&report, later(2)).unwrap_err();
    assert_eq!(err.field(), Some("changed"));
    assert_eq!(circle_of(&store, ana), Circle::Close);
    assert_eq!(circle_of(&store, ben), Circle::Close);
}

#[test]
fn two_bulk_edits_at_once_from_two_processes_each_apply_whole() {
    let (dir, mut store) = temp_store();
    let ids: Vec<i64> = (0..40)
        .map(|i| {
            person(&format!("Person {i}"))
                .add(&mut store, now())
                .unwrap()
        })
        .collect();
    let run = |circle: Circle| {
        let path = dir.path().to_owned();
        let ids = ids.clone();
        std::thread::spawn(move || {
            let mut store = Store::open_in(&path).unwrap();
            (0..5)
                .map(|round| {
                    store
                        .bulk_edit(&ids, BulkEdit::Circle(circle), later(round + 1))
                        .unwrap()
                })
                .collect::<Vec<_>>()
        })
    };
    let close = run(Circle::Close);
    let inner = run(Circle::Inner);
    let close = close.join().unwrap();
    let inner = inner.join().unwrap();
    // Every edit saw one state of everyone: each report's "before" is one circle for all.
    for report in close.iter().chain(&inner) {
        let befores: std::collections::HashSet<_> =
            report.changed.iter().map(|p| p.before.clone()).collect();
        assert!(befores.len() <= 1, "{befores:?}");
        assert!(report.changed.is_empty() || report.changed.len() == ids.len());
    }
    let finals: std::collections::HashSet<Circle> =
        ids.iter().map(|&id| circle_of(&store, id)).collect();
    assert_eq!(finals.len(), 1, "{finals:?}");
}
