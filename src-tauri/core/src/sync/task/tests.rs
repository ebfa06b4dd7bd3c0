use chrono::TimeZone;

use super::*;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap()
}

fn open(title: &str, due: Option<(i32, u32, u32)>) -> TaskView {
    TaskView {
        title: title.to_owned(),
        due: due.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        done: false,
    }
}

#[test]
fn a_new_task_reads_back_as_written() {
    let view = open("Send the deck; then call, maybe", Some((2026, 12, 9)));
    let about = About {
        contact_uid: "card-7",
        name: "Priya Raman",
    };
    let text = new_task("f-1", about, &view, at());
    assert!(text.contains("X-KITH-CONTACT-UID:card-7"), "{text}");
    assert!(text.contains("RELATED-TO:card-7"), "{text}");
    assert!(text.contains("DUE;VALUE=DATE:20261209"), "{text}");
    assert!(!text.contains("RRULE"), "tasks never repeat: {text}");
    let task = read(&text).unwrap().unwrap();
    assert_eq!(task.view, view);
    assert_eq!(task.contact_uid.as_deref(), Some("card-7"));
    assert!(!task.reminder);
    let reminder = read(&new_reminder_task("r-1", None, &view, at()))
        .unwrap()
        .unwrap();
    assert!(reminder.reminder && reminder.contact_uid.is_none());
    assert_eq!(reminder.view, view);
}

#[test]
fn done_is_read_from_any_of_the_ways_clients_say_it() {
    let base = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\nBEGIN:VTODO\r\nUID:x\r\nSUMMARY:Call Ana\r\n";
    let end = "END:VTODO\r\nEND:VCALENDAR\r\n";
    for (line, done) in [
        ("STATUS:COMPLETED\r\n", true),
        ("COMPLETED:20261201T100000Z\r\n", true),
        ("PERCENT-COMPLETE:100\r\n", true),
        ("PERCENT-COMPLETE:40\r\n", false),
        ("STATUS:NEEDS-ACTION\r\n", false),
    ] {
        let task = read(&format!("{base}{line}{end}")).unwrap().unwrap();
        assert_eq!(task.view.done, done, "{line}");
        assert_eq!(task.contact_uid, None, "no contact named");
    }
}

#[test]
fn a_due_time_counts_by_its_date_and_a_calendar_without_a_task_is_none() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:x\r\nSUMMARY:Call\r\nDUE:20261205T170000Z\r\nRELATED-TO:card-3\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let task = read(text).unwrap().unwrap();
    assert_eq!(task.view.due, NaiveDate::from_ymd_opt(2026, 12, 5));
    assert_eq!(
        task.contact_uid.as_deref(),
        Some("card-3"),
        "RELATED-TO serves"
    );
    let event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e\r\nDTSTART:20261205T170000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert!(read(event).unwrap().is_none());
    assert!(read("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\nEND:VCARD\r\n").is_err());
}

#[test]
fn editing_keeps_what_kith_does_not_write() {
    let server = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VTODO\r\nUID:f-1\r\nSUMMARY:Send the deck\r\nCATEGORIES:work\r\nX-PHONE-FLAG:red\r\nSEQUENCE:4\r\nX-KITH-CONTACT-UID:card-7\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:soon\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let task = read(server).unwrap().unwrap();
    let done = TaskView {
        done: true,
        ..task.view.clone()
    };
    let text = edit(&task.calendar, &task.view, &done, at());
    for kept in [
        "CATEGORIES:work",
        "X-PHONE-FLAG:red",
        "BEGIN:VALARM",
        "TRIGGER:-PT15M",
        "PRODID:-//Phone//EN",
        "SUMMARY:Send the deck",
    ] {
        assert!(text.contains(kept), "{kept} kept: {text}");
    }
    assert!(text.contains("STATUS:COMPLETED"), "{text}");
    assert!(text.contains("SEQUENCE:5"), "{text}");
    let back = read(&text).unwrap().unwrap();
    assert_eq!(back.view, done);
    assert_eq!(back.contact_uid.as_deref(), Some("card-7"));

    // Open again: the completion goes, the title stays.
    let reopened = edit(&back.calendar, &done, &task.view, at());
    assert!(!reopened.contains("COMPLETED:"), "{reopened}");
    assert_eq!(read(&reopened).unwrap().unwrap().view, task.view);
}

#[test]
fn merging_takes_each_sides_change_and_completion_from_either() {
    let was = open("Send the deck", Some((2026, 12, 9)));
    let kith_done = TaskView {
        done: true,
        ..was.clone()
    };
    let server_moved = open("Send the deck", Some((2026, 12, 12)));
    assert_eq!(
        merge(&was, &kith_done, &server_moved),
        TaskView {
            done: true,
            ..server_moved.clone()
        }
    );
    // Both renamed: the server's title.
    let kith_renamed = open("Send the slides", Some((2026, 12, 9)));
    let server_renamed = open("Send the PDF", Some((2026, 12, 9)));
    assert_eq!(
        merge(&was, &kith_renamed, &server_renamed).title,
        "Send the PDF"
    );
    // Reopened on one side while the other kept it done: open.
    let done_before = kith_done.clone();
    assert!(!merge(&done_before, &was, &done_before).done);
    // Done on the server only: done.
    assert!(merge(&was, &was, &kith_done).done);
}
