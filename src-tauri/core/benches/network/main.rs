//! `make bench`: builds a network of 100,000 contacts and 1,000,000 interactions in a temp
//! data dir, then measures what PRODUCT.md §7 budgets — search-as-you-type and opening a
//! contact with 1,000 interactions, Today — through kith-core, each beside a raw-SQL baseline
//! that fetches the same rows on the same database in the same run (search also beside the
//! order it replaced). Prints a table and
//! writes every figure to `target/kith-bench.json`. Never fails on a timing.
//!
//! Sizes can be lowered for a quick look: `KITH_BENCH_CONTACTS`, `KITH_BENCH_INTERACTIONS`;
//! `KITH_BENCH_KEEP=<file>` keeps a copy of the generated database there, and
//! `KITH_BENCH_REUSE=<file>` measures such a copy instead of generating the network again
//! (generating 100,000 contacts takes 20 minutes or more here).
//!
//! It also imports a generated 30,000-row LinkedIn Connections.csv (`KITH_BENCH_IMPORT_ROWS`)
//! into an empty data dir — read, matched, stored — beside plain inserts of the same rows in
//! one transaction, then ranks Today on that network of connections only; and sets a tag
//! cadence rule on the large network (every due date recomputed).
//!
//! Then the large network's backups: a rotating backup (SQLite's online backup API) beside
//! `VACUUM INTO`, the JSON backup written beside reading the same rows, and the JSON backup
//! restored into an empty data dir in a child process of its own — its time beside parsing the
//! same file without storing it, and its peak memory beside a child that only opens a store.
//! And the search for people entered twice over the large network, beside reading the rows
//! it matches.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use kith_core::search::ContactQuery;
use kith_core::Store;
use rusqlite::{named_params, Connection};

mod backups;
mod imports;
mod people;

use backups::{backup_figures, child};
use imports::import_figures;
use people::{add_goal, generate, raw_copy};

/// Typical search-as-you-type prefixes: names as they are being typed, a company, a note word.
const PREFIXES: &[&str] = &[
    "a", "jo", "mar", "pri", "smi", "garc", "acme", "rust", "book",
];

const SEARCH_LIMIT: u32 = 50;

/// The search as it was before names and the people kept up with came first: FTS5's bm25
/// over the first matches, with the columns the contact list shows. The search bench's
/// baseline for the new order.
const OLD_ORDER: &str = "SELECT c.id, c.display_name, c.company, c.role, c.circle,
        c.last_touch_at, c.next_due_at, c.overdue_at,
        (SELECT value FROM contact_emails e
          WHERE e.contact_id = c.id ORDER BY position LIMIT 1) AS primary_email,
        (SELECT value FROM contact_phones p
          WHERE p.contact_id = c.id ORDER BY position LIMIT 1) AS primary_phone
    FROM (
        SELECT rowid AS id, bm25(contact_search, 10.0, 4.0, 2.0, 3.0, 1.0) AS score
        FROM contact_search WHERE contact_search MATCH :q LIMIT :cap
    ) m JOIN contacts c ON c.id = m.id
    WHERE c.archived_at IS NULL
    ORDER BY m.score, c.display_name COLLATE NOCASE, c.id LIMIT :limit";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    let mut out: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    out.sort();
    out
}

/// What a baseline reads of each contact Today could weigh: id, circle, cadence, added,
/// last touch, birthday.
type OutlineRow = (i64, String, Option<i64>, i64, Option<i64>, Option<String>);

fn outline_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutlineRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

/// The p50 and p95 of `ours` beside the same of `base`, in milliseconds.
fn push_p50_p95(figures: &mut Vec<Figure>, name: &str, ours: &[Duration], base: &[Duration]) {
    for (label, p) in [("p50", 0.5), ("p95", 0.95)] {
        figures.push(Figure {
            name: format!("{name} {label}"),
            value: ms(percentile(ours, p)),
            unit: "ms",
            baseline: ms(percentile(base, p)),
        });
    }
}

struct Figure {
    name: String,
    value: f64,
    unit: &'static str,
    baseline: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn main() {
    if let Ok(job) = std::env::var("KITH_BENCH_CHILD") {
        child(&job);
        return;
    }
    let contacts = env_usize("KITH_BENCH_CONTACTS", 100_000).max(2);
    let interactions = env_usize("KITH_BENCH_INTERACTIONS", 1_000_000).max(1_000);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("Kith benchmarks — {contacts} contacts, {interactions} interactions, {cores} cores");

    let started = Instant::now();
    let reuse = std::env::var_os("KITH_BENCH_REUSE").map(PathBuf::from);
    if let Some(kept) = &reuse {
        // A network kept by an earlier run (KITH_BENCH_KEEP): copied, not generated again.
        raw_copy(kept, &dir.path().join("kith.db"))
            .unwrap_or_else(|e| panic!("copy {}: {e}", kept.display()));
    }
    let mut store = Store::open_in(dir.path()).unwrap_or_else(|e| panic!("open: {e}"));
    let path = store.path().to_path_buf();
    if reuse.is_none() {
        generate(&path, contacts, interactions).unwrap_or_else(|e| panic!("generate: {e}"));
        store
            .recompute_due_dates()
            .unwrap_or_else(|e| panic!("derive: {e}"));
        add_goal(&mut store);
    }
    println!(
        "{} in {:.1} s\n",
        if reuse.is_some() {
            "copied"
        } else {
            "generated"
        },
        started.elapsed().as_secs_f64()
    );
    if let Ok(keep) = std::env::var("KITH_BENCH_KEEP") {
        let copy = raw_copy(&path, std::path::Path::new(&keep));
        println!("kept a copy of the network in {keep}: {copy:?}");
    }

    let raw = Connection::open(&path).unwrap_or_else(|e| panic!("open raw: {e}"));
    // The baselines read the same way the store does (see Store::configure).
    raw.pragma_update(None, "mmap_size", 256 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("mmap: {e}"));
    let mut figures: Vec<Figure> = Vec::new();
    // `KITH_BENCH_ONLY=search` (make bench-search): the search figures alone, written to
    // target/kith-bench-search.json (with KITH_BENCH_REUSE, in a minute).
    let only_search = std::env::var("KITH_BENCH_ONLY").is_ok_and(|v| v == "search");
    if !only_search {
        import_figures(
            env_usize("KITH_BENCH_IMPORT_ROWS", 30_000).max(1),
            &mut figures,
        );
    }

    // Search as you type: the store's search (name matches first, then the people kept up
    // with) beside the order it replaced (FTS5's bm25 over the first matches, the same
    // columns) and beside the bare FTS lookup of as many rows.
    let mut ours_all = Vec::new();
    let mut old_all = Vec::new();
    let mut base_all = Vec::new();
    let mut old = raw
        .prepare(OLD_ORDER)
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let mut bare = raw
        .prepare(
            "SELECT c.id, c.display_name
             FROM (SELECT rowid AS id, rank FROM contact_search
                   WHERE contact_search MATCH :q LIMIT :cap) m
             JOIN contacts c ON c.id = m.id
             ORDER BY m.rank LIMIT :limit",
        )
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let cap = kith_core::search::RANKED_CANDIDATES;
    for prefix in PREFIXES {
        let query = ContactQuery {
            text: (*prefix).into(),
            limit: Some(SEARCH_LIMIT),
            ..ContactQuery::default()
        };
        let ours = time(30, || store.search_contacts(&query, now()).map(|r| r.len()));
        let fts = kith_core::search::fts_query(prefix).unwrap_or_default();
        let params = named_params! { ":q": fts, ":cap": cap, ":limit": SEARCH_LIMIT };
        let before = time(30, || {
            old.query_map(params, |r| r.get::<_, i64>(0))
                .map(|rows| rows.count())
        });
        let base = time(30, || {
            bare.query_map(params, |r| r.get::<_, i64>(0))
                .map(|rows| rows.count())
        });
        println!(
            "  search {prefix:<6} p50 {:>7.3} ms  p95 {:>7.3} ms   (old order p50 {:>7.3} p95 {:>7.3}; raw FTS5 p50 {:>7.3} p95 {:>7.3})",
            ms(percentile(&ours, 0.5)),
            ms(percentile(&ours, 0.95)),
            ms(percentile(&before, 0.5)),
            ms(percentile(&before, 0.95)),
            ms(percentile(&base, 0.5)),
            ms(percentile(&base, 0.95))
        );
        ours_all.extend_from_slice(&ours);
        old_all.extend_from_slice(&before);
        base_all.extend_from_slice(&base);
    }
    // How many match, as the palette says beside the first eight: every match counted.
    let mut counts = Vec::new();
    let mut raw_counts = Vec::new();
    let mut count_raw = raw
        .prepare("SELECT count(*) FROM contact_search WHERE contact_search MATCH :q")
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    for prefix in PREFIXES {
        let query = ContactQuery {
            text: (*prefix).into(),
            ..ContactQuery::default()
        };
        counts.extend(time(30, || store.count_contacts(&query, now())));
        let fts = kith_core::search::fts_query(prefix).unwrap_or_default();
        raw_counts.extend(time(30, || {
            count_raw.query_row(named_params! { ":q": fts }, |r| r.get::<_, i64>(0))
        }));
    }
    counts.sort();
    raw_counts.sort();
    push_p50_p95(&mut figures, "count the matches", &counts, &raw_counts);
    ours_all.sort();
    old_all.sort();
    base_all.sort();
    push_p50_p95(&mut figures, "search-as-you-type", &ours_all, &base_all);
    push_p50_p95(
        &mut figures,
        "search-as-you-type, vs. the old order",
        &ours_all,
        &old_all,
    );
    if only_search {
        report(&figures, "kith-bench-search.json");
        return;
    }

    // Opening a contact with 1,000 interactions: the whole page vs. the same rows in raw SQL.
    let ours = time(50, || {
        store
            .contact_page(1, 1_000, now())
            .map(|p| p.timeline.len())
    });
    let mut contact = raw
        .prepare("SELECT * FROM contacts WHERE id = 1")
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let mut history = raw
        .prepare(
            "SELECT i.* FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
             WHERE ic.contact_id = 1 ORDER BY i.occurred_at DESC",
        )
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let base = time(50, || {
        let c = contact
            .query_map([], |r| r.get::<_, i64>(0))
            .map(|r| r.count());
        let h = history
            .query_map([], |r| r.get::<_, i64>(0))
            .map(|r| r.count());
        (c, h)
    });
    push_p50_p95(
        &mut figures,
        "open contact with 1,000 interactions",
        &ours,
        &base,
    );

    // Today: the whole ranking vs. the raw SQL that reads the rows it must look at — the
    // outline of everyone something could lift (due, long silent, birthday this week, owed a
    // follow-up, in the goal's audience).
    let ours = time(10, || store.today(now(), 50).map(|s| s.len()));
    let mut candidates = raw
        .prepare(
            "SELECT c.id, c.circle, c.cadence_days, c.created_at, c.last_touch_at, c.birthday
             FROM contacts c
             WHERE c.archived_at IS NULL
               AND (c.next_due_at <= :now
                    OR c.last_touch_at <= :dormant
                    OR substr(c.birthday, -5) IN (SELECT value FROM json_each(:days))
                    OR c.id IN (SELECT contact_id FROM follow_ups)
                    OR c.id IN (SELECT contact_id FROM contact_tags WHERE tag_id = 1))",
        )
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let dormant = now().timestamp() - 180 * 86_400;
    let days: Vec<String> = (0..=7)
        .map(|d| {
            (now().date_naive() + chrono::Duration::days(d))
                .format("%m-%d")
                .to_string()
        })
        .collect();
    let days = serde_json::to_string(&days).unwrap_or_default();
    let mut fetch = || {
        candidates
            .query_map(
                named_params! { ":now": now().timestamp(), ":dormant": dormant, ":days": days },
                outline_row,
            )
            .map(|rows| rows.count())
            .unwrap_or(0)
    };
    println!("  Today looks at {} contacts", fetch());
    let base = time(10, fetch);
    push_p50_p95(&mut figures, "Today ranking", &ours, &base);

    // A tag cadence rule, set and removed: every contact's due dates recomputed in one
    // transaction, against one UPDATE that rewrites the same column for everyone.
    let tag: String = raw
        .query_row("SELECT name FROM tags ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap_or_else(|e| panic!("a tag: {e}"));
    let mut on = false;
    let ours = time(4, || {
        on = !on;
        let rules = if on {
            vec![kith_core::cadence::CadenceRule {
                tag: tag.clone(),
                days: 21,
            }]
        } else {
            Vec::new()
        };
        store
            .set_cadence_rules(rules)
            .unwrap_or_else(|e| panic!("rules: {e}"))
    });
    let base = time(4, || {
        raw.execute("UPDATE contacts SET next_due_at = next_due_at + 0", [])
            .unwrap_or_else(|e| panic!("update: {e}"))
    });
    figures.push(Figure {
        name: "set a tag cadence rule (median of 4)".into(),
        value: ms(percentile(&ours, 0.5)),
        unit: "ms",
        baseline: ms(percentile(&base, 0.5)),
    });

    // Find duplicates: every active contact's name, emails, phones and links read and matched
    // by key, against reading the same rows raw.
    let ours = time(3, || {
        store
            .duplicates(now())
            .unwrap_or_else(|e| panic!("duplicates: {e}"))
            .pairs
            .len()
    });
    let base = time(3, || {
        let mut rows = 0usize;
        for sql in [
            "SELECT id, display_name FROM contacts WHERE archived_at IS NULL",
            "SELECT contact_id, label, value FROM contact_emails",
            "SELECT contact_id, label, value FROM contact_phones",
            "SELECT contact_id, label, value FROM contact_links",
        ] {
            let mut stmt = raw.prepare(sql).unwrap_or_else(|e| panic!("prepare: {e}"));
            rows += stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .unwrap_or_else(|e| panic!("read: {e}"))
                .count();
        }
        rows
    });
    figures.push(Figure {
        name: "find duplicates (median of 3)".into(),
        value: ms(percentile(&ours, 0.5)),
        unit: "ms",
        baseline: ms(percentile(&base, 0.5)),
    });

    backup_figures(&store, &raw, &mut figures);

    report(&figures, "kith-bench.json");
}

/// Prints the table of figures and writes them to `target/<file>`.
fn report(figures: &[Figure], file: &str) {
    println!(
        "{:<44} {:>10} {:>12} {:>8}",
        "figure", "kith", "baseline", "ratio"
    );
    for f in figures {
        println!(
            "{:<44} {:>7.3} {} {:>9.3} {} {:>7.2}×",
            f.name,
            f.value,
            f.unit,
            f.baseline,
            f.unit,
            f.value / f.baseline
        );
    }
    println!(
        "\n§7 budgets: search p95 ≤ 5 ms; contact page ≤ 10 ms; Today ≤ 50 ms; 30,000-row LinkedIn \
         import ≤ 2 s (figures, not gates)"
    );

    let json: Vec<serde_json::Value> = figures
        .iter()
        .map(|f| {
            serde_json::json!({
                "name": f.name,
                "value": f.value,
                "unit": f.unit,
                "baseline": f.baseline,
                "ratio": f.value / f.baseline,
            })
        })
        .collect();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let out = target.join(file);
    match serde_json::to_string_pretty(&json).map(|text| std::fs::write(&out, text)) {
        Ok(Ok(())) => println!("wrote {}", out.display()),
        Ok(Err(e)) => eprintln!("cannot write {}: {e}", out.display()),
        Err(e) => eprintln!("cannot encode the figures: {e}"),
    }
}
