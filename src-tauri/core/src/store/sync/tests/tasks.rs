//! Follow-ups as tasks: what a task pull writes and what a task push sends.

use chrono::NaiveDate;

use super::*;
use crate::history::FollowUpInput;
use crate::reminder::{OccurrenceState, Reminder, ReminderInput};
use crate::repeat::Repeat;
use crate::sync::task::{self, TaskView};
use crate::sync::{TaskItem, TaskReport};

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
        (p.item, p.href.as_str()),
        (TaskItem::FollowUp(id), "/dav/priya/kith-tasks/task-1.ics")
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

fn reminder(store: &mut Store, contact: Option<i64>, day: u32, repeat: Repeat) -> Reminder {
    store
        .add_reminder(
            ReminderInput {
                contact_id: contact,
                title: "Call Ana".into(),
                date: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
                time: "10:00".into(),
                repeat,
            },
            now(),
        )
        .unwrap()
}

/// The task of reminder `id` in `plan`, if any.
fn reminder_push(plan: &[crate::sync::TaskPush], id: i64) -> Option<&crate::sync::TaskPush> {
    plan.iter()
        .find(|p| matches!(p.item, TaskItem::Reminder { id: r, .. } if r == id))
}

#[test]
fn a_repeating_reminder_is_one_task_that_moves_on_when_done_on_the_server() {
    let (_dir, mut store, _, ana) = with_ana();
    let weekly = reminder(&mut store, Some(ana), 7, Repeat::EveryWeeks { weeks: 1 });
    let plan = store.task_push_plan(now(), || "r-1".into()).unwrap();
    let p = reminder_push(&plan.creates, weekly.id).expect("a task for the reminder");
    assert_eq!(
        p.view,
        TaskView {
            title: "Call Ana".into(),
            due: day(7),
            done: false
        }
    );
    assert!(p.text.contains("X-KITH-REMINDER:1"), "{}", p.text);
    assert!(p.text.contains("X-KITH-CONTACT-UID:ana"), "{}", p.text);
    assert!(!p.text.contains("RRULE"), "{}", p.text);
    let TaskItem::Reminder { due_at, .. } = p.item else {
        panic!()
    };
    store.record_task_pushed(p, Some("\"r1\"")).unwrap();
    let href = p.href.clone();
    assert!(store
        .task_push_plan(now(), || "x".into())
        .unwrap()
        .updates
        .is_empty());

    // Ticked off on the phone: that time is settled as Done (a call logged with Ana)…
    let text = p.text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED");
    let report = store
        .apply_task_pull(&[pulled(&href, "\"r2\"", &text)], &[], Some("s1"), now())
        .unwrap();
    assert_eq!(report.updated, 1);
    let settled: Vec<_> = store
        .occurrences(10)
        .unwrap()
        .into_iter()
        .filter(|o| o.source == crate::schedule::Source::Reminder { id: weekly.id })
        .collect();
    assert_eq!(settled.len(), 1);
    assert_eq!(
        (settled[0].due_at, settled[0].state),
        (due_at, OccurrenceState::Done)
    );
    assert_eq!(
        store.contact_page(ana, 10, now()).unwrap().timeline.len(),
        1,
        "the call"
    );
    // …and Kith moves the task on to the next week, open again, over the server's copy.
    let plan = store.task_push_plan(now(), || "x".into()).unwrap();
    let next = reminder_push(&plan.updates, weekly.id).expect("moved on");
    assert_eq!(next.etag.as_deref(), Some("\"r2\""));
    assert_eq!(
        next.view,
        TaskView {
            title: "Call Ana".into(),
            due: day(14),
            done: false
        }
    );
    let sent = task::read(&next.text).unwrap().unwrap();
    assert_eq!(sent.view, next.view);
    assert!(sent.reminder);

    // Done twice on the server (the same copy pulled again) settles nothing more.
    store
        .apply_task_pull(&[pulled(&href, "\"r2\"", &text)], &[], Some("s2"), now())
        .unwrap();
    assert_eq!(
        store.contact_page(ana, 10, now()).unwrap().timeline.len(),
        1
    );
}

#[test]
fn a_one_off_reminder_done_on_the_server_stays_done_and_never_nudges() {
    let (_dir, mut store, _, _) = with_ana();
    let once = reminder(&mut store, None, 9, Repeat::Never);
    let plan = store.task_push_plan(now(), || "r-1".into()).unwrap();
    let p = reminder_push(&plan.creates, once.id).unwrap().clone();
    assert!(
        !p.text.contains("X-KITH-CONTACT-UID"),
        "about no one: {}",
        p.text
    );
    store.record_task_pushed(&p, Some("\"r1\"")).unwrap();
    let done = p.text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED");
    store
        .apply_task_pull(&[pulled(&p.href, "\"r2\"", &done)], &[], Some("s1"), now())
        .unwrap();
    let plan = store.task_push_plan(now(), || "x".into()).unwrap();
    assert!(reminder_push(&plan.creates, once.id).is_none());
    assert!(reminder_push(&plan.updates, once.id).is_none(), "{plan:?}");
    // Its time comes and goes: it was settled, so it does not fire.
    store.fire_due(now()).unwrap();
    let fired = store.fire_due(now() + chrono::Duration::days(10)).unwrap();
    assert!(
        fired
            .iter()
            .all(|o| o.source != crate::schedule::Source::Reminder { id: once.id }),
        "{fired:?}"
    );
    // Deleting the reminder leaves its task to delete.
    store.delete_reminder(once.id).unwrap();
    let deletes = store.push_plan(now(), uids()).unwrap().deletes;
    assert!(deletes.iter().any(|t| t.href == p.href), "{deletes:?}");
}

#[test]
fn another_devices_reminder_task_is_not_a_follow_up_here() {
    let (_dir, mut store, _, ana) = with_ana();
    let theirs = phone_task("r", "ana", "Call Ana", "X-KITH-REMINDER:1\r\n");
    let report = store
        .apply_task_pull(
            &[pulled("/dav/priya/kith-tasks/r.ics", "\"1\"", &theirs)],
            &[],
            Some("s1"),
            now(),
        )
        .unwrap();
    assert_eq!(report, TaskReport::default());
    assert!(store.follow_ups_for(ana).unwrap().is_empty());
}

#[test]
fn disconnecting_forgets_every_task_kith_knew_on_the_server() {
    let (_dir, mut store, _, ana) = with_ana();
    follow_up(&mut store, ana, "Send the slides", day(9));
    reminder(&mut store, Some(ana), 7, Repeat::EveryWeeks { weeks: 1 });
    let mut n = 0;
    let plan = store
        .task_push_plan(now(), || {
            n += 1;
            format!("t-{n}")
        })
        .unwrap();
    assert_eq!(plan.creates.len(), 2, "a follow-up's task and a reminder's");
    for p in &plan.creates {
        store.record_task_pushed(p, Some("\"1\"")).unwrap();
    }
    assert_eq!(store.sync_known_tasks().unwrap().len(), 2);
    store.set_sync_account(None).unwrap();
    assert!(
        store.sync_known_tasks().unwrap().is_empty(),
        "a later connection, to this server or another, starts afresh"
    );
}

/// Ana's follow-up, sent as a task; the task's href.
fn ana_follow_up_sent(store: &mut Store, ana: i64, due: Option<NaiveDate>) -> (i64, String) {
    let id = follow_up(store, ana, "Send the deck", due);
    let plan = push_tasks(store, "\"t1\"");
    (id, plan.creates[0].href.clone())
}

fn ana_follow_up(store: &Store, ana: i64, id: i64) -> crate::history::FollowUp {
    let all = store.follow_ups_for(ana).unwrap();
    all.into_iter().find(|f| f.id == id).unwrap()
}

#[test]
fn a_task_done_on_the_phone_is_done_when_the_phone_says() {
    let (_dir, mut store, _, ana) = with_ana();
    let (id, href) = ana_follow_up_sent(&mut store, ana, day(9));
    let text = phone_task(
        "task-1",
        "ana",
        "Send the deck",
        "DUE;VALUE=DATE:20261209\r\nSTATUS:COMPLETED\r\nCOMPLETED:20261203T083000Z\r\n",
    );
    let later = now() + chrono::Duration::days(3);
    store
        .apply_task_pull(
            &[Pulled {
                href,
                etag: Some("\"t2\"".into()),
                text,
            }],
            &[],
            None,
            later,
        )
        .unwrap();
    let done = ana_follow_up(&store, ana, id);
    assert_eq!(
        done.completed_at.map(|t| t.to_rfc3339()),
        Some("2026-12-03T08:30:00+00:00".into()),
        "the phone's COMPLETED time, not the sync's"
    );
}

#[test]
fn a_task_due_on_a_date_that_cannot_be_is_left_alone_and_listed() {
    let (_dir, mut store, _, ana) = with_ana();
    let (id, href) = ana_follow_up_sent(&mut store, ana, day(9));
    for due in ["DUE;VALUE=DATE:20261309", "DUE;VALUE=DATE:999991209"] {
        let text = phone_task("task-1", "ana", "Send the deck", &format!("{due}\r\n"));
        let report = store
            .apply_task_pull(
                &[Pulled {
                    href: href.clone(),
                    etag: Some("\"t2\"".into()),
                    text,
                }],
                &[],
                None,
                now(),
            )
            .unwrap();
        assert_eq!(report.skipped.len(), 1, "{due}: {report:?}");
        let kept = ana_follow_up(&store, ana, id);
        assert_eq!(kept.due_on, day(9), "{due}: the follow-up keeps its date");
        let listed = store.sync_status().unwrap().left_alone;
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].href, href);
        assert!(listed[0].reason.contains("due"), "{}", listed[0].reason);
    }
}

#[test]
fn a_reminder_done_on_the_phone_counts_as_a_touch_when_the_phone_says() {
    let (_dir, mut store, _, ana) = with_ana();
    let weekly = reminder(&mut store, Some(ana), 7, Repeat::EveryWeeks { weeks: 1 });
    let plan = store.task_push_plan(now(), || "r-1".into()).unwrap();
    let p = reminder_push(&plan.creates, weekly.id).unwrap().clone();
    store.record_task_pushed(&p, Some("\"r1\"")).unwrap();
    let done = p.text.replace(
        "STATUS:NEEDS-ACTION",
        "STATUS:COMPLETED\r\nCOMPLETED:20261203T083000Z",
    );
    let later = now() + chrono::Duration::days(3);
    store
        .apply_task_pull(&[pulled(&p.href, "\"r2\"", &done)], &[], Some("s1"), later)
        .unwrap();
    let touched = store.get_contact(ana).unwrap().last_touch_at;
    assert_eq!(
        touched.map(|t| t.to_rfc3339()),
        Some("2026-12-03T08:30:00+00:00".into()),
        "the phone's COMPLETED time, not the sync's"
    );
}
