use chrono::TimeZone;

use super::*;
use crate::model::Circle;
use crate::store::tests::temp_store;
use crate::sync::merge::SyncConflict;
use crate::sync::SyncAccount;
use crate::testing::person;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

const BOOK: &str = "/dav/priya/kith/";
const LIST: &str = "/dav/priya/kith-tasks/";

fn connected() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = temp_store();
    store
        .set_sync_account(Some(&SyncAccount {
            url: "http://localhost:5232/".into(),
            user: "priya".into(),
            address_book: Some(BOOK.into()),
            task_list: Some(LIST.into()),
            vcard3_only: false,
            plain_http: false,
        }))
        .unwrap();
    (dir, store)
}

fn uids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("uid-{n}")
    }
}

/// Pushes everything as a server would take it, each write a new version.
fn push_all(store: &mut Store) -> PushPlan {
    let plan = store.push_plan(now(), uids()).unwrap();
    for (i, p) in plan.creates.iter().chain(&plan.updates).enumerate() {
        store.record_pushed(p, Some(&format!("\"v{i}\""))).unwrap();
    }
    for t in &plan.deletes {
        store.record_deleted(&t.href).unwrap();
    }
    plan
}

fn pulled(href: &str, etag: &str, text: &str) -> Pulled {
    Pulled {
        href: href.into(),
        etag: Some(etag.into()),
        text: text.into(),
    }
}

fn ana_card(company: &str) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ana\r\nFN:Ana Lima\r\nORG:{company}\r\n\
         EMAIL:ana@lima.example\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\nEND:VCARD\r\n"
    )
}

/// Pulls Ana's card at version `etag`, working at `company`, with sync token `token`.
fn pull_ana(store: &mut Store, href: &str, etag: &str, company: &str, token: &str) -> PullReport {
    let card = pulled(href, &format!("\"{etag}\""), &ana_card(company));
    store.apply_pull(&[card], &[], Some(token), now()).unwrap()
}

/// A connected store that pulled Ana's card (at Acme): the store, the card's href, her id.
fn with_ana() -> (tempfile::TempDir, Store, String, i64) {
    let (dir, mut store) = connected();
    let href = format!("{BOOK}ana.vcf");
    pull_ana(&mut store, &href, "1", "Acme", "t1");
    let ana = store.list_contacts(now()).unwrap()[0].id;
    (dir, store, href, ana)
}

#[test]
fn new_contacts_are_pushed_once_and_a_change_is_pushed_as_an_edit_of_the_servers_copy() {
    let (_dir, mut store) = connected();
    let priya = person("Priya Raman")
        .company("Acme")
        .email("priya@acme.example")
        .add(&mut store, now())
        .unwrap();
    let plan = push_all(&mut store);
    assert_eq!(plan.creates.len(), 1);
    assert_eq!(plan.creates[0].href, format!("{BOOK}uid-1.vcf"));
    assert!(plan.creates[0].text.contains("UID:uid-1"));
    // Nothing changed: nothing to send.
    assert_eq!(store.push_plan(now(), uids()).unwrap(), PushPlan::default());

    let mut edit = store.get_contact(priya).unwrap().to_input();
    edit.company = Some("Globex".into());
    store.update_contact(priya, edit, now()).unwrap();
    let plan = store.push_plan(now(), uids()).unwrap();
    assert!(plan.creates.is_empty());
    assert_eq!(plan.updates.len(), 1);
    assert_eq!(plan.updates[0].etag.as_deref(), Some("\"v0\""));
    assert!(plan.updates[0].text.contains("ORG:Globex"));
    assert!(plan.updates[0].text.contains("UID:uid-1"));
}

#[test]
fn server_cards_come_in_as_people_changes_and_archives() {
    let (_dir, mut store) = connected();
    let href = format!("{BOOK}ana.vcf");
    let report = pull_ana(&mut store, &href, "1", "Acme", "t1");
    assert_eq!((report.added, report.updated), (1, 0));
    assert_eq!(store.sync_token().unwrap().as_deref(), Some("t1"));
    let ana = store.list_contacts(now()).unwrap()[0].id;
    // Nothing to push back: both agree.
    assert!(store.push_plan(now(), uids()).unwrap().updates.is_empty());

    let report = pull_ana(&mut store, &href, "2", "Globex", "t2");
    assert_eq!(report.updated, 1);
    assert_eq!(
        store.get_contact(ana).unwrap().company.as_deref(),
        Some("Globex")
    );

    let report = store.apply_pull(&[], &[href], Some("t3"), now()).unwrap();
    assert_eq!(report.archived, 1);
    assert!(store.get_contact(ana).unwrap().archived_at.is_some());
    assert!(store.sync_known().unwrap().is_empty());
}

#[test]
fn a_contact_changed_on_both_sides_is_merged_and_the_loser_kept_in_the_log() {
    let (_dir, mut store, href, ana) = with_ana();
    let mut edit = store.get_contact(ana).unwrap().to_input();
    edit.company = Some("Initech".into());
    edit.circle = Circle::Close;
    store.update_contact(ana, edit, now()).unwrap();

    let report = pull_ana(&mut store, &href, "2", "Globex", "t2");
    assert_eq!((report.merged, report.conflicts), (1, 1));
    let merged = store.get_contact(ana).unwrap();
    assert_eq!(merged.company.as_deref(), Some("Globex"));
    // Kith's own change the server did not touch stays, and goes to the server next, into
    // its copy (the photo kept).
    assert_eq!(merged.circle, Circle::Close);
    let plan = store.push_plan(now(), uids()).unwrap();
    assert_eq!(plan.updates.len(), 1);
    assert_eq!(plan.updates[0].etag.as_deref(), Some("\"2\""));
    assert!(plan.updates[0].text.contains("X-KITH-CIRCLE:close"));
    assert!(plan.updates[0].text.contains("PHOTO"));
    let log = store.sync_conflicts().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].name.as_str(), &log[0].conflict),
        (
            "Ana Lima",
            &SyncConflict {
                field: crate::model::ContactField::Company,
                kept: "Initech".into(),
                took: "Globex".into()
            }
        )
    );
    // The user takes their value back: it goes to the server next, and the log is empty.
    store.settle_sync_conflict(log[0].id, true, now()).unwrap();
    assert_eq!(
        store.get_contact(ana).unwrap().company.as_deref(),
        Some("Initech")
    );
    assert!(store.sync_conflicts().unwrap().is_empty());
    assert_eq!(store.sync_status().unwrap().conflicts, 0);
    assert!(store.push_plan(now(), uids()).unwrap().updates[0]
        .text
        .contains("ORG:Initech"));
    assert_eq!(
        store
            .settle_sync_conflict(log[0].id, false, now())
            .unwrap_err()
            .kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn an_edit_beats_a_server_delete_and_a_kith_delete_leaves_a_tombstone() {
    let (_dir, mut store, href, ana) = with_ana();
    let mut edit = store.get_contact(ana).unwrap().to_input();
    edit.notes = Some("Met at RustConf".into());
    store.update_contact(ana, edit, now()).unwrap();
    let report = store
        .apply_pull(&[], std::slice::from_ref(&href), Some("t2"), now())
        .unwrap();
    assert_eq!(report.archived, 0);
    assert!(store.get_contact(ana).unwrap().archived_at.is_none());
    // It goes back to the server as a new card.
    let plan = push_all(&mut store);
    assert_eq!(plan.creates.len(), 1);
    assert!(plan.creates[0].text.contains("Met at RustConf"));

    let href = plan.creates[0].href.clone();
    store.archive_contact(ana, now()).unwrap();
    store.purge_contact(ana).unwrap();
    let plan = store.push_plan(now(), uids()).unwrap();
    assert_eq!(
        plan.deletes,
        [Tombstone {
            href: href.clone(),
            etag: Some("\"v0\"".into())
        }]
    );
    store.record_deleted(&href).unwrap();
    assert!(store.push_plan(now(), uids()).unwrap().deletes.is_empty());
}

#[test]
fn a_server_card_for_someone_already_in_kith_links_to_them_instead_of_a_second_contact() {
    let (_dir, mut store) = connected();
    let ana = person("Ana Lima")
        .email("ANA@lima.example")
        .circle(Circle::Inner)
        .add(&mut store, now())
        .unwrap();
    let report = store
        .apply_pull(
            &[pulled(
                &format!("{BOOK}ana.vcf"),
                "\"1\"",
                &ana_card("Acme"),
            )],
            &[],
            Some("t1"),
            now(),
        )
        .unwrap();
    assert_eq!((report.added, report.linked), (0, 1));
    assert_eq!(store.list_contacts(now()).unwrap().len(), 1);
    let linked = store.get_contact(ana).unwrap();
    assert_eq!(linked.company.as_deref(), Some("Acme"));
    assert_eq!(linked.circle, Circle::Inner);
    // Kith's circle goes to the server, as an edit of its card.
    let plan = store.push_plan(now(), uids()).unwrap();
    assert!(plan.creates.is_empty());
    assert!(plan.updates[0].text.contains("X-KITH-CIRCLE:inner"));
}

#[test]
fn cards_kith_does_not_keep_are_skipped_with_a_reason_and_disconnecting_keeps_contacts() {
    let (_dir, mut store) = connected();
    let group = "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Rust Lisbon\r\nEND:VCARD\r\n";
    let report = store
        .apply_pull(
            &[
                pulled(&format!("{BOOK}g.vcf"), "\"1\"", group),
                pulled(&format!("{BOOK}x.vcf"), "\"1\"", "not a card"),
                pulled(&format!("{BOOK}ana.vcf"), "\"1\"", &ana_card("Acme")),
            ],
            &[],
            None,
            now(),
        )
        .unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(report.skipped.len(), 2, "{:?}", report.skipped);
    store.set_sync_account(None).unwrap();
    assert_eq!(store.sync_account().unwrap(), None);
    assert!(store.sync_known().unwrap().is_empty());
    assert_eq!(store.list_contacts(now()).unwrap().len(), 1);
}

#[test]
fn kiths_own_fields_stripped_on_the_server_go_back_even_when_nothing_changed_in_kith() {
    let (_dir, mut store) = connected();
    let href = format!("{BOOK}ana.vcf");
    let with_circle = ana_card("Acme").replace("END:VCARD", "X-KITH-CIRCLE:close\r\nEND:VCARD");
    store
        .apply_pull(
            &[pulled(&href, "\"1\"", &with_circle)],
            &[],
            Some("t1"),
            now(),
        )
        .unwrap();
    let ana = store.list_contacts(now()).unwrap()[0].id;
    assert_eq!(store.get_contact(ana).unwrap().circle, Circle::Close);
    let later = now() + chrono::Duration::hours(1);
    assert!(store.push_plan(later, uids()).unwrap().updates.is_empty());
    // Another app drops every X-KITH-* property; Kith keeps its value and puts it back.
    store
        .apply_pull(
            &[pulled(&href, "\"2\"", &ana_card("Acme"))],
            &[],
            Some("t2"),
            later,
        )
        .unwrap();
    assert_eq!(store.get_contact(ana).unwrap().circle, Circle::Close);
    let plan = store
        .push_plan(later + chrono::Duration::hours(1), uids())
        .unwrap();
    assert_eq!(plan.updates.len(), 1, "{plan:?}");
    assert!(plan.updates[0].text.contains("X-KITH-CIRCLE:close"));
}

#[test]
fn the_first_sync_preview_says_who_is_new_who_is_joined_and_writes_nothing() {
    let (_dir, mut store) = connected();
    let ana = person("Ana Lima")
        .company("Initech")
        .email("ana@lima.example")
        .add(&mut store, now())
        .unwrap();
    person("Priya Raman").add(&mut store, now()).unwrap();
    let cards = [
        pulled(&format!("{BOOK}ana.vcf"), "\"1\"", &ana_card("Acme")),
        pulled(
            &format!("{BOOK}jo.vcf"),
            "\"1\"",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:jo\r\nFN:Jo Park\r\nEND:VCARD\r\n",
        ),
    ];
    let preview = store.preview_first_sync(&cards, now()).unwrap();
    assert_eq!(preview.cards, 2);
    assert_eq!(preview.new_people, ["Jo Park"]);
    assert_eq!(preview.linked, ["Ana Lima"]);
    assert_eq!(preview.to_send, 1, "Priya goes to the server");
    assert_eq!(preview.conflicts.len(), 1, "{:?}", preview.conflicts);
    let c = &preview.conflicts[0];
    assert_eq!(
        (
            c.name.as_str(),
            c.conflict.field.as_str(),
            c.conflict.took.as_str(),
            c.conflict.kept.as_str()
        ),
        ("Ana Lima", "company", "Acme", "Initech")
    );
    // Nothing was written.
    assert_eq!(store.list_contacts(now()).unwrap().len(), 2);
    assert_eq!(
        store.get_contact(ana).unwrap().company.as_deref(),
        Some("Initech")
    );
    assert!(store.sync_known().unwrap().is_empty());
    assert!(store.sync_conflicts().unwrap().is_empty());
}

mod tasks;
