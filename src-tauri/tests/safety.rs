//! Nothing lost, across processes: two `kith` processes at once on one data dir, files that
//! are not files, spreadsheets that would run what a name says, exports and backups that
//! are interrupted, and backups that come back. Every test drives the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::Connection;

fn kith(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("KITH_DATA_DIR")
        .output()
        .unwrap()
}

fn spawn(data: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("KITH_DATA_DIR")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn count(data: &Path, sql: &str) -> i64 {
    let conn = Connection::open(data.join("kith.db")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A CSV of `rows` different people.
fn people_csv(dir: &Path, rows: usize) -> PathBuf {
    let mut csv = String::from("Name,Email,Company\n");
    for i in 0..rows {
        csv.push_str(&format!("Person {i:05},p{i}@example.org,Firm {}\n", i % 37));
    }
    let path = dir.join("people.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn two_imports_of_one_file_at_once_add_everyone_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = people_csv(dir.path(), 2_000);
    let file = file.to_str().unwrap();
    for round in 0..4 {
        let data = dir.path().join(format!("data{round}"));
        // The database exists first, so both processes race on the import, not the creation.
        assert!(kith(&data, &["today"]).status.success());
        let a = spawn(&data, &["import", file]);
        let b = spawn(&data, &["import", file]);
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success(), "{}", text(&a));
        assert!(b.status.success(), "{}", text(&b));
        assert_eq!(
            count(&data, "SELECT count(*) FROM contacts"),
            2_000,
            "round {round}: {} / {}",
            text(&a),
            text(&b)
        );
        let added: Vec<String> = [&a, &b].iter().map(|o| text(o)).collect();
        assert!(
            added.iter().any(|t| t.contains("2000 added"))
                && added.iter().any(|t| t.contains("0 added")),
            "{added:?}"
        );
    }
}

#[test]
fn processes_opening_a_new_or_older_database_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let older = dir.path().join("schema7.db");
    {
        // A schema-7 network, as an older Kith left it (the tables of the schema's SQL).
        let conn = Connection::open(&older).unwrap();
        let sql_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("core/src/store/migrations");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&sql_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        for f in &files[..7] {
            conn.execute_batch(&std::fs::read_to_string(f).unwrap())
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO contacts (id, display_name, created_at, updated_at)
             VALUES (1, 'Priya', 1700000000, 1700000000);
             PRAGMA user_version = 7;",
        )
        .unwrap();
    }
    let rounds: usize = std::env::var("KITH_SAFETY_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(12);
    for round in 0..rounds {
        let data = dir.path().join(format!("data{round}"));
        if round % 2 == 1 {
            std::fs::create_dir_all(&data).unwrap();
            std::fs::copy(&older, data.join("kith.db")).unwrap();
        }
        let runs: Vec<_> = (0..4).map(|_| spawn(&data, &["today", "--json"])).collect();
        for run in runs {
            let out = run.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", text(&out));
        }
        assert_eq!(
            count(&data, "PRAGMA user_version") as usize,
            kith_core::Store::latest_schema_version()
        );
        if round % 2 == 1 {
            assert_eq!(count(&data, "SELECT count(*) FROM contacts"), 1);
            let backups: Vec<_> = std::fs::read_dir(data.join("backups")).unwrap().collect();
            assert_eq!(backups.len(), 1, "one backup before the one migration");
        }
    }
}

#[test]
fn devices_pipes_and_folders_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let fifo = dir.path().join("feed");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for file in [
        Path::new("/dev/zero"),
        Path::new("/dev/urandom"),
        fifo.as_path(),
        dir.path(),
    ] {
        let started = std::time::Instant::now();
        let out = kith(&data, &["import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{file:?}");
        assert!(text(&out).contains("not a regular file"), "{}", text(&out));
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
    // A typo in the file name leaves no database in a folder that did not exist.
    let out = kith(&data, &["import", "/nonexistent/people.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!data.exists(), "the data dir was created for nothing");
}

#[test]
fn a_csv_export_never_hands_a_spreadsheet_a_formula_and_reads_back_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let linkedin = dir.path().join("Connections.csv");
    std::fs::write(
        &linkedin,
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         \"=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",Smith,https://www.linkedin.com/in/evil,,\"+cmd|' /C calc'!A0\",@SUM(A1),01 Jan 2024\n\
         Priya,Raman,https://www.linkedin.com/in/priya,,Acme,-Lead,02 Feb 2024\n",
    )
    .unwrap();
    let out = kith(&data, &["import", linkedin.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let csv = dir.path().join("network.csv");
    let out = kith(
        &data,
        &["export", "--format", "csv", "-o", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let written = std::fs::read_to_string(&csv).unwrap();
    let mut cells = csv_cells(&written);
    cells.retain(|c| !c.is_empty());
    for c in &cells {
        assert!(
            !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a cell a spreadsheet would run: {c:?}\n{written}"
        );
    }
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK")),
        "{written}"
    );
    // Kith reads its own CSV back as it was.
    let again = dir.path().join("again");
    let out = kith(&again, &["import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let conn = Connection::open(again.join("kith.db")).unwrap();
    let company: String = conn
        .query_row(
            "SELECT company FROM contacts WHERE display_name LIKE '=HYPERLINK%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(company, "+cmd|' /C calc'!A0");
}

fn csv_cells(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[test]
fn an_export_writes_through_a_link_and_a_killed_one_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = people_csv(dir.path(), 3_000);
    assert!(kith(&data, &["import", file.to_str().unwrap()])
        .status
        .success());
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let real = out_dir.join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = out_dir.join("backup.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let out = kith(
        &data,
        &["export", "--format", "json", "-o", link.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().starts_with('{'));

    // Killed at moments through the export: the next export leaves only whole files.
    let target = out_dir.join("network.json");
    for delay in [5u64, 20, 40, 80] {
        let mut child = spawn(
            &data,
            &["export", "--format", "json", "-o", target.to_str().unwrap()],
        );
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
    }
    let out = kith(
        &data,
        &[
            "export",
            "--format",
            "csv",
            "-o",
            out_dir.join("n.csv").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.retain(|n| n != "network.json");
    assert_eq!(names, ["backup.json", "n.csv", "real.json"]);
    if target.exists() {
        let whole: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
        assert_eq!(whole["format"], "kith-backup");
    }
}

#[test]
fn backups_are_taken_listed_and_restored_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = people_csv(dir.path(), 50);
    assert!(kith(&data, &["import", file.to_str().unwrap()])
        .status
        .success());
    let out = kith(&data, &["backup"]);
    assert!(out.status.success(), "{}", text(&out));
    let taken = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(taken.starts_with(data.join("backups")), "{taken:?}");
    let to = dir.path().join("copy.db");
    assert!(kith(&data, &["backup", "--to", to.to_str().unwrap()])
        .status
        .success());

    // More people, then back to the backup.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "Name,Email\nNew One,new@example.org\n").unwrap();
    assert!(kith(&data, &["import", more.to_str().unwrap()])
        .status
        .success());
    assert_eq!(count(&data, "SELECT count(*) FROM contacts"), 51);
    let list = kith(&data, &["backups", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let reasons: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"manual") && reasons.contains(&"beforeImport"),
        "{reasons:?}"
    );
    let name = taken.file_name().unwrap().to_str().unwrap();
    let out = kith(&data, &["restore", name]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Restored 50 contacts"),
        "{}",
        text(&out)
    );
    assert_eq!(count(&data, "SELECT count(*) FROM contacts"), 50);
    // The file written with --to restores too, and so back to 50 from the 51 kept.
    let out = kith(&data, &["restore", to.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    // A file that is not a database is refused and changes nothing.
    let out = kith(&data, &["restore", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("cannot be restored"), "{}", text(&out));
    assert_eq!(count(&data, "SELECT count(*) FROM contacts"), 50);
    // Importing a database file says how to restore it.
    let out = kith(&data, &["import", to.to_str().unwrap()]);
    assert!(text(&out).contains("kith restore"), "{}", text(&out));
}

#[test]
fn a_write_by_another_process_during_a_restore_is_in_the_backup_before_it_or_in_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = people_csv(dir.path(), 3_000);
    assert!(kith(&data, &["import", file.to_str().unwrap()])
        .status
        .success());
    let snapshot = dir.path().join("snapshot.db");
    assert!(kith(&data, &["backup", "--to", snapshot.to_str().unwrap()])
        .status
        .success());
    // Another process adds one person at a time, as the app beside the terminal would.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, data, dir) = (stop.clone(), data.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            let mut committed = Vec::new();
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                i += 1;
                let one = dir.join(format!("writer{i}.csv"));
                std::fs::write(&one, format!("Name,Email\nWriter {i},w{i}@example.org\n")).unwrap();
                if kith(&data, &["import", one.to_str().unwrap()])
                    .status
                    .success()
                {
                    committed.push(format!("Writer {i}"));
                }
            }
            committed
        })
    };
    for _ in 0..3 {
        let out = kith(&data, &["restore", snapshot.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let committed = writer.join().unwrap();
    assert!(!committed.is_empty());
    // Every before-restore backup is kept; with the network as it is, they hold every
    // write that was committed.
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("-before-restore.db"))
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    files.push(data.join("kith.db"));
    let mut kept = std::collections::HashSet::new();
    for f in &files {
        let conn = Connection::open(f).unwrap();
        let mut stmt = conn
            .prepare("SELECT display_name FROM contacts WHERE display_name GLOB 'Writer *'")
            .unwrap();
        let names = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        kept.extend(names.map(Result::unwrap));
    }
    for name in &committed {
        assert!(
            kept.contains(name),
            "{name} was committed and is in neither"
        );
    }
}

#[test]
fn a_data_folder_anyone_could_write_and_a_read_only_shm_are_made_right() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kith");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let set =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    std::fs::create_dir_all(data.join("backups")).unwrap();
    set(&data, 0o777);
    set(&data.join("backups"), 0o777);
    let file = people_csv(dir.path(), 3);
    let out = kith(&data, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(kith(&data, &["backup"]).status.success());
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("backups")), 0o700);

    // The -shm a read-only database left behind is Kith's own: it is writable again. (A
    // reader keeps it there: the last connection to close removes it.)
    let reader = Connection::open(data.join("kith.db")).unwrap();
    reader
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let shm = data.join("kith.db-shm");
    set(&shm, 0o400);
    let more = people_csv(dir.path(), 5);
    let out = kith(&data, &["import", more.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(mode(&shm), 0o600);
    assert_eq!(count(&data, "SELECT count(*) FROM contacts"), 5);
}

/// A small disk of its own (tmpfs), unmounted when the test ends; `None` where this user may
/// not mount one.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
            .arg(at)
            .output()
            .is_ok_and(|out| out.status.success());
        mounted.then(|| SmallDisk(at.to_path_buf()))
    }

    fn fill(&self) {
        use std::io::Write;
        let mut file = std::fs::File::create(self.0.join("filler")).unwrap();
        while file.write_all(&[7; 4096]).is_ok() {}
    }

    /// Mounts it again, read-only (`ro`) or not.
    fn remount(&self, how: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).output();
    }
}

#[test]
fn a_full_or_read_only_data_disk_still_lets_the_network_be_read_and_copied_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&dir.path().join("disk")) else {
        eprintln!("skipped: this user cannot mount a small disk");
        return;
    };
    let data = dir.path().join("disk/kith");
    let file = people_csv(dir.path(), 20);
    let out = kith(&data, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));

    disk.fill();
    for (state, says) in [
        ("full", "is full: free some space on it"),
        ("read-only", "is on a read-only disk: mount it read-write"),
        (
            "read-only and clean",
            "is on a read-only disk: mount it read-write",
        ),
    ] {
        match state {
            // With the -wal and -shm files the full disk left.
            "read-only" => {
                std::fs::remove_file(dir.path().join("disk/filler")).unwrap();
                disk.remount("ro");
            }
            // Closed with room to spare: no -wal or -shm beside the database.
            "read-only and clean" => {
                disk.remount("rw");
                assert!(kith(&data, &["today"]).status.success());
                assert!(!data.join("kith.db-shm").exists());
                disk.remount("ro");
            }
            _ => {}
        }
        let today = kith(&data, &["today", "--json"]);
        assert!(today.status.success(), "{state}: {}", text(&today));
        assert!(text(&today).contains(says), "{state}: {}", text(&today));
        let csv = dir.path().join(format!("{state}.csv"));
        let out = kith(
            &data,
            &["export", "--format", "csv", "-o", csv.to_str().unwrap()],
        );
        assert!(out.status.success(), "{state}: {}", text(&out));
        assert_eq!(
            std::fs::read_to_string(&csv).unwrap().lines().count(),
            21,
            "{state}"
        );
        let copy = dir.path().join(format!("{state}.db"));
        let out = kith(&data, &["backup", "--to", copy.to_str().unwrap()]);
        assert!(out.status.success(), "{state}: {}", text(&out));
        let copied = Connection::open(&copy).unwrap();
        let people: i64 = copied
            .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(people, 20, "{state}");
        // What must write says why it cannot, in words.
        let out = kith(&data, &["import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{state}");
        assert!(text(&out).contains(says), "{state}: {}", text(&out));
        assert!(
            !text(&out).contains("disk I/O error"),
            "{state}: {}",
            text(&out)
        );
    }
}
