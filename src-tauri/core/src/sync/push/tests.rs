use chrono::{NaiveDate, TimeZone};

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap()
}

const ANA: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ana\r\nFN:Ana Lima\r\nORG:Acme\r\n\
                   EMAIL:ana@lima.example\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\nEND:VCARD\r\n";

fn ana() -> ContactInput {
    card::read(ANA).unwrap().unwrap().contact
}

fn linked(view: ContactInput) -> LinkedCard {
    LinkedCard {
        contact_id: 1,
        known: Known {
            href: "/book/ana.vcf".into(),
            etag: Some("\"1\"".into()),
            text: ANA.into(),
            agreed: ana(),
        },
        view,
    }
}

#[test]
fn an_items_href_is_its_uid_in_the_collection() {
    assert_eq!(item_href("/book/", "u1", "vcf"), "/book/u1.vcf");
    assert_eq!(item_href("/tasks", "u2", "ics"), "/tasks/u2.ics");
}

#[test]
fn new_contacts_become_new_cards_and_only_changed_ones_are_sent_as_edits() {
    let new = NewCard {
        contact_id: 2,
        uid: "u-2".into(),
        href: "/book/u-2.vcf".into(),
        view: ContactInput {
            display_name: "Bo Chen".into(),
            ..ContactInput::default()
        },
    };
    let mut moved = ana();
    moved.company = Some("Globex".into());
    let gone = Tombstone {
        href: "/book/old.vcf".into(),
        etag: None,
    };
    let plan = card_plan(
        vec![new],
        vec![linked(ana()), linked(moved.clone())],
        vec![gone.clone()],
        true,
        now(),
    )
    .unwrap();
    assert_eq!(plan.creates.len(), 1);
    let c = &plan.creates[0];
    assert_eq!((c.contact_id, c.etag.as_deref()), (2, None));
    assert!(c.text.contains("VERSION:3.0") && c.text.contains("UID:u-2"));
    // The unchanged contact is not sent; the changed one is the server's copy, edited.
    assert_eq!(plan.updates.len(), 1);
    let u = &plan.updates[0];
    assert_eq!(u.etag.as_deref(), Some("\"1\""));
    assert!(u.text.contains("ORG:Globex") && u.text.contains("PHOTO"));
    assert_eq!((u.view.clone(), u.read_at), (moved, now()));
    assert_eq!(plan.deletes, vec![gone]);
}

#[test]
fn a_card_kith_does_not_read_as_a_person_is_not_written_over() {
    let mut l = linked(ContactInput::default());
    l.known.text = "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Rust\r\nEND:VCARD\r\n".into();
    let plan = card_plan(vec![], vec![l], vec![], false, now()).unwrap();
    assert!(plan.updates.is_empty());
}

fn open(title: &str, d: u32) -> TaskView {
    TaskView {
        title: title.into(),
        due: NaiveDate::from_ymd_opt(2026, 12, d),
        done: false,
    }
}

fn uids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("r-{n}")
    }
}

#[test]
fn follow_ups_get_tasks_naming_their_contacts_card_and_changes_are_edits() {
    let new = |id, contact_uid: Option<&str>| NewFollowUp {
        id,
        uid: format!("f-{id}"),
        href: format!("/tasks/f-{id}.ics"),
        contact_uid: contact_uid.map(str::to_owned),
        name: "Ana Lima".into(),
        view: open("Send the deck", 9),
    };
    let was = open("Send the deck", 9);
    let server = task::new_task(
        "f-3",
        About {
            contact_uid: "ana",
            name: "Ana Lima",
        },
        &was,
        now(),
    );
    let known = Known {
        href: "/tasks/f-3.ics".into(),
        etag: Some("\"7\"".into()),
        text: server,
        agreed: was.clone(),
    };
    let linked = |view| LinkedFollowUp {
        id: 3,
        known: known.clone(),
        view,
    };
    let mut done = was.clone();
    done.done = true;
    let plan = task_plan(
        "/tasks/",
        vec![new(1, Some("ana")), new(2, None)],
        vec![linked(was.clone()), linked(done)],
        vec![],
        now(),
        &mut uids(),
    )
    .unwrap();
    assert_eq!(plan.creates.len(), 1, "a card without a UID names no task");
    assert_eq!(plan.creates[0].item, TaskItem::FollowUp(1));
    assert!(plan.creates[0].text.contains("X-KITH-CONTACT-UID:ana"));
    assert_eq!(plan.updates.len(), 1);
    let u = &plan.updates[0];
    assert_eq!(
        (u.item, u.etag.as_deref()),
        (TaskItem::FollowUp(3), Some("\"7\""))
    );
    assert!(u.text.contains("STATUS:COMPLETED"), "{}", u.text);
}

#[test]
fn a_reminders_task_stands_for_its_next_time_and_moves_on_with_it() {
    let at = |d| Utc.with_ymd_and_hms(2026, 12, d, 23, 30, 0).unwrap();
    let tokyo: chrono_tz::Tz = "Asia/Tokyo".parse().unwrap();
    let reminder = |time, known| ReminderTask {
        id: 8,
        title: "Water the plants".into(),
        zone: tokyo,
        time,
        about: None,
        known,
    };
    let plan_for = |r| task_plan("/tasks", vec![], vec![], vec![r], now(), &mut uids()).unwrap();
    // A time ahead and no task: one is made, named by a new UID, due that day in its zone.
    let plan = plan_for(reminder(Some(at(9)), None));
    let c = &plan.creates[0];
    assert_eq!(c.href, "/tasks/r-1.ics");
    assert_eq!(
        c.item,
        TaskItem::Reminder {
            id: 8,
            due_at: at(9)
        }
    );
    assert_eq!(
        c.view,
        open("Water the plants", 10),
        "23:30 UTC is the next day in Tokyo"
    );
    // No time left and no task: nothing.
    let plan = plan_for(reminder(None, None));
    assert!(plan.creates.is_empty() && plan.updates.is_empty());
    // Its task stood for the 9th; the reminder moved on to the 16th: the task follows.
    let text = task::new_reminder_task("r-1", None, &open("Water the plants", 10), now());
    let known = Known {
        href: "/tasks/r-1.ics".into(),
        etag: Some("\"2\"".into()),
        text,
        agreed: open("Water the plants", 10),
    };
    let plan = plan_for(reminder(Some(at(16)), Some((known.clone(), at(9)))));
    let u = &plan.updates[0];
    assert_eq!(
        u.item,
        TaskItem::Reminder {
            id: 8,
            due_at: at(16)
        }
    );
    assert_eq!(u.view, open("Water the plants", 17));
    // A one-off done: its task is done, standing for the time it had.
    let plan = plan_for(reminder(None, Some((known, at(9)))));
    let u = &plan.updates[0];
    assert_eq!(
        u.item,
        TaskItem::Reminder {
            id: 8,
            due_at: at(9)
        }
    );
    assert!(u.view.done && u.view.due == NaiveDate::from_ymd_opt(2026, 12, 10));
}
