use super::*;
use crate::import::{self, Format};
use crate::model::LabeledValue;
use crate::store::tests::temp_store;

fn now() -> DateTime<Utc> {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

fn source(name: &str) -> ImportSource {
    let bytes = crate::import::tests::fixture(name);
    let format = import::detect(&bytes).unwrap();
    let mut read = Collected::default();
    import::parse(&bytes, format, None, &mut read).unwrap();
    ImportSource {
        file_name: name.into(),
        format,
        read,
    }
}

fn tagged(tag: &str) -> ImportOptions {
    ImportOptions {
        tag: Some(tag.into()),
        circle: None,
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn id_of(store: &Store, name: &str) -> i64 {
    store
        .conn
        .query_row(
            "SELECT id FROM contacts WHERE display_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn two_imports_of_one_file_at_once_from_two_connections_add_everyone_once() {
    let (_dir, store) = temp_store();
    let path = store.path().to_path_buf();
    // A third connection holds the write lock while both imports start.
    let mut holder = Connection::open(&path).unwrap();
    let lock = holder
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let imports: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                crate::store::lock_waits::watch_this_thread();
                let mut store = Store::open(&path).unwrap();
                store
                    .import(
                        &source("linkedin.csv"),
                        &ImportOptions::default(),
                        &[],
                        now(),
                    )
                    .unwrap()
            })
        })
        .collect();
    let queued: Vec<_> = imports.iter().map(|t| t.thread().id()).collect();
    crate::store::lock_waits::wait_until_queued(&queued);
    lock.commit().unwrap();
    let added: Vec<u32> = imports
        .into_iter()
        .map(|i| i.join().unwrap().added)
        .collect();
    assert_eq!(added.iter().sum::<u32>(), 5, "{added:?}");
    assert_eq!(count(&store, "SELECT count(*) FROM contacts"), 5);
}

#[test]
fn a_linkedin_export_becomes_contacts_with_their_connection_date_and_a_tag() {
    let (_dir, mut store) = temp_store();
    let src = source("linkedin.csv");
    let plan = store.plan_import(&src, &tagged("LinkedIn")).unwrap();
    assert_eq!(
        plan.counts,
        ImportCounts {
            new: 5,
            duplicates: 0,
            unchanged: 0,
            skipped: 1
        }
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM contacts"),
        0,
        "a plan stores nothing"
    );

    let report = store.import(&src, &tagged("LinkedIn"), &[], now()).unwrap();
    assert_eq!((report.added, report.merged, report.unchanged), (5, 0, 0));
    assert_eq!(report.skipped.len(), 1);
    let priya = store.get_contact(id_of(&store, "Priya Raman")).unwrap();
    assert_eq!(priya.tags, vec!["LinkedIn"]);
    assert_eq!(priya.links[0].label, "LinkedIn");
    let history = store.timeline(priya.id, 10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].kind, InteractionKind::Connected);
    assert_eq!(
        history[0].occurred_at.date_naive(),
        NaiveDate::from_ymd_opt(2024, 3, 15).unwrap()
    );
    assert_eq!(priya.last_touch_at, Some(history[0].occurred_at));
    // Kenji's date was unreadable: a contact without a history.
    assert!(store
        .timeline(id_of(&store, "Kenji Watanabe"), 10)
        .unwrap()
        .is_empty());
    // Searchable at once.
    let found = store
        .search_contacts(
            &crate::search::ContactQuery {
                text: "angstrom".into(),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(found.len(), 1);
}

#[test]
fn imported_contacts_have_the_derived_columns_a_full_refresh_gives() {
    let (_dir, mut store) = temp_store();
    store
        .import(
            &source("linkedin.csv"),
            &ImportOptions {
                tag: None,
                circle: Some(Circle::Acquaintance),
            },
            &[],
            now(),
        )
        .unwrap();
    type Derived = (i64, Option<i64>, Option<i64>, i64, Option<i64>, Option<i64>);
    let derived = |store: &Store| -> Vec<Derived> {
        store
            .conn
            .prepare(
                "SELECT id, first_touch_at, last_touch_at, touch_count, next_due_at,
                        overdue_at FROM contacts ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let imported = derived(&store);
    assert_eq!(imported.len(), 5);
    assert!(imported.iter().any(|r| r.2.is_some()) && imported.iter().any(|r| r.2.is_none()));
    store.recompute_due_dates().unwrap();
    assert_eq!(derived(&store), imported);
    let priya = store.get_contact(id_of(&store, "Priya Raman")).unwrap();
    assert_eq!(priya.circle, Circle::Acquaintance);
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let (_dir, mut store) = temp_store();
    for name in ["linkedin.csv", "apple.vcf", "google.csv"] {
        let src = source(name);
        store.import(&src, &tagged("Imported"), &[], now()).unwrap();
        let contacts = count(&store, "SELECT count(*) FROM contacts");
        let interactions = count(&store, "SELECT count(*) FROM interactions");
        let plan = store.plan_import(&src, &tagged("Imported")).unwrap();
        assert_eq!(
            (plan.counts.new, plan.counts.duplicates),
            (0, 0),
            "{name}: {:#?}",
            plan.entries
        );
        let again = store.import(&src, &tagged("Imported"), &[], now()).unwrap();
        assert_eq!((again.added, again.merged), (0, 0), "{name}");
        assert_eq!(count(&store, "SELECT count(*) FROM contacts"), contacts);
        assert_eq!(
            count(&store, "SELECT count(*) FROM interactions"),
            interactions
        );
    }
}

#[test]
fn duplicates_are_offered_for_merge_field_by_field() {
    let (_dir, mut store) = temp_store();
    let priya = store
        .add_contact(
            ContactInput {
                display_name: "Priya R.".into(),
                emails: vec![LabeledValue {
                    label: "work".into(),
                    value: "PRIYA.RAMAN@example.org".into(),
                }],
                company: Some("Globex".into()),
                notes: Some("Owes me a book".into()),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    let jonas = store
        .add_contact(
            ContactInput {
                display_name: "jonas  BERG".into(),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    let src = source("linkedin.csv");
    let plan = store.plan_import(&src, &ImportOptions::default()).unwrap();
    assert_eq!(plan.counts.duplicates, 2, "{:#?}", plan.entries);
    let entry = |id: i64| {
        plan.entries
            .iter()
            .position(|e| e.contact_id == Some(id))
            .unwrap()
    };
    let p = &plan.entries[entry(priya.id)];
    assert_eq!(p.matched_by, Some(MatchedBy::Email));
    assert_eq!(p.existing_name.as_deref(), Some("Priya R."));
    assert!(
        p.adds.iter().any(|a| a.contains("linkedin.com/in/priya")),
        "{p:?}"
    );
    let fields: Vec<ContactField> = p.conflicts.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        vec![ContactField::DisplayName, ContactField::Company]
    );
    assert_eq!(
        plan.entries[entry(jonas.id)].matched_by,
        Some(MatchedBy::Name)
    );

    // Take the file's company, keep the name.
    let choices = [Choice::Merge {
        entry: entry(priya.id) as u32,
        take: vec![ContactField::Company],
    }];
    let report = store
        .import(&src, &ImportOptions::default(), &choices, now())
        .unwrap();
    assert_eq!((report.added, report.merged), (3, 2));
    let merged = store.get_contact(priya.id).unwrap();
    assert_eq!(merged.display_name, "Priya R.");
    assert_eq!(merged.company.as_deref(), Some("Acme, Inc."));
    assert_eq!(merged.notes.as_deref(), Some("Owes me a book"));
    assert_eq!(
        merged.emails.len(),
        1,
        "the same email in another case is one"
    );
    assert_eq!(merged.links.len(), 1);
    let jonas = store.get_contact(jonas.id).unwrap();
    assert_eq!(
        jonas.company.as_deref(),
        Some("Globex"),
        "empty fields are filled"
    );
}

#[test]
fn a_name_alone_does_not_merge_people_whose_emails_differ() {
    let (_dir, mut store) = temp_store();
    store
        .add_contact(
            ContactInput {
                display_name: "Priya Raman".into(),
                emails: vec![LabeledValue {
                    label: String::new(),
                    value: "another.priya@example.com".into(),
                }],
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    let plan = store
        .plan_import(&source("linkedin.csv"), &ImportOptions::default())
        .unwrap();
    assert_eq!(plan.counts.new, 5);
}

#[test]
fn the_same_person_twice_in_a_file_becomes_one_contact() {
    let (_dir, mut store) = temp_store();
    let text = "Name,Email,Phone,Company\n\
                Ana Lima,ana@example.br,,\n\
                Ana Lima,ana@example.br,+55 11 5555 1234,Hooli\n";
    let mut read = Collected::default();
    import::parse(text.as_bytes(), Format::Csv, None, &mut read).unwrap();
    let src = ImportSource {
        file_name: "people.csv".into(),
        format: Format::Csv,
        read,
    };
    let report = store
        .import(&src, &ImportOptions::default(), &[], now())
        .unwrap();
    assert_eq!(report.added, 1);
    assert!(report.skipped[0].reason.contains("same person as line 2"));
    let ana = store.get_contact(id_of(&store, "Ana Lima")).unwrap();
    assert_eq!(ana.phones.len(), 1);
    assert_eq!(ana.company.as_deref(), Some("Hooli"));
}

#[test]
fn an_import_is_undone_as_a_whole() {
    let (_dir, mut store) = temp_store();
    let priya = store
        .add_contact(
            ContactInput {
                display_name: "Priya Raman".into(),
                emails: vec![LabeledValue {
                    label: String::new(),
                    value: "priya.raman@example.org".into(),
                }],
                tags: vec!["Mentors".into()],
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    let before = store.get_contact(priya.id).unwrap();
    let report = store
        .import(&source("linkedin.csv"), &tagged("Acme alumni"), &[], now())
        .unwrap();
    assert_eq!((report.added, report.merged), (4, 1));
    assert_eq!(count(&store, "SELECT count(*) FROM interactions"), 4);

    let undone = store.undo_import(report.import_id, now()).unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(count(&store, "SELECT count(*) FROM contacts"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM interactions"), 0);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM tags WHERE name = 'Acme alumni'"
        ),
        0
    );
    assert_eq!(count(&store, "SELECT count(*) FROM contact_search"), 1);
    let after = store.get_contact(priya.id).unwrap();
    assert_eq!(after.to_input(), before.to_input());
    assert_eq!(after.last_touch_at, None);

    let again = store.undo_import(report.import_id, now()).unwrap_err();
    assert!(again.to_string().contains("already undone"));
    assert!(matches!(
        store.undo_import(999, now()),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn bad_choices_and_options_change_nothing() {
    let (_dir, mut store) = temp_store();
    let src = source("linkedin.csv");
    let err = store
        .import(
            &src,
            &ImportOptions::default(),
            &[Choice::Skip { entry: 0 }],
            now(),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("choices"));
    let err = store
        .import(&src, &tagged(&"x".repeat(60)), &[], now())
        .unwrap_err();
    assert_eq!(err.field(), Some("tag"));
    assert_eq!(count(&store, "SELECT count(*) FROM contacts"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM imports"), 0);
}

#[test]
fn a_csv_the_header_does_not_explain_is_previewed_with_its_columns() {
    let (_dir, store) = temp_store();
    let bytes = b"col1,col2,col3\nAna Lima,ana@example.br,Hooli\nBo Berg,,Initech\n";
    let preview = store
        .preview_import("export.csv", bytes, None, &ImportOptions::default())
        .unwrap();
    let columns = preview.columns.unwrap();
    assert!(!columns.usable);
    assert_eq!(columns.headers, vec!["col1", "col2", "col3"]);
    assert_eq!(columns.sample[1], vec!["Bo Berg", "", "Initech"]);
    assert_eq!(preview.plan.entries.len(), 0);

    let mapping = import::Mapping {
        columns: vec![
            import::Field::Name,
            import::Field::Email,
            import::Field::Company,
        ],
    };
    let preview = store
        .preview_import(
            "export.csv",
            bytes,
            Some(&mapping),
            &ImportOptions::default(),
        )
        .unwrap();
    assert!(preview.columns.unwrap().usable);
    assert_eq!(preview.plan.counts.new, 2);
    assert_eq!(
        preview.plan.entries[1].contact.company.as_deref(),
        Some("Initech")
    );
    // Other formats have no columns to map.
    let linkedin = crate::import::tests::fixture("linkedin.csv");
    let preview = store
        .preview_import(
            "Connections.csv",
            &linkedin,
            None,
            &ImportOptions::default(),
        )
        .unwrap();
    assert!(preview.columns.is_none());
    assert_eq!(preview.plan.format, Format::LinkedIn);
    // A window sees a few of each, the counts of all, and each entry's own index.
    let shown = preview.plan.shown(2);
    assert_eq!(shown.entries.len(), 2);
    assert_eq!(shown.counts.new, 5);
    assert_eq!(
        shown.entries.iter().map(|e| e.index).collect::<Vec<_>>(),
        [0, 1]
    );
}
