//! The network the bench measures: names, companies and notes to draw from, a deterministic
//! generator, the raw inserts that fill a database with it, and copies of it kept or reused.

use kith_core::goals::{Audience, GoalInput, GoalKind, Period};
use kith_core::Store;
use rusqlite::{named_params, Connection};

use super::now;

pub(super) const FIRST: &[&str] = &[
    "Ana", "Bruno", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Inès", "José", "Kim",
    "Lena", "Marta", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Victor",
    "Wei", "Xavier", "Yara", "Zoë", "Aisha", "Ben", "Carla", "Dmitri", "Emma", "Felix",
];

pub(super) const LAST: &[&str] = &[
    "Álvarez", "Brown", "Chen", "Dubois", "Evans", "Fischer", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lima", "Müller", "Nakamura", "Okafor", "Patel", "Quinn", "Raman",
    "Smith", "Tanaka", "Urban", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Silva", "Rossi",
];

pub(super) const COMPANIES: &[&str] = &[
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

pub(super) const ROLES: &[&str] = &[
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

pub(super) const KINDS: &[&str] = &[
    "call",
    "videoCall",
    "email",
    "message",
    "coffee",
    "meeting",
    "event",
    "intro",
];

pub(super) const NOTES: &[&str] = &[
    "Talked about the new platform team and hiring plans",
    "Recommended a book on negotiation",
    "Asked for an intro to someone in design",
    "Caught up after the conference",
    "Shared an article on remote onboarding",
];

/// A small deterministic generator (xorshift64*), so every run builds the same network.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Fills the database with a network: raw inserts in one transaction (the generator is not
/// what is measured), then the store recomputes the derived columns and the search index.
pub(super) fn generate(
    path: &std::path::Path,
    contacts: usize,
    interactions: usize,
) -> rusqlite::Result<i64> {
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
pub(super) fn raw_copy(from: &std::path::Path, to: &std::path::Path) -> rusqlite::Result<()> {
    let conn = Connection::open(from)?;
    conn.execute(
        "VACUUM INTO :to",
        named_params! { ":to": to.to_string_lossy() },
    )?;
    Ok(())
}

/// A goal behind pace: 40 former colleagues this month, nothing logged toward it yet.
pub(super) fn add_goal(store: &mut Store) {
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
