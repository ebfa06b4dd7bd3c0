use super::*;
use crate::import::Format;

pub(crate) fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    (dir, store)
}

/// The rows `table` holds.
pub(crate) fn count(store: &Store, table: &str) -> i64 {
    store
        .conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn migrations_are_valid() {
    MIGRATIONS.validate().unwrap();
}

#[test]
fn a_new_database_is_migrated_to_the_latest_schema() {
    let (dir, store) = temp_store();
    assert!(dir.path().join("kith.db").is_file());
    assert_eq!(
        store.schema_version().unwrap(),
        Store::latest_schema_version()
    );
    let tables: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for table in [
        "contacts",
        "contact_emails",
        "contact_phones",
        "contact_links",
        "tags",
        "contact_tags",
        "interactions",
        "interaction_contacts",
        "follow_ups",
        "settings",
        "contact_search",
        "goals",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "no table {table}: {tables:?}"
        );
    }
}

#[test]
fn pragmas_are_set_on_open() {
    let (_dir, store) = temp_store();
    let get = |name: &str| -> String {
        store
            .conn
            .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Integer(i) => i.to_string(),
                other => format!("{other:?}"),
            })
            .unwrap()
    };
    assert_eq!(get("journal_mode"), "wal");
    assert_eq!(get("foreign_keys"), "1");
    assert_eq!(get("synchronous"), "1"); // NORMAL
    assert_eq!(get("busy_timeout"), "5000");
}

#[test]
fn every_earlier_version_migrates_to_the_latest() {
    for from in 0..Store::latest_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, from).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            Store::latest_schema_version(),
            "from version {from}"
        );
    }
}

#[test]
fn a_database_from_a_newer_kith_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let err = Store::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("newer version of Kith"));
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 999);
}

#[test]
fn an_older_database_is_backed_up_before_it_is_migrated_and_a_new_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 5).unwrap();
        conn.execute(
            "INSERT INTO contacts (id, display_name, created_at, updated_at)
             VALUES (1, 'Priya', 1700000000, 1700000000)",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let backups = store.backups().unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].file_name, "kith-schema5-before-migration.db");
    assert_eq!(backups[0].contacts, Some(1));
    let copy = Connection::open(dir.path().join("backups").join(&backups[0].file_name)).unwrap();
    assert_eq!(schema_version(&copy).unwrap(), 5);
    drop(store);
    // Opened again, it is up to date: no second backup.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.backups().unwrap().len(), 1);
    let (_new, fresh) = temp_store();
    assert!(fresh.backups().unwrap().is_empty());
}

#[test]
fn two_connections_opening_an_older_database_at_once_migrate_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 7).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    // A third connection holds the write lock while both open the database.
    let mut holder = Connection::open(&path).unwrap();
    let lock = holder
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    let opens: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                crate::store::lock_waits::watch_this_thread();
                Store::open(&path).map(|s| s.schema_version())
            })
        })
        .collect();
    let queued: Vec<_> = opens.iter().map(|t| t.thread().id()).collect();
    crate::store::lock_waits::wait_until_queued(&queued);
    lock.commit().unwrap();
    for open in opens {
        let version = open.join().unwrap().unwrap().unwrap();
        assert_eq!(version, Store::latest_schema_version());
    }
}

#[test]
fn a_newer_database_in_rollback_journal_mode_is_not_switched_to_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE contacts (id INTEGER); PRAGMA user_version = 999;")
            .unwrap();
    }
    assert!(Store::open(&path).is_err());
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    assert!(!dir.path().join("kith.db-wal").exists());
}

#[test]
fn the_database_and_its_folder_are_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new/kith");
    let store = Store::open_in(&data).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for f in ["kith.db", "kith.db-wal", "kith.db-shm"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    drop(store);
    // One made before Kith cared is tightened when opened.
    std::fs::set_permissions(data.join("kith.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open_in(&data).unwrap();
    assert_eq!(mode(&data.join("kith.db")), 0o600);
}

#[test]
fn a_file_that_is_not_a_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    std::fs::write(
        &path,
        b"this is not a database, just some text that is long enough",
    )
    .unwrap();
    let err = Store::open(&path).err().expect("junk must be refused");
    assert_eq!(err.kind(), crate::ErrorKind::Storage);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is not a database, just some text that is long enough"
    );
}

#[test]
fn contacts_from_the_first_schema_keep_everything_and_become_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (id, display_name, company, role, notes, created_at, updated_at)
             VALUES (1, 'José Álvarez', 'Acme', 'CTO', 'Loves chess', 1700000000, 1700000500);
             INSERT INTO contact_emails VALUES (1, 0, 'work', 'jose@acme.example');
             INSERT INTO contact_phones VALUES (1, 0, 'mobile', '+34 600 000 000');
             INSERT INTO contacts (id, display_name, created_at, updated_at, archived_at)
             VALUES (2, 'Gone Person', 1700000000, 1700000000, 1700000100);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let jose = store.get_contact(1).unwrap();
    assert_eq!(jose.display_name, "José Álvarez");
    assert_eq!(jose.company.as_deref(), Some("Acme"));
    assert_eq!(jose.notes.as_deref(), Some("Loves chess"));
    assert_eq!(jose.emails[0].value, "jose@acme.example");
    assert_eq!(jose.phones[0].value, "+34 600 000 000");
    assert_eq!(jose.updated_at.timestamp(), 1_700_000_500);
    assert_eq!(jose.circle, crate::model::Circle::Network);
    assert_eq!(
        // Due from the midnight (UTC until a zone is set) 90 days after he was added.
        jose.next_due_at.map(|t| t.timestamp()),
        Some((1_700_000_000 / 86_400 + 90) * 86_400)
    );
    assert!(store.get_contact(2).unwrap().archived_at.is_some());
    let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let found = |text: &str| {
        store
            .search_contacts(
                &crate::search::ContactQuery {
                    text: text.into(),
                    ..Default::default()
                },
                now,
            )
            .unwrap()
            .len()
    };
    assert_eq!(found("jose"), 1);
    assert_eq!(found("chess"), 1);
    assert_eq!(found("gone"), 0);
}

#[test]
fn touch_counts_and_interaction_times_are_derived_for_existing_histories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 4).unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (id, display_name, created_at, updated_at)
             VALUES (1, 'Priya', 1700000000, 1700000000), (2, 'Bob', 1700000000, 1700000000);
             INSERT INTO interactions (id, kind, occurred_at, created_at, updated_at)
             VALUES (10, 'call', 1700100000, 1, 1), (11, 'coffee', 1700200000, 1, 1);
             INSERT INTO interaction_contacts (interaction_id, contact_id)
             VALUES (10, 1), (11, 1), (11, 2);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let derived = |id: i64| -> (u32, Option<i64>) {
        store
            .conn
            .query_row(
                "SELECT touch_count, first_touch_at FROM contacts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(derived(1), (2, Some(1_700_100_000)));
    assert_eq!(derived(2), (1, Some(1_700_200_000)));
    let times: Vec<(i64, i64)> = store
        .conn
        .prepare("SELECT interaction_id, occurred_at FROM interaction_contacts ORDER BY 1, 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        times,
        [
            (10, 1_700_100_000),
            (11, 1_700_200_000),
            (11, 1_700_200_000)
        ]
    );
}

#[test]
fn schema_8_networks_get_calendar_due_dates_and_imported_connections_stop_being_due() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 8).unwrap();
        // Priya called once; Li only connected on LinkedIn; both as schema 8 kept them.
        conn.execute_batch(
            "INSERT INTO settings (key, value) VALUES ('time_zone', 'Europe/Lisbon');
             INSERT INTO contacts (id, display_name, circle, created_at, updated_at,
                                   last_touch_at, touch_count, first_touch_at,
                                   next_due_at, overdue_at)
             VALUES (1, 'Priya', 'close', 1700000000, 1700000000, 1700100000, 1,
                     1700100000, 1702692000, 1703988000),
                    (2, 'Li', 'acquaintance', 1700000000, 1700000000, 1600000000, 1,
                     1600000000, 1615552000, 1623328000);
             INSERT INTO interactions (id, kind, occurred_at, created_at, updated_at)
             VALUES (10, 'call', 1700100000, 1, 1), (11, 'connected', 1600000000, 1, 1);
             INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
             VALUES (10, 1, 1700100000), (11, 2, 1600000000);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let priya = store.get_contact(1).unwrap();
    // Called at 02:00 on 16 November 2023 in Lisbon: due from midnight on 16 December.
    assert_eq!(
        priya.next_due_at.map(|t| t.to_rfc3339()),
        Some("2023-12-16T00:00:00+00:00".into())
    );
    assert_eq!(priya.effective_cadence_days, Some(30));
    let li = store.get_contact(2).unwrap();
    assert_eq!((li.next_due_at, li.effective_cadence_days), (None, None));
    let counts: (i64, i64, Option<i64>) = store
        .conn
        .query_row(
            "SELECT touch_count, connection_count, first_touch_at FROM contacts WHERE id = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(counts, (0, 1, None));
}

#[test]
fn rebuilding_interactions_for_imports_keeps_every_link_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        MIGRATIONS.to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (id, display_name, created_at, updated_at)
             VALUES (1, 'Priya', 1700000000, 1700000000);
             INSERT INTO events (id, title, start_date, start_time, repeat, created_at,
                                 updated_at)
             VALUES (5, 'Rust meetup', '2023-11-18', '19:00', 'never', 1, 1);
             INSERT INTO interactions (id, kind, occurred_at, notes, event_id, created_at,
                                       updated_at)
             VALUES (10, 'call', 1700100000, 'book', NULL, 1, 1),
                    (11, 'event', 1700300000, NULL, 5, 1, 1);
             INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
             VALUES (10, 1, 1700100000), (11, 1, 1700300000);
             INSERT INTO follow_ups (id, contact_id, interaction_id, title, created_at,
                                     updated_at)
             VALUES (3, 1, 10, 'Send the book', 1, 1);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let one = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("SELECT count(*) FROM interaction_contacts"), 2);
    assert_eq!(
        one("SELECT interaction_id FROM follow_ups WHERE id = 3"),
        10
    );
    assert_eq!(one("SELECT event_id FROM interactions WHERE id = 11"), 5);
    assert_eq!(one("PRAGMA foreign_keys"), 1);
    assert!(store
        .conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query([])
        .unwrap()
        .next()
        .unwrap()
        .is_none());
    // The new kind is accepted, an unknown one still refused.
    store
        .conn
        .execute(
            "INSERT INTO interactions (kind, occurred_at, created_at, updated_at)
             VALUES ('connected', 1, 1, 1)",
            [],
        )
        .unwrap();
    assert!(store
        .conn
        .execute(
            "INSERT INTO interactions (kind, occurred_at, created_at, updated_at)
             VALUES ('telepathy', 1, 1, 1)",
            [],
        )
        .is_err());
    // Deleting an interaction still cascades to its participants.
    store
        .conn
        .execute("DELETE FROM interactions WHERE id = 10", [])
        .unwrap();
    assert_eq!(one("SELECT count(*) FROM interaction_contacts"), 1);
}

#[test]
fn schema_9_reminder_rules_become_typed_rhythms_and_import_formats_their_ipc_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 9).unwrap();
        // As the window wrote them (every first Monday, every Tuesday — from a Wednesday),
        // a one-off, and a rule no rhythm says.
        conn.execute_batch(
            "INSERT INTO reminders (id, title, starts_at, time_zone, rule, created_at) VALUES
               (1, 'Call Bob', '2026-12-02T10:00', 'Europe/Lisbon', 'FREQ=MONTHLY;BYDAY=1MO', 1),
               (2, 'Call Mum', '2026-12-02T18:30', 'Europe/Lisbon', 'FREQ=WEEKLY;BYDAY=TU', 1),
               (3, 'Book the venue', '2026-12-02T09:00', 'Europe/Lisbon', NULL, 1),
               (4, 'Pay the rent', '2026-12-02T08:00', 'Europe/Lisbon',
                'FREQ=MONTHLY;BYMONTHDAY=1,15', 1);
             INSERT INTO imports (id, file_name, format, added, merged, skipped, created_at)
             VALUES (1, 'phone.vcf', 'vcard', 3, 0, 0, 1),
                    (2, 'Connections.csv', 'linkedin', 30, 1, 0, 2),
                    (3, 'google.csv', 'googleCsv', 2, 0, 0, 3);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let got: Vec<(String, String, String, String)> = store
        .list_reminders()
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.fields.title,
                r.fields.date.to_string(),
                r.fields.time,
                r.repeats,
            )
        })
        .collect();
    let want = [
        ("Call Bob", "2026-12-07", "10:00", "every first Monday"),
        ("Call Mum", "2026-12-08", "18:30", "every week on Tuesday"),
        ("Book the venue", "2026-12-02", "09:00", "once"),
        (
            "Pay the rent (repeated: FREQ=MONTHLY;BYMONTHDAY=1,15)",
            "2026-12-02",
            "08:00",
            "once",
        ),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    let mut got = got;
    got.sort();
    let mut want = want;
    want.sort();
    assert_eq!(got, want);
    let columns: Vec<String> = store
        .conn
        .prepare("SELECT name FROM pragma_table_info('reminders')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(!columns.contains(&"rule".to_string()), "{columns:?}");
    // Import formats by their IPC names, like every other stored kind.
    let formats: Vec<Format> = store
        .list_imports()
        .unwrap()
        .into_iter()
        .map(|i| i.format)
        .collect();
    assert_eq!(
        formats,
        [Format::GoogleCsv, Format::LinkedIn, Format::VCard]
    );
}

#[test]
fn schema_13_search_index_is_made_again_with_four_letter_prefixes_and_finds_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    {
        // Contacts written by a Kith of schema 13, through its own index.
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 13).unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (id, display_name, company, created_at, updated_at) VALUES
               (1, 'Lucía García', 'Rustacean Labs', 1, 1),
               (2, 'Marcus Webb', 'Acme', 1, 1);
             INSERT INTO contacts (id, display_name, created_at, updated_at, archived_at)
             VALUES (3, 'Gone Garcés', 1, 1, 1);
             INSERT INTO contact_search (rowid, name, work) VALUES
               (1, 'Lucía García', 'Rustacean Labs'), (2, 'Marcus Webb', 'Acme');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let found = |text: &str| -> Vec<i64> {
        let query = crate::search::ContactQuery {
            text: text.into(),
            ..Default::default()
        };
        store
            .search_contacts(&query, "2026-12-02T10:00:00Z".parse().unwrap())
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        found("garc"),
        [1],
        "an archived contact stays out of the index"
    );
    assert_eq!(found("rust"), [1]);
    assert_eq!(found("webb"), [2]);
    assert_eq!(found("m"), [2]);
    let prefixes: String = store
        .conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'contact_search'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(prefixes.contains("prefix = '1 2 3 4'"), "{prefixes}");
}
