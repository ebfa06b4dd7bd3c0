//! `kith today` and `kith import` on real data dirs, through the real binary.

use std::process::Command;

use chrono::{DateTime, Duration, TimeZone, Utc};
use kith_core::history::InteractionKind;
use kith_core::model::Circle;
use kith_core::testing::person;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = kith_core::Store::open_in(dir.path()).unwrap();
    for (name, circle, days_ago) in [
        ("Bob", Circle::Network, 100),
        ("Priya", Circle::Close, 45),
        ("Fresh", Circle::Inner, 2),
    ] {
        person(name)
            .circle(circle)
            .touched(InteractionKind::Call, now() - Duration::days(days_ago))
            .add(&mut store, now() - Duration::days(300))
            .unwrap();
    }
    dir
}

fn kith(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .env_remove("KITH_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn today_json_lists_the_expected_people_in_order() {
    let dir = seeded();
    let data = dir.path().to_str().unwrap();
    let out = kith(&[
        "--data-dir",
        data,
        "today",
        "--now",
        "2026-11-23T09:00:00Z",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Priya", "Bob"]);
    assert_eq!(
        list[0]["reasons"][0]["text"],
        "Overdue by 15 days (every 30 days)"
    );
    assert_eq!(list[0]["action"], "call");

    let limited = kith(&[
        "--data-dir",
        data,
        "today",
        "--now",
        "2026-11-23T09:00:00Z",
        "--limit",
        "1",
    ]);
    let text = String::from_utf8(limited.stdout).unwrap();
    assert_eq!(
        text,
        " 1. Priya — call\n    Overdue by 15 days (every 30 days)\n"
    );
}

#[test]
fn bad_arguments_get_a_clear_error_and_change_nothing() {
    let dir = seeded();
    let data = dir.path().to_str().unwrap();
    let out = kith(&["--data-dir", data, "today", "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
    let out = kith(&["--data-dir", data, "today", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let help = kith(&["--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("today"));
}

fn fixture(name: &str) -> String {
    format!(
        "{}/core/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn import_previews_then_imports_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let file = fixture("linkedin.csv");
    let preview = kith(&["--data-dir", data, "import", &file, "--dry-run", "--json"]);
    assert!(
        preview.status.success(),
        "{}",
        String::from_utf8_lossy(&preview.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&preview.stdout).unwrap();
    assert_eq!(plan["counts"]["new"], 5);
    assert_eq!(plan["format"], "linkedIn");
    assert_eq!(plan["entries"][0]["contact"]["displayName"], "Priya Raman");
    assert_eq!(plan["entries"][0]["connectedOn"], "2024-03-15");
    assert!(plan["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("does not share"));
    let store = kith_core::Store::open_in(dir.path()).unwrap();
    assert!(
        store.list_contacts(now()).unwrap().is_empty(),
        "a dry run stores nothing"
    );

    let done = kith(&["--data-dir", data, "import", &file, "--tag", "LinkedIn"]);
    let text = String::from_utf8_lossy(&done.stdout);
    assert!(text.starts_with("Imported: 5 added, 0 updated"), "{text}");
    assert!(text.contains("does not share this member's name"), "{text}");
    assert_eq!(store.list_contacts(now()).unwrap().len(), 5);

    let again = kith(&["--data-dir", data, "import", &file, "--tag", "LinkedIn"]);
    assert!(String::from_utf8_lossy(&again.stdout)
        .starts_with("Imported: 0 added, 0 updated, 5 already in Kith"));
}

#[test]
fn a_file_kith_cannot_read_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, b"\x00\x01binary\xff").unwrap();
    let out = kith(&["--data-dir", data, "import", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
    // A 300 MB file is refused from its size, before it is read.
    let huge = dir.path().join("huge.vcf");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let out = kith(&["--data-dir", data, "import", huge.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("The file is 300 MB; Kith imports files up to 256 MB"));
    let missing = kith(&["--data-dir", data, "import", "/nonexistent/file.vcf"]);
    assert_eq!(missing.status.code(), Some(2));
    let store = kith_core::Store::open_in(dir.path()).unwrap();
    assert!(store.list_contacts(now()).unwrap().is_empty());
    assert!(store.list_imports().unwrap().is_empty());
}

#[test]
fn export_writes_each_format_and_a_backup_restores_into_a_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let file = fixture("linkedin.csv");
    assert!(kith(&["--data-dir", data, "import", &file])
        .status
        .success());

    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    for (format, name, starts) in [
        ("vcf", "network.vcf", "BEGIN:VCARD\r\nVERSION:4.0"),
        ("csv", "network.csv", "Name,Given name"),
        ("ics", "network.ics", "BEGIN:VCALENDAR"),
        ("json", "backup.json", "{"),
    ] {
        let done = kith(&[
            "--data-dir",
            data,
            "export",
            "--format",
            format,
            "-o",
            &out(name),
        ]);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        let text = std::fs::read_to_string(out(name)).unwrap();
        assert!(
            text.starts_with(starts),
            "{format}: {}",
            &text[..40.min(text.len())]
        );
    }

    let fresh = dir.path().join("fresh");
    let fresh = fresh.to_str().unwrap();
    let restored = kith(&["--data-dir", fresh, "import", &out("backup.json")]);
    assert!(
        String::from_utf8_lossy(&restored.stdout).starts_with("Restored "),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(kith(&[
        "--data-dir",
        fresh,
        "export",
        "--format",
        "json",
        "-o",
        &out("again.json")
    ])
    .status
    .success());
    let strip = |name: &str| -> String {
        std::fs::read_to_string(out(name))
            .unwrap()
            .lines()
            .filter(|l| !l.contains("\"exportedAt\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip("again.json"), strip("backup.json"));

    // Restoring over a network is refused; a bad format is refused before anything runs.
    let twice = kith(&["--data-dir", fresh, "import", &out("backup.json")]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("empty data folder"));
    let bad = kith(&[
        "--data-dir",
        data,
        "export",
        "--format",
        "pdf",
        "-o",
        &out("x.pdf"),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!dir.path().join("x.pdf").exists());
}
