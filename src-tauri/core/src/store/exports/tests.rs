use super::*;
use crate::history::{InteractionInput, InteractionKind};
use crate::import::{ImportOptions, ImportSource};
use crate::model::{Birthday, Channel, Circle, ContactInput, LabeledValue};
use crate::reminder::ReminderInput;
use crate::store::tests::temp_store;

fn now() -> DateTime<Utc> {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

fn lv(label: &str, value: &str) -> LabeledValue {
    LabeledValue {
        label: label.into(),
        value: value.into(),
    }
}

/// A small network with every kind of field, history, a follow-up, a goal, an event, a
/// reminder, an archived contact and an import.
fn network(store: &mut Store) {
    let priya = store
        .add_contact(
            ContactInput {
                display_name: "Priya Raman".into(),
                given_name: Some("Priya".into()),
                family_name: Some("Raman".into()),
                emails: vec![
                    lv("work", "priya@acme.example"),
                    lv("conference", "p@talks.example"),
                ],
                phones: vec![lv("mobile", "+44 7700 900123"), lv("", "+44 20 7946 0000")],
                links: vec![
                    lv("LinkedIn", "https://www.linkedin.com/in/priya-raman"),
                    lv("blog", "https://priya.example/blog"),
                ],
                company: Some("Acme, Inc.".into()),
                role: Some("Head of DevRel; speaker".into()),
                location: Some("London, United Kingdom".into()),
                time_zone: Some("Europe/London".into()),
                how_we_met: Some("RustConf hallway, 2019".into()),
                notes: Some(
                    "Recommended “Thinking in Systems”.\nAsk about the talk; the one, with slides."
                        .into(),
                ),
                tags: vec!["Mentors, old".into(), "Rust".into()],
                circle: Circle::Inner,
                cadence_days: Some(21),
                preferred_channel: Some(Channel::Video),
                birthday: Some(Birthday {
                    month: 2,
                    day: 29,
                    year: None,
                }),
            },
            now(),
        )
        .unwrap();
    let jonas = store
        .add_contact(
            ContactInput {
                display_name: "Jonas Berg".into(),
                birthday: Some(Birthday {
                    month: 11,
                    day: 2,
                    year: Some(1988),
                }),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    store
        .log_interaction(
            InteractionInput {
                contact_ids: vec![priya.id, jonas.id],
                kind: InteractionKind::Coffee,
                occurred_at: now() - chrono::Duration::days(3),
                direction: None,
                notes: Some("Talked about the book".into()),
            },
            now(),
        )
        .unwrap();
    store
        .add_reminder(
            ReminderInput {
                contact_id: Some(priya.id),
                title: "Call Priya".into(),
                date: "2026-12-07".parse().unwrap(),
                time: "10:00".into(),
                repeat: crate::repeat::Repeat::MonthlyOnWeekday,
            },
            now(),
        )
        .unwrap();
    let gone = store
        .add_contact(
            ContactInput {
                display_name: "Archived Person".into(),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    store.archive_contact(gone.id, now()).unwrap();
    let bytes = crate::import::tests::fixture("linkedin.csv");
    let source = ImportSource::read("Connections.csv", &bytes, None).unwrap();
    store
        .import(&source, &ImportOptions::default(), &[], now())
        .unwrap();
}

fn inputs(store: &Store) -> Vec<ContactInput> {
    store
        .all_contacts()
        .unwrap()
        .iter()
        .map(Contact::to_input)
        .collect()
}

/// `vcf` imported into a new data folder, every card read.
fn imported_into_a_new_folder(
    vcf: &str,
) -> (tempfile::TempDir, Store, crate::import::ImportReport) {
    let (dir, mut restored) = temp_store();
    let source = ImportSource::read("kith.vcf", vcf.as_bytes(), None).unwrap();
    assert!(source.read.skipped.is_empty(), "{:?}", source.read.skipped);
    let report = restored
        .import(&source, &ImportOptions::default(), &[], now())
        .unwrap();
    (dir, restored, report)
}

#[test]
fn a_vcard_export_imports_back_into_the_same_contacts() {
    let (_dir, mut store) = temp_store();
    network(&mut store);
    let vcf = store.export(ExportFormat::Vcf, now()).unwrap();
    assert!(vcf.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{vcf}");
    assert!(!vcf.contains("Archived Person"));

    let (_other, restored, report) = imported_into_a_new_folder(&vcf);
    assert_eq!(
        report.added, 6,
        "two Priyas (different people), Jonas merged with his LinkedIn"
    );
    assert_eq!(inputs(&restored), inputs(&store));
}

#[test]
fn a_csv_export_has_a_row_per_contact_that_csv_import_reads_back() {
    let (_dir, mut store) = temp_store();
    network(&mut store);
    let csv = store.export(ExportFormat::Csv, now()).unwrap();
    assert!(csv.starts_with("Name,Given name,Family name,Email,Phone,Link"));
    assert_eq!(
        csv.lines()
            .filter(|l| l.contains("priya@acme.example"))
            .count(),
        1
    );
    let source = ImportSource::read("kith.csv", csv.as_bytes(), None).unwrap();
    assert_eq!(source.read.records.len(), 6);
    let priya = source
        .read
        .records
        .iter()
        .find(|r| {
            r.contact
                .emails
                .iter()
                .any(|e| e.value == "priya@acme.example")
        })
        .unwrap();
    assert_eq!(priya.contact.emails.len(), 2);
    assert_eq!(priya.contact.tags, vec!["Mentors, old", "Rust"]);
    assert_eq!(
        priya
            .contact
            .notes
            .as_deref()
            .map(|n| n.contains("with slides")),
        Some(true)
    );
}

#[test]
fn a_json_backup_restores_into_an_empty_folder_row_for_row() {
    let (_dir, mut store) = temp_store();
    network(&mut store);
    let backup = store.export(ExportFormat::Json, now()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&backup).unwrap();
    assert_eq!(value["format"], "kith-backup");
    assert_eq!(
        value["schemaVersion"],
        Store::latest_schema_version() as u64
    );
    assert_eq!(value["tables"]["contacts"].as_array().unwrap().len(), 7);

    let (_other, mut restored) = temp_store();
    let rows = restored.restore_backup(&backup, now()).unwrap();
    assert!(rows > 20, "{rows} rows");
    assert_eq!(
        restored.backup_json(now()).unwrap(),
        backup,
        "byte for byte"
    );
    // The search index is rebuilt.
    let found = restored
        .search_contacts(
            &crate::search::ContactQuery {
                text: "watanabe".into(),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    // A second restore, or one into a network, is refused and changes nothing.
    let err = restored.restore_backup(&backup, now()).unwrap_err();
    assert!(err.to_string().contains("empty data folder"), "{err}");
    assert_eq!(restored.backup_json(now()).unwrap(), backup);
}

#[test]
fn a_damaged_backup_changes_nothing() {
    let (_dir, mut store) = temp_store();
    network(&mut store);
    let backup = store.export(ExportFormat::Json, now()).unwrap();
    let (_other, mut empty) = temp_store();
    let before = empty.backup_json(now()).unwrap();
    let broken_fk = backup.replacen("\"contact_id\":1,", "\"contact_id\":999,", 1);
    assert_ne!(broken_fk, backup);
    for bad in [
        "{}".to_owned(),
        "not json".to_owned(),
        backup.replace("\"kith-backup\"", "\"something-else\""),
        backup.replace("\"display_name\"", "\"nickname\""),
        broken_fk,
    ] {
        assert!(empty.restore_backup(&bad, now()).is_err());
        assert_eq!(empty.backup_json(now()).unwrap(), before);
    }
}

#[test]
fn a_backup_taken_while_another_process_writes_is_one_state_of_the_network() {
    let (_dir, store) = temp_store();
    let path = store.path().to_path_buf();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Another connection adds people, each with a call, one transaction each: a backup
    // that read `contacts` before and `interaction_contacts` after one of them would
    // name a person it does not hold.
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut other = Store::open(&path).unwrap();
            let mut added = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let id = other
                    .add_contact(
                        ContactInput {
                            display_name: format!("Person {added}"),
                            ..Default::default()
                        },
                        now(),
                    )
                    .unwrap()
                    .id;
                other
                    .log_interaction(
                        InteractionInput {
                            contact_ids: vec![id],
                            kind: InteractionKind::Call,
                            occurred_at: now(),
                            direction: None,
                            notes: None,
                        },
                        now(),
                    )
                    .unwrap();
                added += 1;
            }
            added
        })
    };
    for _ in 0..12 {
        let backup = store.export(ExportFormat::Json, now()).unwrap();
        let (_other, mut restored) = temp_store();
        restored.restore_backup(&backup, now()).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(writer.join().unwrap() > 0);
}

#[test]
fn a_malformed_row_is_named_in_words_not_in_sqlite_text() {
    let (_dir, mut store) = temp_store();
    network(&mut store);
    let backup = store.export(ExportFormat::Json, now()).unwrap();
    let (_other, mut empty) = temp_store();
    let first_row =
        backup.find("\"contacts\": [\n      {").unwrap() + "\"contacts\": [\n      ".len();
    let end = first_row + backup[first_row..].find('}').unwrap() + 1;
    let cases = [
        (
            format!("{}{{}}{}", &backup[..first_row], &backup[end..]),
            "Row 1 of “contacts” has no values.",
        ),
        (
            backup.replacen("\"contact_id\":1,", "\"contact_id\":999,", 1),
            "points at a row of “contacts” that is not in it",
        ),
        (
            backup.replacen(
                "\"display_name\":\"Kenji",
                "\"x\":1,\"display_name\":\"Kenji",
                1,
            ),
            "“contacts” has no column “x”",
        ),
        (
            backup.replacen(
                "\"display_name\":\"Kenji Watanabe\"",
                "\"display_name\":null",
                1,
            ),
            "cannot be restored: NOT NULL constraint failed: contacts.display_name",
        ),
        (
            backup.replacen("\"tables\": {", "\"tables\": {\"contacts\": 7, ", 1),
            "“contacts” as a list of rows",
        ),
    ];
    for (bad, says) in cases {
        assert_ne!(bad, backup, "{says}");
        let err = empty.restore_backup(&bad, now()).unwrap_err().to_string();
        assert!(err.contains(says), "{says}: {err}");
        assert!(
            !err.contains("syntax error") && !err.contains("FOREIGN KEY"),
            "{err}"
        );
    }
    assert_eq!(empty.all_contacts().unwrap().len(), 0);
}

#[test]
fn a_backup_restores_from_a_reader_whatever_its_size() {
    let (dir, mut store) = temp_store();
    for i in 0..300 {
        store
            .add_contact(
                ContactInput {
                    display_name: format!("Person {i:03}"),
                    notes: Some("n".repeat(2000)),
                    ..Default::default()
                },
                now(),
            )
            .unwrap();
    }
    let file = dir.path().join("backup.json");
    let mut out = std::fs::File::create(&file).unwrap();
    store
        .export_to(ExportFormat::Json, now(), &mut out)
        .unwrap();
    drop(out);
    let (_other, mut restored) = temp_store();
    let rows = restored
        .restore_backup_from(std::fs::File::open(&file).unwrap(), now())
        .unwrap();
    assert!(rows >= 300, "{rows}");
    assert_eq!(
        restored.backup_json(now()).unwrap(),
        std::fs::read_to_string(&file).unwrap()
    );
}

#[test]
fn the_calendar_holds_upcoming_reminders_and_open_follow_ups() {
    let (_dir, mut store) = temp_store();
    network(&mut store);
    let priya = store
        .all_contacts()
        .unwrap()
        .into_iter()
        .find(|c| c.display_name == "Priya Raman")
        .unwrap();
    store
        .add_follow_up(
            crate::history::FollowUpInput {
                contact_id: priya.id,
                title: "Send the slides, with notes".into(),
                due_on: Some("2026-11-30".parse().unwrap()),
                interaction_id: None,
            },
            now(),
        )
        .unwrap();
    let ics = store.export(ExportFormat::Ics, now()).unwrap();
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(unfolded.contains("DTSTART;TZID=UTC:20261207T100000\r\nDURATION:PT15M\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO\r\nSUMMARY:Call Priya (Priya Raman)"), "{unfolded}");
    assert!(
        unfolded.contains(
            "SUMMARY:Send the slides\\, with notes (Priya Raman)\r\nDUE;VALUE=DATE:20261130"
        ),
        "{unfolded}"
    );
    assert!(unfolded.ends_with("END:VCALENDAR\r\n"));
    // calcard reads it as one calendar.
    let mut parser = calcard::Parser::new(&ics);
    assert!(matches!(parser.entry(), calcard::Entry::ICalendar(_)));
}

/// A writer that keeps what it is given and the largest piece it was given at once.
#[derive(Default)]
struct Pieces {
    bytes: Vec<u8>,
    largest: usize,
}

impl Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.largest = self.largest.max(buf.len());
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `count` people, each with notes of `notes` characters (different for each).
fn many(store: &mut Store, count: usize, notes: usize) {
    for i in 0..count {
        let text: String = format!("Person {i} met at a conference; ")
            .chars()
            .cycle()
            .take(notes)
            .collect();
        store
            .add_contact(
                ContactInput {
                    display_name: format!("Person {i:05}"),
                    emails: vec![lv("work", &format!("p{i}@example.org"))],
                    notes: Some(text),
                    ..Default::default()
                },
                now(),
            )
            .unwrap();
    }
}

#[test]
fn contacts_are_written_one_at_a_time_never_the_whole_file_at_once() {
    let (_dir, mut store) = temp_store();
    many(&mut store, 300, 5_000);
    for format in [ExportFormat::Csv, ExportFormat::Vcf] {
        let mut out = Pieces::default();
        store.export_to(format, now(), &mut out).unwrap();
        assert!(
            out.bytes.len() > 1_500_000,
            "{format:?}: {}",
            out.bytes.len()
        );
        assert!(
            out.largest <= 64 * 1024,
            "{format:?} wrote {} bytes at once",
            out.largest
        );
    }
}

#[test]
fn a_vcard_export_over_32_mb_imports_back() {
    let (_dir, mut store) = temp_store();
    many(&mut store, 2_200, 15_000);
    let vcf = store.export(ExportFormat::Vcf, now()).unwrap();
    assert!(vcf.len() > 32 * 1024 * 1024, "{} bytes", vcf.len());
    let (_other, restored, report) = imported_into_a_new_folder(&vcf);
    assert_eq!(report.added, 2_200);
    assert_eq!(inputs(&restored), inputs(&store));
}

#[test]
fn an_export_never_overwrites_the_network_whatever_the_name() {
    let (dir, mut store) = temp_store();
    network(&mut store);
    store
        .back_up(crate::backup::BackupReason::Manual, now())
        .unwrap();
    let data = dir.path();
    let backup = store.backups().unwrap()[0].file_name.clone();
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("contacts.csv");
    std::os::unix::fs::symlink(data.join("kith.db"), &link).unwrap();
    let hard = outside.path().join("hard.csv");
    std::fs::hard_link(data.join("backups").join(&backup), &hard).unwrap();
    let sub = data.join("backups");
    let not_yet = data.join("not-yet/deeper/../../kith.db-wal");
    let before = std::fs::read(data.join("kith.db")).unwrap();
    for target in [
        data.join("kith.db"),
        data.join("kith.db-wal"),
        data.join("kith.db-shm"),
        data.join("kith.db-journal"),
        sub.join("..").join("kith.db"),
        sub.join(&backup),
        sub.join("new.csv"),
        not_yet,
        link,
        hard,
    ] {
        let err = store
            .export_file(ExportFormat::Csv, now(), &target)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("would overwrite your network"),
            "{}: {err}",
            target.display()
        );
        assert!(err.contains(&data.display().to_string()), "{err}");
    }
    assert_eq!(std::fs::read(data.join("kith.db")).unwrap(), before);
    assert!(inputs(&store).len() > 3);
    let fine = outside.path().join("contacts.csv.out");
    store.export_file(ExportFormat::Csv, now(), &fine).unwrap();
    assert!(std::fs::read_to_string(&fine).unwrap().starts_with("Name,"));
}
