//! Queries on contacts and their emails and phones.

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::{from_db_time, to_db_time, Store};
use crate::model::{Contact, ContactSummary, LabeledValue, NewContact};
use crate::{Error, Result};

/// The two tables that hold a contact's labelled values.
#[derive(Clone, Copy)]
enum Entries {
    Emails,
    Phones,
}

impl Entries {
    fn table(self) -> &'static str {
        match self {
            Entries::Emails => "contact_emails",
            Entries::Phones => "contact_phones",
        }
    }
}

impl Store {
    /// Validates `new` and stores it as one transaction; nothing is stored if any rule fails.
    pub fn add_contact(&mut self, new: NewContact, now: DateTime<Utc>) -> Result<Contact> {
        let new = new.validated()?;
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO contacts (display_name, company, role, notes, created_at, updated_at)
                 VALUES (:name, :company, :role, :notes, :now, :now)",
                named_params! {
                    ":name": new.display_name,
                    ":company": new.company,
                    ":role": new.role,
                    ":notes": new.notes,
                    ":now": to_db_time(now),
                },
            )?;
            let id = tx.last_insert_rowid();
            insert_entries(tx, Entries::Emails, id, &new.emails)?;
            insert_entries(tx, Entries::Phones, id, &new.phones)?;
            Ok(id)
        })?;
        self.get_contact(id)
    }

    /// The contact with this id, archived or not.
    pub fn get_contact(&self, id: i64) -> Result<Contact> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT id, display_name, company, role, notes, created_at, updated_at, archived_at
                 FROM contacts WHERE id = :id",
            )?
            .query_row(named_params! { ":id": id }, |row| {
                Ok(Contact {
                    id: row.get("id")?,
                    display_name: row.get("display_name")?,
                    emails: Vec::new(),
                    phones: Vec::new(),
                    company: row.get("company")?,
                    role: row.get("role")?,
                    notes: row.get("notes")?,
                    created_at: from_db_time(row.get("created_at")?)?,
                    updated_at: from_db_time(row.get("updated_at")?)?,
                    archived_at: row
                        .get::<_, Option<i64>>("archived_at")?
                        .map(from_db_time)
                        .transpose()?,
                })
            })
            .optional()?;
        let mut contact = found.ok_or(Error::NotFound {
            what: "contact",
            id,
        })?;
        contact.emails = load_entries(&self.conn, Entries::Emails, id)?;
        contact.phones = load_entries(&self.conn, Entries::Phones, id)?;
        Ok(contact)
    }

    /// Every contact that is not archived, by name (case-insensitive), then by id.
    pub fn list_contacts(&self) -> Result<Vec<ContactSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name, c.company, c.role,
                    (SELECT value FROM contact_emails e
                      WHERE e.contact_id = c.id ORDER BY position LIMIT 1) AS primary_email,
                    (SELECT value FROM contact_phones p
                      WHERE p.contact_id = c.id ORDER BY position LIMIT 1) AS primary_phone
             FROM contacts c
             WHERE c.archived_at IS NULL
             ORDER BY c.display_name COLLATE NOCASE, c.id",
        )?;
        let rows = stmt.query_map([], summary_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<ContactSummary> {
    Ok(ContactSummary {
        id: row.get("id")?,
        display_name: row.get("display_name")?,
        company: row.get("company")?,
        role: row.get("role")?,
        primary_email: row.get("primary_email")?,
        primary_phone: row.get("primary_phone")?,
    })
}

fn insert_entries(
    conn: &Connection,
    kind: Entries,
    contact_id: i64,
    entries: &[LabeledValue],
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO {} (contact_id, position, label, value) VALUES (:id, :pos, :label, :value)",
        kind.table()
    ))?;
    for (position, entry) in entries.iter().enumerate() {
        stmt.execute(named_params! {
            ":id": contact_id,
            ":pos": position as i64,
            ":label": entry.label,
            ":value": entry.value,
        })?;
    }
    Ok(())
}

fn load_entries(conn: &Connection, kind: Entries, contact_id: i64) -> Result<Vec<LabeledValue>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT label, value FROM {} WHERE contact_id = :id ORDER BY position",
        kind.table()
    ))?;
    let rows = stmt.query_map(named_params! { ":id": contact_id }, |row| {
        Ok(LabeledValue {
            label: row.get("label")?,
            value: row.get("value")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::tests::temp_store;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
    }

    fn lv(label: &str, value: &str) -> LabeledValue {
        LabeledValue {
            label: label.into(),
            value: value.into(),
        }
    }

    fn priya() -> NewContact {
        NewContact {
            display_name: "Priya Raman".into(),
            emails: vec![
                lv("work", "priya@acme.example"),
                lv("home", "priya.r@mail.example"),
            ],
            phones: vec![lv("mobile", "+44 7700 900123")],
            company: Some("Acme".into()),
            role: Some("Product lead".into()),
            notes: Some("Recommended “The Mom Test”.\nLikes long walks.".into()),
        }
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn add_get_and_list_round_trip() {
        let (_dir, mut store) = temp_store();
        let added = store.add_contact(priya(), now()).unwrap();
        assert!(added.id > 0);
        assert_eq!(added.display_name, "Priya Raman");
        assert_eq!(added.emails, priya().emails);
        assert_eq!(added.phones, priya().phones);
        assert_eq!(added.notes, priya().notes);
        assert_eq!(added.created_at, now());
        assert_eq!(added.updated_at, now());
        assert_eq!(added.archived_at, None);

        assert_eq!(store.get_contact(added.id).unwrap(), added);

        let list = store.list_contacts().unwrap();
        assert_eq!(
            list,
            vec![ContactSummary {
                id: added.id,
                display_name: "Priya Raman".into(),
                company: Some("Acme".into()),
                role: Some("Product lead".into()),
                primary_email: Some("priya@acme.example".into()),
                primary_phone: Some("+44 7700 900123".into()),
            }]
        );
    }

    #[test]
    fn list_is_sorted_by_name_ignoring_case() {
        let (_dir, mut store) = temp_store();
        for name in ["bob", "Alice", "Carol", "alice"] {
            store
                .add_contact(
                    NewContact {
                        display_name: name.into(),
                        ..NewContact::default()
                    },
                    now(),
                )
                .unwrap();
        }
        let names: Vec<_> = store
            .list_contacts()
            .unwrap()
            .into_iter()
            .map(|c| c.display_name)
            .collect();
        assert_eq!(names, ["Alice", "alice", "bob", "Carol"]);
    }

    #[test]
    fn missing_contact_is_not_found() {
        let (_dir, store) = temp_store();
        let err = store.get_contact(42).unwrap_err();
        assert!(matches!(
            err,
            Error::NotFound {
                what: "contact",
                id: 42
            }
        ));
        assert_eq!(err.to_string(), "contact 42 was not found");
    }

    #[test]
    fn invalid_input_leaves_the_database_unchanged() {
        let (_dir, mut store) = temp_store();
        store.add_contact(priya(), now()).unwrap();
        let bad_inputs = [
            NewContact {
                display_name: "   ".into(),
                ..priya()
            },
            NewContact {
                display_name: "x".repeat(10_000),
                ..priya()
            },
            NewContact {
                emails: vec![lv("work", "ok@x.example"), lv("work", "not-an-email")],
                ..priya()
            },
            NewContact {
                notes: Some("n".repeat(1_000_000)),
                ..priya()
            },
        ];
        for bad in bad_inputs {
            let err = store.add_contact(bad, now()).unwrap_err();
            assert_eq!(err.kind(), "invalid", "{err}");
            assert_eq!(count(&store, "contacts"), 1);
            assert_eq!(count(&store, "contact_emails"), 2);
            assert_eq!(count(&store, "contact_phones"), 1);
        }
    }

    #[test]
    fn a_failed_write_rolls_back_the_whole_contact() {
        let (_dir, mut store) = temp_store();
        // Make the phone insert fail after the contact and its emails were written.
        store
            .conn
            .execute_batch(
                "CREATE TRIGGER refuse_phones BEFORE INSERT ON contact_phones
                 BEGIN SELECT RAISE(ABORT, 'disk says no'); END;",
            )
            .unwrap();
        let err = store.add_contact(priya(), now()).unwrap_err();
        assert_eq!(err.kind(), "storage");
        assert_eq!(count(&store, "contacts"), 0);
        assert_eq!(count(&store, "contact_emails"), 0);
    }

    #[test]
    fn reopening_the_file_keeps_the_data() {
        let dir = tempfile::tempdir().unwrap();
        let id = {
            let mut store = Store::open_in(dir.path()).unwrap();
            store.add_contact(priya(), now()).unwrap().id
        };
        let store = Store::open_in(dir.path()).unwrap();
        let again = store.get_contact(id).unwrap();
        assert_eq!(again.display_name, "Priya Raman");
        assert_eq!(again.emails.len(), 2);
        assert_eq!(store.list_contacts().unwrap().len(), 1);
    }

    #[test]
    fn two_stores_on_one_file_see_each_others_writes() {
        let (dir, mut app) = temp_store();
        let mut cli = Store::open_in(dir.path()).unwrap();
        cli.add_contact(priya(), now()).unwrap();
        assert_eq!(app.list_contacts().unwrap().len(), 1);
        app.add_contact(
            NewContact {
                display_name: "Bob".into(),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
        assert_eq!(cli.list_contacts().unwrap().len(), 2);
    }
}
