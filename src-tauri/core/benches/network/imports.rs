//! The import figures: a generated LinkedIn export imported into an empty data dir, beside
//! plain inserts of the same rows, and Today on that network of connections only.

use std::time::Instant;

use kith_core::import::{self, Collected, Format};
use kith_core::import::{ImportOptions, ImportSource};
use kith_core::Store;
use rusqlite::Connection;

use super::people::{Rng, COMPANIES, FIRST, LAST, ROLES};
use super::{ms, now, outline_row, percentile, push_p50_p95, time, Figure};

/// A LinkedIn export of `rows` connections, with its preamble, BOM and CRLF lines; three in
/// five share their email.
pub(super) fn linkedin_csv(rows: usize) -> Vec<u8> {
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
pub(super) fn import_figures(rows: usize, figures: &mut Vec<Figure>) {
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
