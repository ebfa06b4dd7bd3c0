//! Search-as-you-type over active contacts (SQLite FTS5: prefix matching, accents folded,
//! ranked with the name first) and the list filters: circle, tag, company, due / overdue.
//! What a search asks for is in [`crate::search`].

use chrono::{DateTime, Utc};
use rusqlite::types::Value;

use super::codec;
use super::contacts::{summary_from_row, SUMMARY_COLUMNS};
use super::{to_db_time, Store};
use crate::model::ContactSummary;
pub use crate::search::{
    fts_query, ContactQuery, DueFilter, MAX_QUERY_CHARS, MAX_RESULTS, RANKED_CANDIDATES,
};
use crate::{Error, Result};

impl Store {
    /// Active contacts matching `query`, best match first (by name when there is no text).
    pub fn search_contacts(
        &self,
        query: &ContactQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactSummary>> {
        if query.text.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::Invalid {
                field: "text",
                reason: format!("Search for at most {MAX_QUERY_CHARS} characters."),
            });
        }
        let limit = query.limit.unwrap_or(MAX_RESULTS).min(MAX_RESULTS);
        let fts = fts_query(&query.text);
        let filtered = query.circle.is_some()
            || query.tag.as_deref().is_some_and(|t| !t.trim().is_empty())
            || query
                .company
                .as_deref()
                .is_some_and(|t| !t.trim().is_empty())
            || query.due.is_some();
        let mut filters = vec!["c.archived_at IS NULL".to_owned()];
        let mut params: Vec<(&str, Value)> = Vec::new();
        let mut sql = match &fts {
            Some(fts) => {
                params.push((":fts", Value::Text(fts.clone())));
                // Name matches count most, then company and role, tags, emails, notes.
                let cap = if filtered {
                    String::new()
                } else {
                    params.push((":cap", Value::Integer(i64::from(RANKED_CANDIDATES))));
                    " LIMIT :cap".to_owned()
                };
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM (
                         SELECT rowid AS id, bm25(contact_search, 10.0, 4.0, 2.0, 3.0, 1.0) AS score
                         FROM contact_search WHERE contact_search MATCH :fts{cap}
                     ) m JOIN contacts c ON c.id = m.id"
                )
            }
            None => format!("SELECT {SUMMARY_COLUMNS} FROM contacts c"),
        };
        if let Some(circle) = query.circle {
            filters.push("c.circle = :circle".into());
            params.push((":circle", Value::Text(codec::name_of(&circle)?)));
        }
        if let Some(tag) = query
            .tag
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            filters.push(
                "EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                         WHERE ct.contact_id = c.id AND t.name = :tag)"
                    .into(),
            );
            params.push((":tag", Value::Text(tag.into())));
        }
        if let Some(company) = query
            .company
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            filters.push("c.company = :company COLLATE NOCASE".into());
            params.push((":company", Value::Text(company.into())));
        }
        if let Some(due) = query.due {
            if due != DueFilter::Never {
                params.push((":now", Value::Integer(to_db_time(now))));
            }
            filters.push(match due {
                DueFilter::Due => "c.next_due_at <= :now".into(),
                DueFilter::Overdue => "c.overdue_at <= :now".into(),
                DueFilter::Never => "c.touch_count = 0".into(),
            });
        }
        sql.push_str(" WHERE ");
        sql.push_str(&filters.join(" AND "));
        if fts.is_some() {
            sql.push_str(" ORDER BY m.score, c.display_name COLLATE NOCASE, c.id");
        } else {
            sql.push_str(" ORDER BY c.display_name COLLATE NOCASE, c.id");
        }
        sql.push_str(" LIMIT :limit");
        params.push((":limit", Value::Integer(i64::from(limit))));

        let mut stmt = self.conn.prepare_cached(&sql)?;
        let bound: Vec<(&str, &dyn rusqlite::ToSql)> = params
            .iter()
            .map(|(name, value)| (*name, value as &dyn rusqlite::ToSql))
            .collect();
        let rows = stmt.query_map(bound.as_slice(), |row| summary_from_row(row, now))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::model::{Circle, ContactInput, LabeledValue};
    use crate::store::tests::temp_store;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    fn add(store: &mut Store, input: ContactInput) -> i64 {
        store.add_contact(input, now()).unwrap().id
    }

    fn named(name: &str) -> ContactInput {
        ContactInput {
            display_name: name.into(),
            ..ContactInput::default()
        }
    }

    fn text(t: &str) -> ContactQuery {
        ContactQuery {
            text: t.into(),
            ..ContactQuery::default()
        }
    }

    fn names(store: &Store, q: &ContactQuery) -> Vec<String> {
        store
            .search_contacts(q, now())
            .unwrap()
            .into_iter()
            .map(|c| c.display_name)
            .collect()
    }

    #[test]
    fn prefixes_and_accents_match() {
        let (_dir, mut store) = temp_store();
        add(&mut store, named("José Álvarez"));
        add(&mut store, named("Joanna Smith"));
        add(&mut store, named("Zoë Müller"));
        assert_eq!(names(&store, &text("jose")), ["José Álvarez"]);
        assert_eq!(names(&store, &text("JOSÉ alv")), ["José Álvarez"]);
        assert_eq!(names(&store, &text("jo")).len(), 2);
        assert_eq!(names(&store, &text("zoe mull")), ["Zoë Müller"]);
        assert!(names(&store, &text("xavier")).is_empty());
    }

    #[test]
    fn searches_companies_roles_emails_tags_and_notes_with_names_first() {
        let (_dir, mut store) = temp_store();
        add(
            &mut store,
            ContactInput {
                company: Some("Rustacean Labs".into()),
                ..named("Ana Lima")
            },
        );
        add(&mut store, named("Rusty Jones"));
        add(
            &mut store,
            ContactInput {
                emails: vec![LabeledValue {
                    label: "work".into(),
                    value: "kim@northwind.example".into(),
                }],
                tags: vec!["former colleague".into()],
                notes: Some("Met at the Kubernetes meetup".into()),
                role: Some("Platform engineer".into()),
                ..named("Kim Park")
            },
        );
        assert_eq!(names(&store, &text("rust")), ["Rusty Jones", "Ana Lima"]);
        assert_eq!(names(&store, &text("northwind")), ["Kim Park"]);
        assert_eq!(names(&store, &text("former")), ["Kim Park"]);
        assert_eq!(names(&store, &text("kubern")), ["Kim Park"]);
        assert_eq!(names(&store, &text("platform")), ["Kim Park"]);
    }

    #[test]
    fn the_index_follows_updates_archive_restore_and_purge() {
        let (_dir, mut store) = temp_store();
        let id = add(&mut store, named("Priya Raman"));
        assert_eq!(names(&store, &text("priya")), ["Priya Raman"]);

        store
            .update_contact(id, named("Priya Natarajan"), now())
            .unwrap();
        assert!(names(&store, &text("raman")).is_empty());
        assert_eq!(names(&store, &text("natar")), ["Priya Natarajan"]);

        store.archive_contact(id, now()).unwrap();
        assert!(names(&store, &text("priya")).is_empty());
        assert!(names(&store, &ContactQuery::default()).is_empty());

        store.restore_contact(id, now()).unwrap();
        assert_eq!(names(&store, &text("priya")), ["Priya Natarajan"]);

        store.archive_contact(id, now()).unwrap();
        store.purge_contact(id).unwrap();
        let indexed: i64 = store
            .conn
            .query_row("SELECT count(*) FROM contact_search", [], |r| r.get(0))
            .unwrap();
        assert_eq!(indexed, 0);
    }

    #[test]
    fn filters_by_circle_tag_company_and_due() {
        let (_dir, mut store) = temp_store();
        add(
            &mut store,
            ContactInput {
                circle: Circle::Inner,
                tags: vec!["Family".into()],
                ..named("Mum")
            },
        );
        add(
            &mut store,
            ContactInput {
                company: Some("Acme".into()),
                cadence_days: Some(10),
                ..named("Bob")
            },
        );
        add(
            &mut store,
            ContactInput {
                company: Some("acme".into()),
                ..named("Carol")
            },
        );
        let q = |f: fn(&mut ContactQuery)| {
            let mut q = ContactQuery::default();
            f(&mut q);
            q
        };
        assert_eq!(
            names(&store, &q(|q| q.circle = Some(Circle::Inner))),
            ["Mum"]
        );
        assert_eq!(
            names(&store, &q(|q| q.tag = Some("family".into()))),
            ["Mum"]
        );
        assert_eq!(
            names(&store, &q(|q| q.company = Some("ACME".into()))),
            ["Bob", "Carol"]
        );

        // Added today: Mum (14 days), Bob (10 days), Carol (network, 90 days).
        let at = |days| now() + Duration::days(days);
        let due = ContactQuery {
            due: Some(DueFilter::Due),
            ..ContactQuery::default()
        };
        let overdue = ContactQuery {
            due: Some(DueFilter::Overdue),
            ..ContactQuery::default()
        };
        let found = |q: &ContactQuery, when| -> Vec<String> {
            store
                .search_contacts(q, when)
                .unwrap()
                .into_iter()
                .map(|c| c.display_name)
                .collect()
        };
        assert!(found(&due, at(9)).is_empty());
        assert_eq!(found(&due, at(10)), ["Bob"]);
        assert_eq!(found(&due, at(14)), ["Bob", "Mum"]);
        assert!(found(&overdue, at(15)).is_empty());
        assert_eq!(found(&overdue, at(16)), ["Bob"]);
        assert_eq!(found(&overdue, at(22)), ["Bob", "Mum"]);

        // Never contacted: no touch of one's own; an imported connection is not one.
        let never = ContactQuery {
            due: Some(DueFilter::Never),
            ..ContactQuery::default()
        };
        let ids: Vec<i64> = store
            .list_contacts(now())
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        for (id, kind) in [
            (ids[0], crate::history::InteractionKind::Connected),
            (ids[1], crate::history::InteractionKind::Coffee),
        ] {
            store
                .log_interaction(
                    crate::history::InteractionInput {
                        contact_ids: vec![id],
                        kind,
                        occurred_at: now(),
                        direction: None,
                        notes: None,
                    },
                    now(),
                )
                .unwrap();
        }
        let found_now: Vec<String> = store
            .search_contacts(&never, now())
            .unwrap()
            .into_iter()
            .map(|c| c.display_name)
            .collect();
        assert_eq!(found_now, ["Bob", "Mum"]);
    }

    #[test]
    fn broad_prefixes_rank_a_bounded_set_and_narrower_text_finds_the_rest() {
        let (_dir, mut store) = temp_store();
        for i in 0..(RANKED_CANDIDATES + 100) {
            add(&mut store, named(&format!("Person {i}")));
        }
        add(&mut store, named("Personne Zed"));
        let q = ContactQuery {
            text: "pers".into(),
            limit: Some(10),
            ..ContactQuery::default()
        };
        assert_eq!(store.search_contacts(&q, now()).unwrap().len(), 10);
        assert_eq!(names(&store, &text("personne")), ["Personne Zed"]);
        assert_eq!(names(&store, &text("pers zed")), ["Personne Zed"]);
        // With a filter, every match is ranked.
        let filtered = ContactQuery {
            text: "zed".into(),
            circle: Some(Circle::Network),
            ..ContactQuery::default()
        };
        assert_eq!(names(&store, &filtered), ["Personne Zed"]);
    }

    #[test]
    fn limits_and_oversized_queries() {
        let (_dir, mut store) = temp_store();
        for i in 0..5 {
            add(&mut store, named(&format!("Person {i}")));
        }
        let q = ContactQuery {
            text: "person".into(),
            limit: Some(2),
            ..ContactQuery::default()
        };
        assert_eq!(store.search_contacts(&q, now()).unwrap().len(), 2);
        let err = store
            .search_contacts(&text(&"a".repeat(201)), now())
            .unwrap_err();
        assert_eq!(err.field(), Some("text"));
    }
}
