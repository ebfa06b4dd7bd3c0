use super::*;
use crate::model::{ContactInput, LabeledValue};
use crate::store::tests::{count, temp_store};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    at("2026-12-01T10:00:00Z")
}

fn add(store: &mut Store, name: &str, email: &str) -> i64 {
    store
        .add_contact(
            ContactInput {
                display_name: name.into(),
                emails: vec![LabeledValue {
                    label: String::new(),
                    value: email.into(),
                }],
                ..Default::default()
            },
            at("2026-11-01T10:00:00Z"),
        )
        .unwrap()
        .id
}

/// A live network of two, and a backup file of another network of three beside it.
fn live_and_file() -> (tempfile::TempDir, Store, PathBuf) {
    let (dir, mut store) = temp_store();
    let other = dir.path().join("other");
    let mut source = Store::open_in(&other).unwrap();
    add(&mut source, "José Álvarez", "jose@example.org");
    add(&mut source, "Priya Raman", "priya@example.org");
    add(&mut source, "Jonas Berg", "jonas@example.org");
    let file = dir.path().join("file.db");
    source.back_up_to(&file).unwrap();
    add(&mut store, "Ana Lima", "ana@example.org");
    add(&mut store, "Li Wei", "li@example.org");
    (dir, store, file)
}

fn names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .all_contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.display_name)
        .collect();
    names.sort();
    names
}

/// Restoring `file` is refused with words containing `says`, and nothing changed.
fn refused(store: &mut Store, file: &Path, says: &str) {
    let before = names(store);
    let backups = store.backups().unwrap().len();
    let err = store.restore(file, now()).unwrap_err().to_string();
    assert!(err.contains(says), "{err}");
    assert!(err.contains("Nothing was changed"), "{err}");
    assert_eq!(names(store), before);
    assert_eq!(
        store.backups().unwrap().len(),
        backups,
        "a backup was taken"
    );
}

fn alter(file: &Path, sql: &str) {
    Connection::open(file).unwrap().execute_batch(sql).unwrap();
}

#[test]
fn a_file_with_a_trigger_view_table_column_or_index_of_its_own_is_refused() {
    let (dir, mut store, file) = live_and_file();
    for (i, (sql, says)) in [
        (
            "CREATE TRIGGER wipe AFTER INSERT ON contacts BEGIN
               UPDATE contact_emails SET value = 'x@x' WHERE contact_id <> new.id; END;",
            "trigger “wipe” Kith never makes",
        ),
        (
            "DROP TABLE cadence_rules;
             CREATE VIEW cadence_rules AS SELECT 'friends' AS tag, 7 AS days;",
            "“cadence_rules” is a view where Kith makes something else",
        ),
        ("CREATE TABLE extra (x);", "table “extra” Kith never makes"),
        (
            "ALTER TABLE contacts ADD COLUMN evil TEXT;",
            "table “contacts” is not as Kith makes it",
        ),
        (
            "CREATE INDEX by_notes ON contacts (notes);",
            "index “by_notes” Kith never makes",
        ),
        (
            "DROP INDEX contacts_active_by_due;",
            "it has no index “contacts_active_by_due”",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let crafted = dir.path().join(format!("crafted-{i}.db"));
        fs::copy(&file, &crafted).unwrap();
        alter(&crafted, sql);
        refused(&mut store, &crafted, says);
    }
    // The file as Kith wrote it is taken, and what the trigger would have done never is.
    let report = store.restore(&file, now()).unwrap();
    assert_eq!(report.contacts, 3);
    add(&mut store, "Noor Haddad", "noor@example.org");
    let emails: Vec<String> = store
        .all_contacts()
        .unwrap()
        .into_iter()
        .flat_map(|c| c.emails.into_iter().map(|e| e.value))
        .collect();
    assert_eq!(emails.len(), 4);
    assert!(!emails.iter().any(|e| e == "x@x"), "{emails:?}");
    let triggers: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 3, "Kith's own three only");
}

/// A database of this schema made by hand with `pragmas` first, holding `people`.
fn made_with(path: &Path, pragmas: &str, people: &[&str]) {
    let mut conn = Connection::open(path).unwrap();
    conn.execute_batch(pragmas).unwrap();
    crate::store::MIGRATIONS
        .to_version(&mut conn, Store::latest_schema_version())
        .unwrap();
    for (i, name) in people.iter().enumerate() {
        conn.execute(
            "INSERT INTO contacts (id, display_name, created_at, updated_at)
             VALUES (?1, ?2, 1700000000, 1700000000)",
            rusqlite::params![i as i64 + 1, name],
        )
        .unwrap();
    }
}

#[test]
fn a_utf16_database_or_another_page_size_is_restored_as_utf8_and_nothing_is_lost_on_failure() {
    let (dir, mut store, _) = live_and_file();
    for (i, pragmas) in [
        "PRAGMA encoding = 'UTF-16le';",
        "PRAGMA encoding = 'UTF-16be';",
        "PRAGMA page_size = 65536;",
        "PRAGMA page_size = 512;",
    ]
    .into_iter()
    .enumerate()
    {
        let file = dir.path().join(format!("odd-{i}.db"));
        made_with(&file, pragmas, &["Zoë Ørsted", "李伟", "Ana Lima"]);
        let report = store.restore(&file, now()).unwrap();
        assert_eq!(report.contacts, 3, "{pragmas}");
        assert_eq!(
            names(&store),
            ["Ana Lima", "Zoë Ørsted", "李伟"],
            "{pragmas}"
        );
        let encoding: String = store
            .conn
            .pragma_query_value(None, "encoding", |r| r.get(0))
            .unwrap();
        assert_eq!(encoding, "UTF-8");
        // Search finds them, and writing goes on.
        assert_eq!(
            store
                .search_contacts(
                    &crate::search::ContactQuery {
                        text: "zoe".into(),
                        ..Default::default()
                    },
                    now()
                )
                .unwrap()
                .len(),
            1,
            "{pragmas}"
        );
        add(&mut store, "Li Wei", "li@example.org");
    }
}

fn set_account(store: &Store, url: &str, book: &str) {
    store
        .conn
        .execute_batch(&format!(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('sync.url', '{url}'),
               ('sync.user', 'me');
             DELETE FROM sync_collections;
             INSERT INTO sync_collections (kind, href, sync_token)
               VALUES ('contacts', '{book}', 'token-1');"
        ))
        .unwrap();
}

fn link_everyone(store: &Store) {
    store
        .conn
        .execute_batch(
            "INSERT INTO sync_cards (contact_id, href, etag, card, synced, synced_at)
             SELECT id, '/book/' || id || '.vcf', '\"e\"', 'BEGIN:VCARD', '{}', 0
             FROM contacts",
        )
        .unwrap();
}

fn setting(store: &Store, key: &str) -> Option<String> {
    settings::get(&store.conn, key).unwrap()
}

#[test]
fn a_restored_file_never_brings_its_own_sync_account() {
    let (dir, mut store, _) = live_and_file();
    set_account(&store, "https://dav.mine.example/", "/book/");
    link_everyone(&store);
    // A file synced with a server the user never typed.
    let mut foreign = Store::open_in(&dir.path().join("foreign")).unwrap();
    add(&mut foreign, "Bob Stone", "bob@example.org");
    set_account(&foreign, "http://evil.example/", "/book/");
    link_everyone(&foreign);
    let file = dir.path().join("foreign.db");
    foreign.back_up_to(&file).unwrap();

    let report = store.restore(&file, now()).unwrap();
    assert_eq!(
        report.file_sync_url.as_deref(),
        Some("http://evil.example/")
    );
    assert!(!report.sync_links_kept);
    assert_eq!(names(&store), ["Bob Stone"]);
    assert_eq!(
        setting(&store, "sync.url").as_deref(),
        Some("https://dav.mine.example/")
    );
    assert_eq!(count(&store, "sync_cards"), 0);
    assert_eq!(store.sync_token().unwrap(), None);

    // Not connected here: the file's account is not taken either.
    let (_d, mut bare) = temp_store();
    add(&mut bare, "Ana Lima", "ana@example.org");
    let report = bare.restore(&file, now()).unwrap();
    assert_eq!(
        report.file_sync_url.as_deref(),
        Some("http://evil.example/")
    );
    assert_eq!(setting(&bare, "sync.url"), None);
    assert_eq!(count(&bare, "sync_cards"), 0);
    assert_eq!(count(&bare, "sync_collections"), 0);

    // A backup of this installation's own account keeps its links to the cards, and
    // the next round lists the address book again.
    let own = dir.path().join("own.db");
    set_account(&store, "https://dav.mine.example/", "/book/");
    link_everyone(&store);
    store.back_up_to(&own).unwrap();
    add(&mut store, "Ana Lima", "ana@example.org");
    let report = store.restore(&own, now()).unwrap();
    assert_eq!(report.file_sync_url, None);
    assert!(report.sync_links_kept);
    assert_eq!(count(&store, "sync_cards"), 1);
    assert_eq!(store.sync_token().unwrap(), None);
}

#[test]
fn how_far_this_installations_scheduler_checked_stays_through_a_restore() {
    let (dir, mut store, _) = live_and_file();
    // The file's scheduler ran a month ago; this one just now.
    let mut source = Store::open_in(&dir.path().join("checked")).unwrap();
    add(&mut source, "Bob Stone", "bob@example.org");
    source.fire_due(at("2026-11-01T09:00:00Z")).unwrap();
    let file = dir.path().join("checked.db");
    source.back_up_to(&file).unwrap();
    store.fire_due(now()).unwrap();
    let mark = setting(&store, "schedule_checked_through");
    assert!(mark.is_some());
    store.restore(&file, now()).unwrap();
    assert_eq!(names(&store), ["Bob Stone"]);
    assert_eq!(setting(&store, "schedule_checked_through"), mark);
}

#[test]
fn values_kith_could_never_have_written_are_refused_and_derived_ones_computed_again() {
    let (dir, mut store, file) = live_and_file();
    for (i, (sql, says)) in [
        (
            "INSERT INTO settings (key, value) VALUES ('week_start', 'never')",
            "week start “never”",
        ),
        (
            "INSERT INTO settings (key, value) VALUES ('daily_budget', '-5')",
            "“daily_budget” holds “-5”",
        ),
        (
            "INSERT INTO settings (key, value) VALUES ('nudge_time', '99:99')",
            "“nudge_time” holds “99:99”",
        ),
        (
            "INSERT INTO settings (key, value) VALUES ('time_zone', 'Mars/Olympus')",
            "“time_zone” holds “Mars/Olympus”",
        ),
        (
            "UPDATE contacts SET created_at = -9223372036854775808 WHERE id = 1",
            "“contacts.created_at” holds",
        ),
        (
            "UPDATE contacts SET time_zone = 'Nowhere/Land' WHERE id = 2",
            "contact 2 (“Priya Raman”)",
        ),
        (
            "UPDATE contacts SET display_name = 'Bob' || char(10) || 'Stone' WHERE id = 3",
            "contact 3",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let crafted = dir.path().join(format!("values-{i}.db"));
        fs::copy(&file, &crafted).unwrap();
        alter(&crafted, sql);
        refused(&mut store, &crafted, says);
    }
    // Derived columns are computed from the history, whatever the file says.
    let crafted = dir.path().join("derived.db");
    fs::copy(&file, &crafted).unwrap();
    alter(
        &crafted,
        "UPDATE contacts SET next_due_at = -9223372036854775808, touch_count = -1,
             overdue_at = 99999999999999, last_touch_at = -5",
    );
    store.restore(&crafted, now()).unwrap();
    let plain = Store::open_in(&dir.path().join("plain")).unwrap();
    drop(plain);
    for c in store.all_contacts().unwrap() {
        assert_eq!(c.last_touch_at, None, "{}", c.display_name);
        assert_eq!(
            c.next_due_at,
            Some(at("2026-11-01T00:00:00Z") + chrono::Duration::days(90)),
            "{}",
            c.display_name
        );
    }
    store.today(now(), 10).unwrap();
    for format in [
        crate::export::ExportFormat::Vcf,
        crate::export::ExportFormat::Csv,
        crate::export::ExportFormat::Json,
        crate::export::ExportFormat::Ics,
    ] {
        store.export(format, now()).unwrap();
    }
}

#[test]
fn a_json_backup_is_checked_and_never_brings_its_sync_account_either() {
    let (dir, store, _) = live_and_file();
    set_account(&store, "http://evil.example/", "/book/");
    link_everyone(&store);
    let json = store.backup_json(now()).unwrap();
    let bad = json.replacen(
        "\"settings\": [",
        "\"settings\": [\n      {\"key\":\"week_start\",\"value\":\"never\"},",
        1,
    );
    let (_d, mut empty) = temp_store();
    let err = empty.restore_backup(&bad, now()).unwrap_err().to_string();
    assert!(err.contains("week start “never”"), "{err}");
    assert_eq!(empty.all_contacts().unwrap().len(), 0);

    empty.restore_backup(&json, now()).unwrap();
    assert_eq!(names(&empty), ["Ana Lima", "Li Wei"]);
    assert_eq!(setting(&empty, "sync.url"), None);
    assert_eq!(count(&empty, "sync_cards"), 0);
    drop(dir);
}

#[test]
fn every_write_committed_while_a_restore_runs_is_in_the_backup_or_the_result() {
    let (dir, mut store, file) = live_and_file();
    let path = store.path().to_path_buf();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writer = {
        let (stop, written) = (stop.clone(), written.clone());
        std::thread::spawn(move || {
            let mut other = Store::open(&path).unwrap();
            let mut committed = Vec::new();
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                i += 1;
                let name = format!("Writer {i}");
                if other
                    .add_contact(
                        ContactInput {
                            display_name: name.clone(),
                            ..Default::default()
                        },
                        at("2026-11-01T10:00:00Z"),
                    )
                    .is_ok()
                {
                    committed.push(name);
                    written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
            committed
        })
    };
    // The writer is under way before the restore and goes on after it, however slow the
    // machine: counted writes, not a sleep, say so.
    let wait_for = |n: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while written.load(std::sync::atomic::Ordering::Relaxed) < n {
            assert!(
                std::time::Instant::now() < deadline,
                "the writer stopped writing"
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    };
    wait_for(2);
    let report = store.restore(&file, now()).unwrap();
    wait_for(written.load(std::sync::atomic::Ordering::Relaxed) + 2);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let committed = writer.join().unwrap();
    assert!(committed.len() > 2, "{committed:?}");
    let saved = Store::open(&store.backups_folder().join(&report.saved_as.file_name)).unwrap();
    let mut kept = names(&saved);
    kept.extend(names(&store));
    for name in &committed {
        assert!(kept.contains(name), "{name} is in neither");
    }
    drop(dir);
}
