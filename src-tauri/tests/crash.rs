//! Killed mid-write, nothing is lost: rounds of `kill -9` at random moments during imports,
//! backups, exports, restores, restores of a crafted file (refused late, after its rows were
//! copied and checked) and JSON restores, each by the real `kith` binary on one data dir. After every kill: `integrity_check` is clean, the network holds all of the write or
//! none of it, no half-written file looks whole, and Kith starts again.
//!
//! `KITH_CRASH_ROUNDS` sets the rounds (30 by default; `make crash ROUNDS=500` for a long
//! run) and `KITH_CRASH_SEED` replays a run; the figures are printed at the end.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

fn kith(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("KITH_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// A small xorshift generator: the test needs no crate for a few random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn count(db: &Path) -> i64 {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    if version == 0 {
        // Killed before its first migration committed: a new database with no tables yet,
        // which the next start creates.
        return 0;
    }
    conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap()
}

fn integrity(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// `rows` new people, named for the round so every import adds all of them or none.
fn people(dir: &Path, round: usize, rows: usize) -> PathBuf {
    let mut csv = String::from("Name,Email,Company,Notes\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "Round{round} Person{i},r{round}p{i}@example.org,Firm {},\"{}\"\n",
            i % 53,
            "met at the meetup; ".repeat(6)
        ));
    }
    let path = dir.join(format!("round{round}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Import,
    Backup,
    Export,
    Restore,
    RestoreCrafted,
    RestoreJson,
}

const OPS: [Op; 6] = [
    Op::Import,
    Op::Backup,
    Op::Export,
    Op::Restore,
    Op::RestoreCrafted,
    Op::RestoreJson,
];

impl Op {
    /// Whether the operation succeeds when left alone (a crafted file is refused).
    fn succeeds(self) -> bool {
        self != Op::RestoreCrafted
    }
}

/// Runs `cmd`, killing it after `after` (if it is still running). True if it was killed.
fn run_and_kill(cmd: &mut Command, after: Duration, succeeds: bool) -> bool {
    let mut child = cmd.spawn().unwrap();
    let end = Instant::now() + after;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            if status.success() != succeeds {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                panic!("{cmd:?} failed on its own: {err}");
            }
            return false;
        }
        if Instant::now() >= end {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_micros(300));
    }
}

/// How long `cmd` takes when left alone.
fn duration_of(cmd: &mut Command, succeeds: bool) -> Duration {
    let started = Instant::now();
    let out = cmd.output().unwrap();
    assert!(
        out.status.success() == succeeds,
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

/// Kith starts on the data dir: the store opens (and migrates) and Today answers.
fn starts(data: &Path) {
    let out = kith(data).args(["today", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "Kith does not start after the kill: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The whole files in `dir` that are not hidden partial ones.
fn visible(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect()
}

#[test]
fn killed_at_any_moment_kith_keeps_all_of_a_write_or_none() {
    let rounds: usize = std::env::var("KITH_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let seed: u64 = std::env::var("KITH_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    println!("crash loop: {rounds} rounds, KITH_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("kith.db");
    let rows = 3_000;

    // A network to start from, a backup of it (for restores) and its JSON (for JSON restores).
    let first = people(dir.path(), 0, rows);
    assert!(kith(&data)
        .arg("import")
        .arg(&first)
        .status()
        .unwrap()
        .success());
    let snapshot = dir.path().join("snapshot.db");
    let json = dir.path().join("snapshot.json");
    assert!(kith(&data)
        .args(["backup", "--to"])
        .arg(&snapshot)
        .status()
        .unwrap()
        .success());
    let mut exporting = kith(&data);
    exporting
        .args(["export", "--format", "json", "-o"])
        .arg(&json);
    let mut took: BTreeMap<Op, Duration> = BTreeMap::new();
    took.insert(Op::Export, duration_of(&mut exporting, true));
    // The same network with a setting Kith could never have written: refused only once its
    // rows were copied into a new database and checked.
    let crafted = dir.path().join("crafted.db");
    std::fs::copy(&snapshot, &crafted).unwrap();
    Connection::open(&crafted)
        .unwrap()
        .execute_batch("INSERT INTO settings (key, value) VALUES ('week_start', 'never')")
        .unwrap();
    let snapshot_count = count(&snapshot);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();

    let mut killed: BTreeMap<Op, (u32, u32)> = BTreeMap::new();
    let started = Instant::now();
    for round in 1..=rounds {
        let op = OPS[rng.below(OPS.len() as u64) as usize];
        let before = count(&db);
        let (mut cmd, fresh) = match op {
            Op::Import => {
                let mut cmd = kith(&data);
                cmd.arg("import").arg(people(dir.path(), round, rows));
                (cmd, None)
            }
            Op::Backup => {
                let mut cmd = kith(&data);
                cmd.arg("backup");
                (cmd, None)
            }
            Op::Export => {
                let mut cmd = kith(&data);
                cmd.args(["export", "--format", "json", "-o"])
                    .arg(out_dir.join("network.json"));
                (cmd, None)
            }
            Op::Restore => {
                let mut cmd = kith(&data);
                cmd.arg("restore").arg(&snapshot);
                (cmd, None)
            }
            Op::RestoreCrafted => {
                let mut cmd = kith(&data);
                cmd.arg("restore").arg(&crafted);
                (cmd, None)
            }
            Op::RestoreJson => {
                let fresh = dir.path().join(format!("fresh{round}"));
                let mut cmd = kith(&fresh);
                cmd.arg("import").arg(&json);
                (cmd, Some(fresh))
            }
        };
        // Learn how long the operation takes, once, by letting one run.
        let typical = match took.get(&op) {
            Some(d) => *d,
            None => {
                let d = duration_of(&mut cmd, op.succeeds());
                took.insert(op, d);
                // That run changed the network: check it like any other, then kill the next.
                checks(
                    op,
                    &db,
                    before,
                    rows,
                    snapshot_count,
                    fresh.as_deref(),
                    false,
                );
                continue;
            }
        };
        let at = Duration::from_micros(rng.below(typical.as_micros() as u64 * 11 / 10 + 1));
        let was_killed = run_and_kill(&mut cmd, at, op.succeeds());
        let entry = killed.entry(op).or_default();
        entry.0 += 1;
        entry.1 += u32::from(was_killed);
        checks(
            op,
            &db,
            before,
            rows,
            snapshot_count,
            fresh.as_deref(),
            was_killed,
        );
        if op == Op::Export && !was_killed {
            let text = std::fs::read_to_string(out_dir.join("network.json")).unwrap();
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        }
        // An export's file is whole or absent; no visible half-written file anywhere.
        for f in visible(&out_dir) {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "round {round}: {f:?} is half-written"
            );
        }
        for f in visible(&data.join("backups")) {
            assert_eq!(integrity(&f), "ok", "round {round}: backup {f:?}");
        }
    }
    let elapsed = started.elapsed();
    println!(
        "crash loop: {rounds} rounds in {:.1} s; killed mid-way / runs per operation:",
        elapsed.as_secs_f64()
    );
    for (op, (runs, kills)) in &killed {
        println!(
            "  {op:?}: {kills} killed of {runs} (typical run {:.0} ms)",
            took.get(op).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
    }
    let kills: u32 = killed.values().map(|(_, k)| k).sum();
    assert!(
        kills >= (rounds as u32) / 3,
        "only {kills} of {rounds} rounds killed anything mid-way"
    );
}

/// After `op` (killed or not): the database is whole, holds all of the write or none of
/// it, and Kith starts.
fn checks(
    op: Op,
    db: &Path,
    before: i64,
    rows: usize,
    snapshot: i64,
    fresh: Option<&Path>,
    was_killed: bool,
) {
    let target = match fresh {
        Some(fresh) => fresh.join("kith.db"),
        None => db.to_path_buf(),
    };
    if target.exists() {
        assert_eq!(integrity(&target), "ok", "{op:?}");
    }
    let after = if target.exists() { count(&target) } else { 0 };
    let allowed: Vec<i64> = match op {
        Op::Import => vec![before, before + rows as i64],
        Op::Backup | Op::Export | Op::RestoreCrafted => vec![before],
        Op::Restore => vec![before, snapshot],
        Op::RestoreJson => vec![0, snapshot],
    };
    assert!(
        allowed.contains(&after),
        "{op:?} (killed: {was_killed}) left {after} contacts; all or nothing is one of {allowed:?}"
    );
    if !was_killed {
        assert_eq!(after, *allowed.last().unwrap_or(&before), "{op:?} finished");
    }
    match fresh {
        Some(fresh) if target.exists() => starts(fresh),
        Some(_) => {}
        None => starts(db.parent().unwrap()),
    }
}
