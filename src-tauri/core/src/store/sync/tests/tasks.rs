//! Follow-ups as tasks: what a task pull writes and what a task push sends.

use chrono::NaiveDate;

use super::*;
use crate::history::FollowUpInput;
use crate::sync::task::{self, TaskView};
use crate::sync::TaskReport;

fn follow_up(store: &mut Store, contact: i64, title: &str, due: Option<NaiveDate>) -> i64 {
    store
        .add_follow_up(
            FollowUpInput {
                contact_id: contact,
                interaction_id: None,
                title: title.into(),
                due_on: due,
            },
            now(),
        )
        .unwrap()
        .id
}

fn day(d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 12, d)
}

/// Sends every task as a server would take it.
fn push_tasks(store: &mut Store, version: &str) -> crate::sync::TaskPlan {
    let plan = store.task_push_plan(now(), || "task-1".into()).unwrap();
    for p in plan.creates.iter().chain(&plan.updates) {
        store.record_task_pushed(p, Some(version)).unwrap();
    }
    plan
}

/// A task as another client writes it, for the contact with card UID `contact`.
fn phone_task(uid: &str, contact: &str, title: &str, extra: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VTODO\r\nUID:{uid}\r\n\
         SUMMARY:{title}\r\nX-KITH-CONTACT-UID:{contact}\r\n{extra}END:VTODO\r\nEND:VCALENDAR\r\n"
    )
}

#[test]
fn an_open_follow_up_becomes_one_task_naming_its_contacts_card() {
    let (_dir, mut store, _, ana) = with_ana();
    let id = follow_up(&mut store, ana, "Send the deck", day(9));
    let done = follow_up(&mut store, ana, "Old homework", None);
    store.set_follow_up_done(done, true, now()).unwrap();

    let plan = push_tasks(&mut store, "\"t1\"");
    assert_eq!(plan.creates.len(), 1, "completed follow-ups are not sent");
    let p = &plan.creates[0];
    assert_eq!(
        (p.follow_up_id, p.href.as_str()),
        (id, "/dav/priya/kith-tasks/task-1.ics")
    );
    let sent = task::read(&p.text).unwrap().unwrap();
    assert_eq!(sent.contact_uid.as_deref(), Some("ana"), "the card's UID");
    assert_eq!(
        sent.view,
        TaskView {
            title: "Send the deck".into(),
            due: day(9),
            done: false
        }
    );
    assert!(p.text.contains("With Ana Lima"), "{}", p.text);
    // Sent once: nothing more to send until it changes.
    assert_eq!(push_tasks(&mut store, "\"t1\"").creates.len(), 0);
    assert!(store
        .task_push_plan(now(), || "x".into())
        .unwrap()
        .updates
        .is_empty());

    // Done in Kith: the server's copy is edited to say so.
    store.set_follow_up_done(id, true, now()).unwrap();
    let plan = push_tasks(&mut store, "\"t2\"");
    assert_eq!(plan.updates.len(), 1);
    assert_eq!(plan.updates[0].etag.as_deref(), Some("\"t1\""));
    assert!(
        task::read(&plan.updates[0].text)
            .unwrap()
            .unwrap()
            .view
            .done
    );
}

#[test]
fn a_task_completed_or_moved_on_the_server_changes_the_follow_up() {
    let (_dir, mut store, _, ana) = with_ana();
    let id = follow_up(&mut store, ana, "Send the deck", day(9));
    let plan = push_tasks(&mut store, "\"t1\"");
    let href = plan.creates[0].href.clone();
    let server = phone_task(
        "task-1",
        "ana",
        "Send the deck",
        "DUE;VALUE=DATE:20261212\r\nSTATUS:COMPLETED\r\n",
    );
    let report = store
        .apply_task_pull(&[pulled(&href, "\"t2\"", &server)], &[], Some("s1"), now())
        .unwrap();
    assert_eq!(
        report,
        TaskReport {
            updated: 1,
            ..TaskReport::default()
        }
    );
    let f = store.get_follow_up(id).unwrap();
    assert!(f.completed_at.is_some());
    assert_eq!(f.due_on, day(12));
    assert_eq!(store.task_sync_token().unwrap().as_deref(), Some("s1"));
    // Agreed: nothing to send back.
    let plan = store.task_push_plan(now(), || "x".into()).unwrap();
    assert!(
        plan.creates.is_empty() && plan.updates.is_empty(),
        "{plan:?}"
    );
}

#[test]
fn a_task_from_another_device_for_a_known_contact_becomes_a_follow_up() {
    let (_dir, mut store, _, ana) = with_ana();
    let tasks = [
        pulled("/dav/priya/kith-tasks/a.ics", "\"1\"", &phone_task("a", "ana", "Ask about the move", "DUE;VALUE=DATE:20261220\r\n")),
        // Someone Kith does not know, a finished task, an event: left alone.
        pulled("/dav/priya/kith-tasks/b.ics", "\"1\"", &phone_task("b", "nobody", "Buy milk", "")),
        pulled("/dav/priya/kith-tasks/c.ics", "\"1\"", &phone_task("c", "ana", "Done long ago", "STATUS:COMPLETED\r\n")),
        pulled(
            "/dav/priya/kith-tasks/d.ics",
            "\"1\"",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART:20261205T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ),
        // A title Kith cannot keep: said, not taken.
        pulled("/dav/priya/kith-tasks/e.ics", "\"1\"", &phone_task("e", "ana", &"x".repeat(5000), "")),
    ];
    let report = store
        .apply_task_pull(&tasks, &[], Some("s1"), now())
        .unwrap();
    assert_eq!(report.added, 1, "{report:?}");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    let mine = store.follow_ups_for(ana).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].title.as_str(), mine[0].due_on),
        ("Ask about the move", day(20))
    );
    // It is known now: not sent back as new.
    assert!(store
        .task_push_plan(now(), || "x".into())
        .unwrap()
        .creates
        .is_empty());
}

#[test]
fn both_sides_changed_a_task_each_change_kept_and_a_server_delete_leaves_it_done() {
    let (_dir, mut store, _, ana) = with_ana();
    let id = follow_up(&mut store, ana, "Send the deck", day(9));
    let href = push_tasks(&mut store, "\"t1\"").creates[0].href.clone();
    // Kith: done. The server: a later date.
    store.set_follow_up_done(id, true, now()).unwrap();
    let server = phone_task(
        "task-1",
        "ana",
        "Send the deck",
        "DUE;VALUE=DATE:20261215\r\n",
    );
    store
        .apply_task_pull(&[pulled(&href, "\"t2\"", &server)], &[], Some("s1"), now())
        .unwrap();
    let f = store.get_follow_up(id).unwrap();
    assert!(f.completed_at.is_some(), "Kith's completion stays");
    assert_eq!(f.due_on, day(15), "the server's date is taken");
    // Kith's side is sent over the server's copy.
    let plan = store.task_push_plan(now(), || "x".into()).unwrap();
    assert_eq!(plan.updates.len(), 1);
    assert_eq!(plan.updates[0].etag.as_deref(), Some("\"t2\""));
    let sent = task::read(&plan.updates[0].text).unwrap().unwrap().view;
    assert_eq!(
        sent,
        TaskView {
            title: "Send the deck".into(),
            due: day(15),
            done: true
        }
    );

    // Another open one, deleted on the server: done here, never lost.
    let other = follow_up(&mut store, ana, "Call back", None);
    let other_href = {
        let plan = store.task_push_plan(now(), || "task-2".into()).unwrap();
        let p = plan.creates.into_iter().next().unwrap();
        store.record_task_pushed(&p, Some("\"u1\"")).unwrap();
        p.href
    };
    store
        .apply_task_pull(&[], std::slice::from_ref(&other_href), Some("s2"), now())
        .unwrap();
    let f = store.get_follow_up(other).unwrap();
    assert!(f.completed_at.is_some());
    assert_eq!(f.title, "Call back");
    assert!(!store.sync_known_tasks().unwrap().contains_key(&other_href));
}

#[test]
fn a_follow_up_that_goes_with_its_contact_leaves_its_task_to_delete() {
    let (_dir, mut store, _, ana) = with_ana();
    follow_up(&mut store, ana, "Send the deck", day(9));
    let href = push_tasks(&mut store, "\"t1\"").creates[0].href.clone();
    store.archive_contact(ana, now()).unwrap();
    store.purge_contact(ana).unwrap();
    let deletes = store.push_plan(now(), uids()).unwrap().deletes;
    assert!(
        deletes
            .iter()
            .any(|t| t.href == href && t.etag.as_deref() == Some("\"t1\"")),
        "{deletes:?}"
    );
}
