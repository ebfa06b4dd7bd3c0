//! The large network's backups: rotating, JSON written and JSON restored in a child process
//! (its peak memory beside a child that only opens a store).

use std::time::Instant;

use kith_core::Store;
use rusqlite::Connection;

use super::people::raw_copy;
use super::{ms, now, percentile, time, Figure};

/// Peak resident memory of this process so far, in MiB (VmHWM).
pub(super) fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The child side of the restore figures: `restore <backup> <dir>`, `parse <backup>` or
/// `open <dir>`; prints "<ms> <peak MiB>".
pub(super) fn child(job: &str) {
    let parts: Vec<&str> = job.splitn(3, ' ').collect();
    let start = Instant::now();
    match parts.as_slice() {
        ["restore", file, dir] => {
            let mut store =
                Store::open_in(std::path::Path::new(dir)).unwrap_or_else(|e| panic!("open: {e}"));
            let input = std::fs::File::open(file).unwrap_or_else(|e| panic!("backup: {e}"));
            store
                .restore_backup_from(input, now())
                .unwrap_or_else(|e| panic!("restore: {e}"));
        }
        ["parse", file] => {
            let input = std::fs::File::open(file).unwrap_or_else(|e| panic!("backup: {e}"));
            let _: serde::de::IgnoredAny = serde_json::from_reader(std::io::BufReader::new(input))
                .unwrap_or_else(|e| panic!("parse: {e}"));
        }
        ["open", dir] => {
            Store::open_in(std::path::Path::new(dir)).unwrap_or_else(|e| panic!("open: {e}"));
        }
        _ => panic!("unknown job {job}"),
    }
    println!("{} {}", start.elapsed().as_secs_f64() * 1000.0, peak_mib());
}

/// Runs `job` in a child process; its time (ms) and peak memory (MiB).
pub(super) fn in_child(job: &str) -> (f64, f64) {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("own path: {e}"));
    let out = std::process::Command::new(exe)
        .env("KITH_BENCH_CHILD", job)
        .output()
        .unwrap_or_else(|e| panic!("child: {e}"));
    assert!(
        out.status.success(),
        "{job}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut figures = text
        .split_whitespace()
        .map(|n| n.parse::<f64>().unwrap_or(0.0));
    (figures.next().unwrap_or(0.0), figures.next().unwrap_or(0.0))
}

/// The large network's backups (see the module's comment).
pub(super) fn backup_figures(store: &Store, raw: &Connection, figures: &mut Vec<Figure>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
    let ours = time(3, || {
        store
            .back_up(kith_core::backup::BackupReason::Manual, now())
            .unwrap_or_else(|e| panic!("backup: {e}"))
    });
    let mut n = 0;
    let base = time(3, || {
        n += 1;
        raw_copy(store.path(), &dir.path().join(format!("vacuum{n}.db")))
            .unwrap_or_else(|e| panic!("vacuum: {e}"))
    });
    figures.push(Figure {
        name: "rotating backup, checked (median of 3)".into(),
        value: ms(percentile(&ours, 0.5)),
        unit: "ms",
        baseline: ms(percentile(&base, 0.5)),
    });

    let file = dir.path().join("backup.json");
    let ours = time(1, || {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(&file).unwrap_or_else(|e| panic!("create: {e}")),
        );
        store
            .export_to(kith_core::export::ExportFormat::Json, now(), &mut out)
            .unwrap_or_else(|e| panic!("export: {e}"));
    });
    let tables: Vec<String> = raw
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'contact_search%'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_else(|e| panic!("tables: {e}"));
    let base = time(1, || {
        let mut cells = 0usize;
        for t in &tables {
            let mut stmt = raw
                .prepare(&format!("SELECT * FROM \"{t}\""))
                .unwrap_or_else(|e| panic!("{e}"));
            let cols = stmt.column_count();
            let mut rows = stmt.query([]).unwrap_or_else(|e| panic!("{e}"));
            while let Ok(Some(row)) = rows.next() {
                for i in 0..cols {
                    if row.get_ref(i).is_ok() {
                        cells += 1;
                    }
                }
            }
        }
        cells
    });
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());
    println!(
        "  the JSON backup of the large network is {:.0} MB",
        size as f64 / 1e6
    );
    figures.push(Figure {
        name: "JSON backup written".into(),
        value: ms(ours[0]) / 1000.0,
        unit: "s",
        baseline: ms(base[0]) / 1000.0,
    });

    let file = file.to_string_lossy();
    let target = dir.path().join("restored");
    let (restore_ms, restore_peak) = in_child(&format!("restore {file} {}", target.display()));
    let (parse_ms, _) = in_child(&format!("parse {file}"));
    let (_, open_peak) = in_child(&format!("open {}", dir.path().join("empty").display()));
    figures.push(Figure {
        name: "JSON backup restored into an empty dir".into(),
        value: restore_ms / 1000.0,
        unit: "s",
        baseline: parse_ms / 1000.0,
    });
    figures.push(Figure {
        name: "JSON backup restore, peak memory".into(),
        value: restore_peak,
        unit: "MiB",
        baseline: open_peak,
    });
}
