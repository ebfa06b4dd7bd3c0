use chrono::{NaiveDate, TimeZone};

use super::*;
use crate::model::{Circle, LabeledValue};
use crate::sync::card;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap()
}

/// Ana's card as the server holds it: at `company`, with Kith's circle (`close`) or, with
/// `kith` false, with every `X-KITH-*` property stripped by another app.
fn ana_text(company: &str, kith: bool) -> String {
    let circle = if kith { "X-KITH-CIRCLE:close\r\n" } else { "" };
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ana\r\nFN:Ana Lima\r\nORG:{company}\r\n\
         EMAIL:ana@lima.example\r\n{circle}END:VCARD\r\n"
    )
}

fn ana(company: &str) -> Result<Option<ServerCard>> {
    card::read(&ana_text(company, true))
}

/// Ana as Kith reads her card at `company`.
fn contact(company: &str) -> ContactInput {
    ana(company).unwrap().unwrap().contact
}

fn take(outcome: CardOutcome) -> Take {
    match outcome {
        CardOutcome::Take(take) => take,
        other => panic!("not taken: {other:?}"),
    }
}

fn known(current: ContactInput, agreed: ContactInput) -> CardLocal {
    CardLocal::Known {
        id: 7,
        current,
        agreed,
    }
}

#[test]
fn a_card_new_to_kith_adds_a_person_agreed_now_under_its_uid() {
    let t = take(decide_card(&ana("Acme"), CardLocal::New));
    assert_eq!(t.target, Target::New);
    assert_eq!(t.change, Change::Added);
    assert_eq!(t.contact, contact("Acme"));
    assert_eq!(t.agreed, contact("Acme"));
    assert!(t.agreed_now && !t.write && t.conflicts.is_empty());
    assert_eq!(t.uid.as_deref(), Some("ana"));
}

#[test]
fn a_card_changed_on_the_server_only_updates_the_contact() {
    let t = take(decide_card(
        &ana("Globex"),
        known(contact("Acme"), contact("Acme")),
    ));
    assert_eq!(t.change, Change::Updated);
    assert_eq!(t.contact.company.as_deref(), Some("Globex"));
    assert!(t.write && t.agreed_now);
    // The same card again: nothing Kith shows changes.
    let t = take(decide_card(
        &ana("Acme"),
        known(contact("Acme"), contact("Acme")),
    ));
    assert_eq!(t.change, Change::None);
    assert!(!t.write);
}

#[test]
fn a_card_changed_on_both_sides_is_merged_the_servers_value_winning_a_field_both_changed() {
    let agreed = contact("Acme");
    let mut mine = agreed.clone();
    mine.company = Some("Initech".into());
    mine.notes = Some("met at RustConf".into());
    let t = take(decide_card(&ana("Globex"), known(mine.clone(), agreed)));
    assert_eq!(t.change, Change::Merged);
    assert_eq!(t.contact.company.as_deref(), Some("Globex"));
    assert_eq!(t.contact.notes.as_deref(), Some("met at RustConf"));
    let kept_took: Vec<_> = t.conflicts.iter().map(|c| (&*c.kept, &*c.took)).collect();
    assert_eq!(kept_took, [("Initech", "Globex")], "company, both changed");
    // Kith's notes are not on the server yet: pushed next.
    assert!(!t.agreed_now);
    assert_eq!(
        t.target,
        Target::Existing {
            id: 7,
            restore: false
        }
    );
    assert!(t.write && t.contact != mine);
}

#[test]
fn kiths_own_fields_are_kept_when_another_app_stripped_them() {
    let stripped = card::read(&ana_text("Acme", false));
    let mut mine = contact("Acme");
    mine.circle = Circle::Inner;
    mine.cadence_days = Some(14);
    mine.how_we_met = Some("a meetup".into());
    let t = take(decide_card(&stripped, known(mine.clone(), mine.clone())));
    assert_eq!(t.contact, mine, "nothing Kith keeps is lost");
    assert_eq!(t.change, Change::None);
    // The server's copy lacks them: not agreed, so the next push writes them back.
    assert!(!t.agreed_now);
    assert_ne!(t.agreed.circle, Circle::Inner);
}

#[test]
fn a_card_matching_an_unlinked_contact_links_to_it_joining_both() {
    let mut mine = ContactInput {
        display_name: "Ana Lima".into(),
        company: Some("Initech".into()),
        role: Some("CTO".into()),
        ..ContactInput::default()
    };
    mine.emails.push(LabeledValue {
        label: String::new(),
        value: "ANA@lima.example".into(),
    });
    let local = CardLocal::Unlinked {
        id: 3,
        current: mine.clone(),
    };
    let t = take(decide_card(&ana("Acme"), local));
    assert_eq!(t.change, Change::Linked);
    assert_eq!(t.contact.role.as_deref(), Some("CTO"));
    assert_eq!(t.contact.company.as_deref(), Some("Acme"));
    assert_eq!(t.contact.emails.len(), 1, "the same email, once");
    assert_eq!(t.conflicts.len(), 1);
    assert_eq!(t.conflicts[0].kept, "Initech");
    assert!(matches!(t.target, Target::Existing { id: 3, .. }));
}

#[test]
fn kiths_own_card_found_again_keeps_the_contact_and_an_archived_ones_comes_back() {
    let mut mine = contact("Acme");
    mine.notes = Some("newer in Kith".into());
    let named = |archived| CardLocal::Named {
        id: 5,
        current: mine.clone(),
        archived,
    };
    let t = take(decide_card(&ana("Globex"), named(false)));
    assert_eq!(t.contact, mine, "Kith's contact is the newer");
    assert_eq!(t.change, Change::None);
    assert!(!t.write && !t.agreed_now);

    let t = take(decide_card(&ana("Globex"), named(true)));
    assert_eq!(t.change, Change::Restored);
    assert_eq!(t.contact.company.as_deref(), Some("Globex"));
    assert!(matches!(t.target, Target::Existing { restore: true, .. }));
}

#[test]
fn cards_kith_cannot_take_are_skipped_with_why_and_a_card_deleted_here_waits() {
    let group = card::read("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Rust\r\nEND:VCARD\r\n");
    assert_eq!(decide_card(&group, CardLocal::New), CardOutcome::NotAPerson);
    let broken = card::read("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    assert!(matches!(
        decide_card(&broken, CardLocal::New),
        CardOutcome::Skip(why) if !why.is_empty()
    ));
    let long = card::read(&ana_text("Acme", true).replace("Ana Lima", &"Ana ".repeat(200)));
    assert!(matches!(
        decide_card(&long, CardLocal::New),
        CardOutcome::Skip(why) if why.contains("Name")
    ));
    // Deleted in Kith, not yet on the server: the push decides, readable or not.
    assert_eq!(
        decide_card(&ana("Acme"), CardLocal::Deleting),
        CardOutcome::Wait
    );
    assert_eq!(decide_card(&broken, CardLocal::Deleting), CardOutcome::Wait);
}

#[test]
fn a_card_deleted_on_the_server_archives_its_contact_unless_kith_changed_it() {
    let agreed = contact("Acme");
    let mut edited = agreed.clone();
    edited.notes = Some("call soon".into());
    assert_eq!(decide_card_gone(None), CardGone::Forget);
    assert_eq!(
        decide_card_gone(Some((4, &agreed, &agreed))),
        CardGone::Archive(4)
    );
    assert_eq!(
        decide_card_gone(Some((4, &edited, &agreed))),
        CardGone::Unlink(4)
    );
}

fn day(d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 12, d)
}

fn view(title: &str, due: Option<NaiveDate>, done: bool) -> TaskView {
    TaskView {
        title: title.into(),
        due,
        done,
    }
}

/// A task as the server holds it: about the card `ana`, completed at 08:00 when `done`.
fn task_text(title: &str, due: &str, done: bool, reminder: bool) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//Test//EN".into(),
        "BEGIN:VTODO".into(),
        "UID:t-1".into(),
        format!("SUMMARY:{title}"),
        format!("DUE;VALUE=DATE:{due}"),
        "X-KITH-CONTACT-UID:ana".into(),
    ];
    if done {
        lines.extend([
            "STATUS:COMPLETED".into(),
            "COMPLETED:20261202T080000Z".into(),
        ]);
    }
    if reminder {
        lines.push("X-KITH-REMINDER:1".into());
    }
    lines.extend(["END:VTODO".into(), "END:VCALENDAR".into(), String::new()]);
    lines.join("\r\n")
}

fn server_task(title: &str, due: &str, done: bool) -> Result<Option<ServerTask>> {
    task::read(&task_text(title, due, done, false))
}

fn eight() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap()
}

fn follow_up(outcome: TaskOutcome) -> TakeTask {
    match outcome {
        TaskOutcome::FollowUp(take) => take,
        other => panic!("not a follow-up: {other:?}"),
    }
}

#[test]
fn a_task_naming_a_known_contact_adds_a_follow_up_and_others_are_ignored() {
    let open = server_task("Send the deck", "20261209", false);
    let t = follow_up(decide_task(
        &open,
        TaskLocal::New { contact: Some(4) },
        now(),
    ));
    assert_eq!(t.target, TaskTarget::New { contact: 4 });
    assert_eq!(t.view, view("Send the deck", day(9), false));
    assert!(t.agreed_now);
    // About no one Kith knows, or done before Kith saw it: left as it is.
    let nobody = TaskLocal::New { contact: None };
    assert_eq!(decide_task(&open, nobody, now()), TaskOutcome::Ignore);
    let done = server_task("Send the deck", "20261209", true);
    let local = TaskLocal::New { contact: Some(4) };
    assert_eq!(decide_task(&done, local, now()), TaskOutcome::Ignore);
    // Not a task, or another device's reminder.
    let event =
        task::read("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:e\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    let local = TaskLocal::New { contact: Some(4) };
    assert_eq!(decide_task(&event, local, now()), TaskOutcome::Ignore);
    let theirs = task::read(&task_text("Water", "20261209", false, true));
    let local = TaskLocal::New { contact: Some(4) };
    assert_eq!(decide_task(&theirs, local, now()), TaskOutcome::Ignore);
}

#[test]
fn tasks_kith_cannot_take_are_skipped_with_why() {
    let bad_date = server_task("Send the deck", "20261332", false);
    let local = TaskLocal::New { contact: Some(4) };
    assert!(matches!(
        decide_task(&bad_date, local, now()),
        TaskOutcome::Skip(why) if why.contains("DUE")
    ));
    let long = server_task(&"x".repeat(600), "20261209", false);
    let local = TaskLocal::New { contact: Some(4) };
    assert!(matches!(
        decide_task(&long, local, now()),
        TaskOutcome::Skip(why) if !why.is_empty()
    ));
}

#[test]
fn a_task_done_on_the_server_completes_its_follow_up_when_it_was_done() {
    let agreed = view("Send the deck", day(9), false);
    let local = TaskLocal::Known {
        id: 2,
        contact: 4,
        current: agreed.clone(),
        agreed: agreed.clone(),
    };
    let done = server_task("Send the deck", "20261209", true);
    let t = follow_up(decide_task(&done, local, now()));
    assert_eq!(
        t.target,
        TaskTarget::Changed {
            id: 2,
            done_at: eight()
        }
    );
    assert!(t.view.done && t.agreed_now);
}

#[test]
fn a_follow_up_done_in_kith_stays_done_when_the_server_changed_only_the_title() {
    let agreed = view("Send the deck", day(9), false);
    let local = TaskLocal::Known {
        id: 2,
        contact: 4,
        current: view("Send the deck", day(9), true),
        agreed,
    };
    let renamed = server_task("Send the slides", "20261209", false);
    let t = follow_up(decide_task(&renamed, local, now()));
    assert_eq!(t.view, view("Send the slides", day(9), true));
    assert!(matches!(t.target, TaskTarget::Changed { id: 2, .. }));
    assert!(!t.agreed_now, "done goes to the server next");
}

#[test]
fn a_task_reopened_on_the_server_reopens_the_follow_up_and_an_unchanged_one_is_kept() {
    let done = view("Send the deck", day(9), true);
    let local = |current: TaskView| TaskLocal::Known {
        id: 2,
        contact: 4,
        current,
        agreed: done.clone(),
    };
    let reopened = server_task("Send the deck", "20261209", false);
    let t = follow_up(decide_task(&reopened, local(done.clone()), now()));
    assert!(!t.view.done);
    assert!(matches!(t.target, TaskTarget::Changed { .. }));
    let same = server_task("Send the deck", "20261209", true);
    let t = follow_up(decide_task(&same, local(done.clone()), now()));
    assert_eq!(t.target, TaskTarget::Kept { id: 2 });
    // Kith's own task found again: the follow-up is the newer.
    let mine = view("Send the deck by Friday", day(11), false);
    let named = TaskLocal::Named {
        id: 2,
        current: mine.clone(),
    };
    let t = follow_up(decide_task(&reopened, named, now()));
    assert_eq!((t.target, t.view), (TaskTarget::Kept { id: 2 }, mine));
    assert!(!t.agreed_now);
}

#[test]
fn a_reminders_task_done_on_the_server_settles_its_time_once() {
    let open = view("Water the plants", day(9), false);
    let done = task::read(&task_text("Water the plants", "20261209", true, true));
    let outcome = decide_task(
        &done,
        TaskLocal::Reminder {
            agreed: open.clone(),
        },
        now(),
    );
    let TaskOutcome::Reminder { settle, agreed } = outcome else {
        panic!("not a reminder: {outcome:?}");
    };
    assert_eq!(settle, Some(eight()));
    assert!(agreed.done);
    // Done already when both last agreed: nothing to settle again.
    let outcome = decide_task(&done, TaskLocal::Reminder { agreed }, now());
    assert!(matches!(
        outcome,
        TaskOutcome::Reminder { settle: None, .. }
    ));
    // Unreadable: left for the next push to write over.
    let broken = task::read("not a calendar");
    let local = TaskLocal::Reminder { agreed: open };
    assert_eq!(decide_task(&broken, local, now()), TaskOutcome::Ignore);
}

#[test]
fn a_task_deleted_on_the_server_completes_its_follow_up_counting_an_open_one() {
    assert_eq!(decide_task_gone(None), TaskGone::Forget);
    assert_eq!(
        decide_task_gone(Some((2, true))),
        TaskGone::Complete {
            id: 2,
            counted: true
        }
    );
    assert_eq!(
        decide_task_gone(Some((2, false))),
        TaskGone::Complete {
            id: 2,
            counted: false
        }
    );
}
