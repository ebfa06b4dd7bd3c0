//! `make bench`: builds a network of 100,000 contacts and 1,000,000 interactions in a temp
//! data dir, then measures what PRODUCT.md §7 budgets — search-as-you-type and opening a
//! contact with 1,000 interactions, Today — through kith-core, each beside a raw-SQL baseline
//! that fetches the same rows on the same database in the same run. Prints a table and
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
use kith_core::goals::{Audience, GoalInput, GoalKind, Period};
use kith_core::import::{self, Collected, Format};
use kith_core::store::ContactQuery;
use kith_core::store::{ImportOptions, ImportSource};
use kith_core::Store;
use rusqlite::{named_params, Connection};

const FIRST: &[&str] = &[
    "Ana", "Bruno", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Inès", "José", "Kim",
    "Lena", "Marta", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Victor",
    "Wei", "Xavier", "Yara", "Zoë", "Aisha", "Ben", "Carla", "Dmitri", "Emma", "Felix",
];
const LAST: &[&str] = &[
    "Álvarez", "Brown", "Chen", "Dubois", "Evans", "Fischer", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lima", "Müller", "Nakamura", "Okafor", "Patel", "Quinn", "Raman",
    "Smith", "Tanaka", "Urban", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Silva", "Rossi",
];
const COMPANIES: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Northwind",
    "Contoso",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Rustacean Labs",
    "Fabrikam",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
];
const ROLES: &[&str] = &[
    "Engineer",
    "Product manager",
    "Designer",
    "Recruiter",
    "Founder",
    "Data scientist",
    "Engineering manager",
    "Consultant",
    "Researcher",
    "Sales lead",
];
const KINDS: &[&str] = &[
    "call",
    "videoCall",
    "email",
    "message",
    "coffee",
    "meeting",
    "event",
    "intro",
];
const NOTES: &[&str] = &[
    "Talked about the new platform team and hiring plans",
    "Recommended a book on negotiation",
    "Asked for an intro to someone in design",
    "Caught up after the conference",
    "Shared an article on remote onboarding",
];
/// Typical search-as-you-type prefixes: names as they are being typed, a company, a note word.
const PREFIXES: &[&str] = &[
    "a", "jo", "mar", "pri", "smi", "garc", "acme", "rust", "book",
];
const SEARCH_LIMIT: u32 = 50;

/// A small deterministic generator (xorshift64*), so every run builds the same network.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

/// Fills the database with a network: raw inserts in one transaction (the generator is not
/// what is measured), then the store recomputes the derived columns and the search index.
fn generate(path: &std::path::Path, contacts: usize, interactions: usize) -> rusqlite::Result<i64> {
    let mut conn = Connection::open(path)?;
    let tx = conn.transaction()?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let created = now().timestamp() - 3 * 365 * 86_400;
    {
        let mut contact = tx.prepare(
            "INSERT INTO contacts (id, display_name, given_name, family_name, company, role, notes,
                 circle, created_at, updated_at)
             VALUES (:id, :name, :given, :family, :company, :role, :notes, :circle, :at, :at)",
        )?;
        let mut email = tx.prepare(
            "INSERT INTO contact_emails (contact_id, position, label, value) VALUES (:id, 0, 'work', :v)",
        )?;
        let circles = ["inner", "close", "network", "network", "acquaintance"];
        for id in 1..=contacts as i64 {
            let given = rng.pick(FIRST);
            let family = rng.pick(LAST);
            let company = rng.pick(COMPANIES);
            contact.execute(named_params! {
                ":id": id,
                ":name": format!("{given} {family}"),
                ":given": given,
                ":family": family,
                ":company": company,
                ":role": rng.pick(ROLES),
                ":notes": if id % 5 == 0 { Some(rng.pick(NOTES)) } else { None },
                ":circle": circles[rng.below(circles.len())],
                ":at": created,
            })?;
            email.execute(named_params! {
                ":id": id,
                ":v": format!("{}.{}{id}@{}.example", given.to_lowercase(), family.to_lowercase(), company.to_lowercase().replace(' ', "")),
            })?;
        }
        let mut interaction = tx.prepare(
            "INSERT INTO interactions (id, kind, occurred_at, direction, notes, created_at, updated_at)
             VALUES (:id, :kind, :at, 'outbound', :notes, :at, :at)",
        )?;
        let mut link = tx.prepare(
            "INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
             VALUES (:i, :c, :at)",
        )?;
        let span = 3 * 365 * 86_400;
        for id in 1..=interactions as i64 {
            // Contact 1 has exactly 1,000 interactions; the rest are spread over everyone.
            let who = if id <= 1_000 {
                1
            } else {
                2 + rng.below(contacts - 1) as i64
            };
            let at = created + rng.below(span) as i64;
            interaction.execute(named_params! {
                ":id": id,
                ":kind": rng.pick(KINDS),
                ":at": at,
                ":notes": if id % 3 == 0 { Some(rng.pick(NOTES)) } else { None },
            })?;
            link.execute(named_params! { ":i": id, ":c": who, ":at": at })?;
        }
        // What lifts people into Today besides being due: birthdays (a quarter of the
        // network, some without a year), a tag that a goal behind pace targets (5 %), open
        // and finished follow-ups (3 %), and a few snoozed suggestions.
        let mut birthday = tx.prepare("UPDATE contacts SET birthday = :b WHERE id = :id")?;
        let mut tag =
            tx.prepare("INSERT INTO contact_tags (contact_id, tag_id) VALUES (:id, 1)")?;
        let mut follow_up = tx.prepare(
            "INSERT INTO follow_ups (contact_id, title, due_on, completed_at, created_at, updated_at)
             VALUES (:id, 'Send the article', :due, :done, :at, :at)",
        )?;
        let mut snooze = tx.prepare(
            "INSERT OR IGNORE INTO suggestion_states (contact_id, hidden_until) VALUES (:id, :until)",
        )?;
        tx.execute(
            "INSERT INTO tags (id, name) VALUES (1, 'former colleague')",
            [],
        )?;
        let today = now().date_naive();
        for id in 1..=contacts as i64 {
            if id % 4 == 0 {
                let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
                let year = if rng.below(3) == 0 {
                    "-".to_string()
                } else {
                    (1960 + rng.below(45)).to_string()
                };
                birthday.execute(
                    named_params! { ":b": format!("{year}-{month:02}-{day:02}"), ":id": id },
                )?;
            }
            if id % 20 == 7 {
                tag.execute(named_params! { ":id": id })?;
            }
            if id % 33 == 5 {
                let due = today + chrono::Duration::days(rng.below(60) as i64 - 30);
                let done =
                    (rng.below(2) == 0).then(|| now().timestamp() - rng.below(60 * 86_400) as i64);
                follow_up.execute(named_params! {
                    ":id": id, ":due": due.to_string(), ":done": done, ":at": created,
                })?;
            }
            if id % 200 == 11 {
                snooze
                    .execute(named_params! { ":id": id, ":until": now().timestamp() + 86_400 })?;
            }
        }
        tx.execute(
            "INSERT INTO contact_search (rowid, name, work, channels, tags, notes)
             SELECT c.id, concat_ws(' ', c.display_name, c.given_name, c.family_name),
                    concat_ws(' ', c.company, c.role, c.location),
                    (SELECT group_concat(value, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                    '', concat_ws(' ', c.notes, c.how_we_met)
             FROM contacts c",
            [],
        )?;
    }
    tx.commit()?;
    Ok(1)
}

/// A consistent copy of the database (for looking at query plans), through SQLite's VACUUM INTO.
fn raw_copy(from: &std::path::Path, to: &std::path::Path) -> rusqlite::Result<()> {
    let conn = Connection::open(from)?;
    conn.execute(
        "VACUUM INTO :to",
        named_params! { ":to": to.to_string_lossy() },
    )?;
    Ok(())
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

/// A LinkedIn export of `rows` connections, with its preamble, BOM and CRLF lines; three in
/// five share their email.
fn linkedin_csv(rows: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::from(
        "\u{feff}Notes:\r\n\"When exporting your connection data, you may notice that some of \
         the email addresses are missing.\"\r\n\r\n\
         First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n",
    );
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    for i in 0..rows {
        let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
        let email = if rng.below(5) < 3 {
            format!(
                "{}.{}{i}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{first},{last},https://www.linkedin.com/in/{}-{}-{i:x},{email},\"{}, Inc.\",{},{:02} {} {}\r\n",
            first.to_lowercase(),
            last.to_lowercase(),
            rng.pick(COMPANIES),
            rng.pick(ROLES),
            1 + rng.below(28),
            MONTHS[rng.below(12)],
            2008 + rng.below(18),
        ));
    }
    out.into_bytes()
}

/// The import of a LinkedIn export into an empty data dir, against plain inserts of the same
/// rows (contact, email, link, the connection as an interaction) in one transaction.
fn import_figures(rows: usize, figures: &mut Vec<Figure>) {
    let bytes = linkedin_csv(rows);
    let read = || {
        let mut read = Collected::default();
        import::parse(&bytes, Format::LinkedIn, None, &mut read)
            .unwrap_or_else(|e| panic!("read: {e}"));
        read
    };
    // The last import's data dir stays for Today on a network of connections only.
    let mut imported: Option<(tempfile::TempDir, Store)> = None;
    let ours = time(3, || {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let mut store = Store::open_in(dir.path()).unwrap_or_else(|e| panic!("open: {e}"));
        let start = Instant::now();
        let source = ImportSource {
            file_name: "Connections.csv".into(),
            format: import::detect(&bytes).unwrap_or_else(|e| panic!("detect: {e}")),
            read: read(),
        };
        let report = store
            .import(&source, &ImportOptions::default(), &[], now())
            .unwrap_or_else(|e| panic!("import: {e}"));
        assert_eq!(report.added as usize, rows);
        let took = start.elapsed();
        imported = Some((dir, store));
        took
    });
    let records = read().records;
    let base = time(3, || {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let path = Store::open_in(dir.path())
            .unwrap_or_else(|e| panic!("open: {e}"))
            .path()
            .to_path_buf();
        let mut conn = Connection::open(&path).unwrap_or_else(|e| panic!("open raw: {e}"));
        let start = Instant::now();
        let tx = conn.transaction().unwrap_or_else(|e| panic!("tx: {e}"));
        {
            let mut contact = tx
                .prepare(
                    "INSERT INTO contacts (display_name, given_name, family_name, company, role,
                                           created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 0, 0)",
                )
                .unwrap_or_else(|e| panic!("{e}"));
            let mut email = tx
                .prepare(
                    "INSERT INTO contact_emails (contact_id, position, value) VALUES (?1, 0, ?2)",
                )
                .unwrap_or_else(|e| panic!("{e}"));
            let mut link = tx
                .prepare(
                    "INSERT INTO contact_links (contact_id, position, label, value)
                     VALUES (?1, 0, 'LinkedIn', ?2)",
                )
                .unwrap_or_else(|e| panic!("{e}"));
            let mut interaction = tx
                .prepare(
                    "INSERT INTO interactions (kind, occurred_at, created_at, updated_at)
                     VALUES ('connected', ?1, 0, 0)",
                )
                .unwrap_or_else(|e| panic!("{e}"));
            let mut link_interaction = tx
                .prepare(
                    "INSERT INTO interaction_contacts (interaction_id, contact_id, occurred_at)
                     VALUES (?1, ?2, ?3)",
                )
                .unwrap_or_else(|e| panic!("{e}"));
            for r in &records {
                let c = &r.contact;
                contact
                    .execute(rusqlite::params![
                        c.display_name,
                        c.given_name,
                        c.family_name,
                        c.company,
                        c.role
                    ])
                    .unwrap_or_else(|e| panic!("{e}"));
                let id = tx.last_insert_rowid();
                if let Some(e) = c.emails.first() {
                    email
                        .execute(rusqlite::params![id, e.value])
                        .unwrap_or_else(|e| panic!("{e}"));
                }
                if let Some(l) = c.links.first() {
                    link.execute(rusqlite::params![id, l.value])
                        .unwrap_or_else(|e| panic!("{e}"));
                }
                if let Some(on) = r.connected_on {
                    let at = on
                        .and_hms_opt(12, 0, 0)
                        .unwrap_or_default()
                        .and_utc()
                        .timestamp();
                    interaction.execute([at]).unwrap_or_else(|e| panic!("{e}"));
                    let i = tx.last_insert_rowid();
                    link_interaction
                        .execute([i, id, at])
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
        tx.commit().unwrap_or_else(|e| panic!("commit: {e}"));
        start.elapsed()
    });
    figures.push(Figure {
        name: format!("LinkedIn import, {rows} rows (median of 3)"),
        value: ms(percentile(&ours, 0.5)),
        unit: "ms",
        baseline: ms(percentile(&base, 0.5)),
    });

    // Today on the imported network (connections over ten years, nothing else logged),
    // against reading every contact's outline: connections are not a debt, so nobody is
    // due and only lifts could list anyone.
    let Some((_dir, store)) = imported else {
        return;
    };
    let ours = time(10, || store.today(now(), 50).map(|s| s.len()));
    let raw = Connection::open(store.path()).unwrap_or_else(|e| panic!("open raw: {e}"));
    let mut outline = raw
        .prepare(
            "SELECT id, circle, cadence_days, created_at, last_touch_at, birthday
             FROM contacts WHERE archived_at IS NULL",
        )
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let base = time(10, || {
        outline
            .query_map([], outline_row)
            .map(|rows| rows.count())
            .unwrap_or(0)
    });
    push_p50_p95(figures, "Today on the imported network", &ours, &base);
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

/// Peak resident memory of this process so far, in MiB (VmHWM).
fn peak_mib() -> f64 {
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
fn child(job: &str) {
    let parts: Vec<&str> = job.splitn(3, ' ').collect();
    let start = Instant::now();
    match parts.as_slice() {
        ["restore", file, dir] => {
            let mut store =
                Store::open_in(std::path::Path::new(dir)).unwrap_or_else(|e| panic!("open: {e}"));
            let input = std::fs::File::open(file).unwrap_or_else(|e| panic!("backup: {e}"));
            store
                .restore_backup_from(input)
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
fn in_child(job: &str) -> (f64, f64) {
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
fn backup_figures(store: &Store, raw: &Connection, figures: &mut Vec<Figure>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
    let ours = time(3, || {
        store
            .back_up(kith_core::store::BackupReason::Manual, now())
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

/// A goal behind pace: 40 former colleagues this month, nothing logged toward it yet.
fn add_goal(store: &mut Store) {
    store
        .add_goal(
            GoalInput {
                target: 40,
                period: Period::Monthly,
                audience: Audience {
                    tags: vec!["former colleague".into()],
                    ..Audience::default()
                },
                start_date: now().date_naive() - chrono::Duration::days(60),
                ..GoalInput::template(GoalKind::ReconnectColleagues, now().date_naive())
            },
            now(),
        )
        .unwrap_or_else(|e| panic!("goal: {e}"));
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
    import_figures(
        env_usize("KITH_BENCH_IMPORT_ROWS", 30_000).max(1),
        &mut figures,
    );

    // Search as you type: the store's ranked search vs. the bare FTS lookup of the same rows.
    let mut ours_all = Vec::new();
    let mut base_all = Vec::new();
    for prefix in PREFIXES {
        let query = ContactQuery {
            text: (*prefix).into(),
            limit: Some(SEARCH_LIMIT),
            ..ContactQuery::default()
        };
        let ours = time(30, || store.search_contacts(&query, now()).map(|r| r.len()));
        let fts = kith_core::store::fts_query(prefix).unwrap_or_default();
        let mut stmt = raw
            .prepare(
                "SELECT c.id, c.display_name
                 FROM (SELECT rowid AS id, rank FROM contact_search
                       WHERE contact_search MATCH :q LIMIT :cap) m
                 JOIN contacts c ON c.id = m.id
                 ORDER BY m.rank LIMIT :limit",
            )
            .unwrap_or_else(|e| panic!("prepare: {e}"));
        let base = time(30, || {
            let cap = kith_core::store::RANKED_CANDIDATES;
            stmt.query_map(
                named_params! { ":q": fts, ":cap": cap, ":limit": SEARCH_LIMIT },
                |r| r.get::<_, i64>(0),
            )
            .map(|rows| rows.count())
        });
        println!(
            "  search {prefix:<6} p50 {:>7.3} ms  p95 {:>7.3} ms   (raw SQL p95 {:>7.3} ms)",
            ms(percentile(&ours, 0.5)),
            ms(percentile(&ours, 0.95)),
            ms(percentile(&base, 0.95))
        );
        ours_all.extend_from_slice(&ours);
        base_all.extend_from_slice(&base);
    }
    ours_all.sort();
    base_all.sort();
    push_p50_p95(&mut figures, "search-as-you-type", &ours_all, &base_all);

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

    println!(
        "{:<44} {:>10} {:>12} {:>8}",
        "figure", "kith", "baseline", "ratio"
    );
    for f in &figures {
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
    let out = target.join("kith-bench.json");
    match serde_json::to_string_pretty(&json).map(|text| std::fs::write(&out, text)) {
        Ok(Ok(())) => println!("wrote {}", out.display()),
        Ok(Err(e)) => eprintln!("cannot write {}: {e}", out.display()),
        Err(e) => eprintln!("cannot encode the figures: {e}"),
    }
}
