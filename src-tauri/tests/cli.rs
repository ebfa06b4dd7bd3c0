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
        "Due 15 days ago (every 30 days)"
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
        " 1. Priya — Call\n    Due 15 days ago (every 30 days)\n"
    );
}

#[test]
fn today_says_what_to_do_in_words_and_json_keeps_the_names() {
    let dir = seeded();
    {
        let mut store = kith_core::Store::open_in(dir.path()).unwrap();
        let fresh = store.list_contacts(now()).unwrap();
        let fresh = fresh.iter().find(|c| c.display_name == "Fresh").unwrap().id;
        store
            .add_follow_up(
                kith_core::history::FollowUpInput {
                    contact_id: fresh,
                    interaction_id: None,
                    title: "send the deck".into(),
                    due_on: Some(now().date_naive() - Duration::days(3)),
                },
                now(),
            )
            .unwrap();
        person("Ari")
            .circle(Circle::Acquaintance)
            .touched(InteractionKind::Call, now() - Duration::days(200))
            .add(&mut store, now() - Duration::days(300))
            .unwrap();
    }
    let data = dir.path().to_str().unwrap();
    let at = ["--data-dir", data, "today", "--now", "2026-11-23T09:00:00Z"];
    let text = String::from_utf8(kith(&at).stdout).unwrap();
    assert!(
        text.contains(" 1. Fresh — Do what you promised\n"),
        "{text}"
    );
    assert!(text.contains(". Ari — Share an article\n"), "{text}");
    assert!(text.contains(". Priya — Call\n"), "{text}");
    for name in ["doFollowUp", "shareArticle", "askHowTheyAre", "call\n"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    // Scripts read the names, as before.
    let json = kith(&[at.as_slice(), &["--json"]].concat());
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let actions: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"doFollowUp"), "{actions:?}");
    assert!(actions.contains(&"shareArticle"), "{actions:?}");
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

/// `kith` with `--data-dir data`, these environment variables and a closed standard input.
fn kith_in(data: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kith"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("KITH_DATA_DIR")
        .env_remove("TZ");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_export_or_backup_onto_the_network_itself_is_refused_and_changes_nothing() {
    let dir = seeded();
    let data = dir.path();
    let db = data.join("kith.db");
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("network.csv");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    assert!(kith_in(data, &[], &["backup"]).status.success());
    let backup = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let dotted = data.join("backups/../kith.db-wal");
    for (args, target) in [
        (vec!["export", "--format", "csv", "-o"], &db),
        (vec!["export", "--format", "vcf", "-o"], &link),
        (vec!["export", "--format", "json", "-o"], &dotted),
        (vec!["backup", "--to"], &backup),
        (vec!["backup", "--to"], &link),
    ] {
        let mut args = args.clone();
        args.push(target.to_str().unwrap());
        let out = kith_in(data, &[], &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("would overwrite your network"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let store = kith_core::Store::open_in(data).unwrap();
    assert_eq!(store.list_contacts(now()).unwrap().len(), 3);
}

#[test]
fn names_from_other_peoples_files_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let vcf = dir.path().join("hostile.vcf");
    let long = "x".repeat(30_000);
    std::fs::write(
        &vcf,
        format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\u{1b}[2J\u{1b}]0;owned\u{7}\u{1b}]8;;http://evil.example\u{1b}\\\\link\r\nNOTE:{long}\r\nEND:VCARD\r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob \u{202E}gnp.exe\rX\u{8}\r\nEMAIL:bob@example.org\r\nEND:VCARD\r\n"
        ),
    )
    .unwrap();
    for args in [vec!["import", "--dry-run"], vec!["import"]] {
        let mut args = args.clone();
        args.push(vcf.to_str().unwrap());
        let out = kith_in(&data, &[], &args);
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        assert!(text.contains("Eve\\u{1b}[2J"), "{text}");
        for raw in ['\u{1b}', '\u{7}', '\u{202E}', '\r', '\u{8}'] {
            assert!(!text.contains(raw), "{raw:?} in {text:?}");
        }
    }
    // A name stored before, shown by `kith today`.
    let mut store = kith_core::Store::open_in(&data).unwrap();
    person("Mallory \u{202E}gnp.exe")
        .circle(Circle::Inner)
        .touched(InteractionKind::Call, now() - Duration::days(90))
        .add(&mut store, now() - Duration::days(300))
        .unwrap();
    let json = kith_in(
        &data,
        &[],
        &["today", "--now", "2026-11-23T09:00:00Z", "--json"],
    );
    let text = String::from_utf8(json.stdout).unwrap();
    assert!(text.contains("Mallory \\u202egnp.exe"), "{text}");
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list[0]["name"], "Mallory \u{202E}gnp.exe");
    let out = kith_in(&data, &[], &["today", "--now", "2026-11-23T09:00:00Z"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Mallory \\u{202e}gnp.exe —"), "{text}");
    // A path with a newline and an escape, in an error.
    let odd = dir.path().join("a\nb\u{1b}[2J.vcf");
    let out = kith_in(&data, &[], &["import", odd.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("a\\u{a}b\\u{1b}[2J.vcf"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_reader_that_stops_early_ends_every_command_quietly() {
    let dir = seeded();
    let csv = dir.path().join("people.csv");
    let mut rows = String::from("Name,Email\n");
    for i in 0..3_000 {
        rows.push_str(&format!("Person {i},p{i}@example.org\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    let csv = csv.to_str().unwrap();
    for args in [
        vec!["today", "--json"],
        vec!["today"],
        vec!["import", csv, "--dry-run", "--json"],
        vec!["import", csv, "--dry-run"],
        vec!["backups", "--json"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(&args)
            .env_remove("KITH_DATA_DIR")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before a line is written, as `| head -0` does.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn days_are_the_system_zones_while_the_user_has_not_chosen_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = kith_core::Store::open_in(dir.path()).unwrap();
    person("Ana")
        .circle(Circle::Inner)
        .birthday(11, 24)
        .add(&mut store, now() - Duration::days(300))
        .unwrap();
    drop(store);
    // 12:00 UTC on 23 November is already 24 November in Kiritimati (UTC+14).
    let at = ["today", "--now", "2026-11-23T12:00:00Z"];
    let reasons =
        |env: &[(&str, &str)]| String::from_utf8(kith_in(dir.path(), env, &at).stdout).unwrap();
    assert!(reasons(&[("TZ", "UTC")]).contains("Birthday tomorrow"));
    assert!(reasons(&[("TZ", "Pacific/Kiritimati")]).contains("Birthday today"));
    assert!(reasons(&[("TZ", ":Pacific/Kiritimati")]).contains("Birthday today"));
    // Nothing was stored: a zone the user chooses still wins.
    let store = kith_core::Store::open_in(dir.path()).unwrap();
    assert_eq!(store.preferences().unwrap().time_zone, "UTC");
}

#[test]
fn an_import_says_which_fields_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let vcf = dir.path().join("odd.vcf");
    std::fs::write(
        &vcf,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nBDAY:--0230\r\nTZ:Mars/Base\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Berg\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let vcf = vcf.to_str().unwrap();
    let plan = kith_in(&data, &[], &["import", "--dry-run", vcf]);
    let plan = String::from_utf8(plan.stdout).unwrap();
    assert!(
        plan.contains("Imported without what could not be read:"),
        "{plan}"
    );
    let done = kith_in(&data, &[], &["import", vcf]);
    let text = String::from_utf8(done.stdout).unwrap();
    assert!(text.starts_with("Imported: 2 added"), "{text}");
    let noted = text
        .lines()
        .find(|l| l.contains("(Ana Lima)"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(noted.contains("birthday"), "{noted}");
    assert!(noted.contains("Mars/Base"), "{noted}");
    assert!(!text.contains("(Bo Berg)"), "{text}");
    let json = kith_in(&data, &[], &["import", "--json", vcf]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(report["leftOut"].is_array(), "{report}");
}

#[test]
fn a_write_lock_held_by_another_program_is_named_with_the_folder() {
    let dir = seeded();
    let csv = dir.path().join("one.csv");
    std::fs::write(&csv, "Name,Email\nAna,ana@example.org\n").unwrap();
    let other = rusqlite::Connection::open(dir.path().join("kith.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = kith_in(dir.path(), &[], &["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(text.contains("another program is writing"), "{text}");
    assert!(text.contains(dir.path().to_str().unwrap()), "{text}");
    assert!(!text.contains("database is locked"), "{text}");
}
