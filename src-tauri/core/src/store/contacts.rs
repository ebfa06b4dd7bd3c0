//! Queries on contacts: their fields, labelled emails, phones and links, tags, archive and
//! purge. Every write keeps the derived columns (last touch, next due) and the search index
//! in step, inside the same transaction.

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Row, ToSql};

use super::cadence::{due_rules, refresh_due, Scope};
use super::{from_db_time, to_db_time, Store};
use crate::cadence::{self, DueRules, Touches};
use crate::model::{Birthday, Contact, ContactInput, ContactSummary, LabeledValue};
use crate::{Error, Result};

/// The tables that hold a contact's labelled values.
#[derive(Clone, Copy)]
enum Entries {
    Emails,
    Phones,
    Links,
}

impl Entries {
    fn table(self) -> &'static str {
        match self {
            Entries::Emails => "contact_emails",
            Entries::Phones => "contact_phones",
            Entries::Links => "contact_links",
        }
    }
}

/// The columns of a [`ContactSummary`], for any query over `contacts c`.
pub(crate) const SUMMARY_COLUMNS: &str = "c.id, c.display_name, c.company, c.role, c.circle,
    c.last_touch_at, c.next_due_at, c.overdue_at,
    (SELECT value FROM contact_emails e
      WHERE e.contact_id = c.id ORDER BY position LIMIT 1) AS primary_email,
    (SELECT value FROM contact_phones p
      WHERE p.contact_id = c.id ORDER BY position LIMIT 1) AS primary_phone";

impl Store {
    /// Validates `input` and stores it as one transaction; nothing is stored if any rule fails.
    pub fn add_contact(&mut self, input: ContactInput, now: DateTime<Utc>) -> Result<Contact> {
        let input = input.validated()?;
        let id = self.write(|tx| {
            let id = insert_new_contact(tx, &input, &due_rules(tx)?, None, now)?;
            reindex(tx, id)?;
            Ok(id)
        })?;
        self.get_contact(id)
    }

    /// Replaces every field of contact `id` with `input`, as one transaction.
    pub fn update_contact(
        &mut self,
        id: i64,
        input: ContactInput,
        now: DateTime<Utc>,
    ) -> Result<Contact> {
        let input = input.validated()?;
        self.write(|tx| {
            ensure_exists(tx, id)?;
            write_fields(tx, id, &input, now)
        })?;
        self.get_contact(id)
    }

    /// Archives contact `id` (a soft delete: it leaves lists, search and suggestions, and
    /// [`Store::restore_contact`] brings it back with everything it had).
    pub fn archive_contact(&mut self, id: i64, now: DateTime<Utc>) -> Result<Contact> {
        self.set_archived(id, true, now)
    }

    /// Undoes [`Store::archive_contact`].
    pub fn restore_contact(&mut self, id: i64, now: DateTime<Utc>) -> Result<Contact> {
        self.set_archived(id, false, now)
    }

    fn set_archived(&mut self, id: i64, archived: bool, now: DateTime<Utc>) -> Result<Contact> {
        self.write(|tx| {
            ensure_exists(tx, id)?;
            tx.execute(
                "UPDATE contacts
                 SET archived_at = CASE WHEN :archived THEN coalesce(archived_at, :now) END,
                     updated_at = :now
                 WHERE id = :id",
                named_params! { ":id": id, ":archived": archived, ":now": to_db_time(now) },
            )?;
            reindex(tx, id)
        })?;
        self.get_contact(id)
    }

    /// Deletes an archived contact for good, with its emails, phones, links, tags and
    /// follow-ups; interactions it shared with others stay for them. Only archived contacts
    /// can be purged, so nothing disappears in one click.
    pub fn purge_contact(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let archived: Option<Option<i64>> = tx
                .query_row(
                    "SELECT archived_at FROM contacts WHERE id = :id",
                    named_params! { ":id": id },
                    |r| r.get(0),
                )
                .optional()?;
            match archived {
                None => {
                    return Err(Error::NotFound {
                        what: "contact",
                        id,
                    })
                }
                Some(None) => {
                    return Err(Error::Conflict(
                        "Archive this contact before deleting it for good.".into(),
                    ))
                }
                Some(Some(_)) => {}
            }
            delete_contact(tx, id)?;
            drop_unused_tags(tx)
        })
    }

    /// Archived contacts, most recently archived first.
    pub fn list_archived(&self, now: DateTime<Utc>) -> Result<Vec<ContactSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM contacts c
             WHERE c.archived_at IS NOT NULL
             ORDER BY c.archived_at DESC, c.id DESC"
        ))?;
        let rows = stmt.query_map([], |row| summary_from_row(row, now))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Recomputes every contact's last touch, due and overdue dates, as one transaction
    /// (after a bulk load, or to repair derived columns).
    pub fn recompute_due_dates(&mut self) -> Result<usize> {
        self.write(|tx| {
            let rules = due_rules(tx)?;
            let n = tx.execute(&format!("UPDATE contacts SET {TOUCHES}"), [])?;
            refresh_due(tx, &rules, Scope::All)?;
            Ok(n)
        })
    }

    /// The contact with this id, archived or not.
    pub fn get_contact(&self, id: i64) -> Result<Contact> {
        load_contact(&self.conn, id)
    }

    /// Every contact that is not archived, by name (case-insensitive), then by id, with
    /// where each stands against their cadence at `now`.
    pub fn list_contacts(&self, now: DateTime<Utc>) -> Result<Vec<ContactSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM contacts c
             WHERE c.archived_at IS NULL
             ORDER BY c.display_name COLLATE NOCASE, c.id"
        ))?;
        let rows = stmt.query_map([], |row| summary_from_row(row, now))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) fn load_contact(conn: &Connection, id: i64) -> Result<Contact> {
    let found = conn
        .prepare_cached(
            "SELECT id, display_name, given_name, family_name, company, role, location,
                    time_zone, how_we_met, notes, circle, cadence_days, preferred_channel,
                    birthday, last_touch_at, next_due_at, overdue_at, created_at, updated_at,
                    archived_at, touch_count, connection_count
             FROM contacts WHERE id = :id",
        )?
        .query_row(named_params! { ":id": id }, |r| {
            let touches = Touches {
                real: r.get("touch_count")?,
                connections: r.get("connection_count")?,
            };
            Ok((contact_from_row(r)?, touches))
        })
        .optional()?;
    let (mut contact, touches) = found.ok_or(Error::NotFound {
        what: "contact",
        id,
    })?;
    contact.emails = load_entries(conn, Entries::Emails, id)?;
    contact.phones = load_entries(conn, Entries::Phones, id)?;
    contact.links = load_entries(conn, Entries::Links, id)?;
    contact.tags = load_tags(conn, id)?;
    let in_force =
        due_rules(conn)?.in_force(contact.cadence_days, contact.circle, &contact.tags, touches);
    contact.effective_cadence_days = in_force.days;
    contact.cadence_source = in_force.source;
    Ok(contact)
}

pub(crate) fn ensure_exists(conn: &Connection, id: i64) -> Result<()> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT id FROM contacts WHERE id = :id")?
        .query_row(named_params! { ":id": id }, |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(Error::NotFound {
        what: "contact",
        id,
    })
}

/// Runs `sql`, which writes the contact form's columns from the parameters `:name`, `:given`,
/// `:family`, `:company`, `:role`, `:location`, `:tz`, `:met`, `:notes`, `:circle`,
/// `:cadence`, `:channel`, `:birthday` and `:now`, with `c`'s fields and `extra`.
fn execute_with_fields(
    conn: &Connection,
    sql: &str,
    c: &ContactInput,
    now: DateTime<Utc>,
    extra: &[(&str, &dyn ToSql)],
) -> Result<()> {
    let circle = c.circle;
    let channel = c.preferred_channel;
    let birthday = c.birthday.map(Birthday::to_db);
    let now = to_db_time(now);
    let mut params: Vec<(&str, &dyn ToSql)> = vec![
        (":name", &c.display_name),
        (":given", &c.given_name),
        (":family", &c.family_name),
        (":company", &c.company),
        (":role", &c.role),
        (":location", &c.location),
        (":tz", &c.time_zone),
        (":met", &c.how_we_met),
        (":notes", &c.notes),
        (":circle", &circle),
        (":cadence", &c.cadence_days),
        (":channel", &channel),
        (":birthday", &birthday),
        (":now", &now),
    ];
    params.extend_from_slice(extra);
    conn.prepare_cached(sql)?.execute(params.as_slice())?;
    Ok(())
}

/// Adds a validated contact in the few statements a bulk import can afford: the row with
/// its derived columns (as [`refresh_touch`] would set them, given its one imported
/// connection at `connected`, which the caller links), its values and its tags. The search
/// index is left to [`reindex_many`].
pub(crate) fn insert_new_contact(
    conn: &Connection,
    c: &ContactInput,
    rules: &DueRules,
    connected: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i64> {
    insert_contact(conn, None, c, rules, connected, now)
}

/// [`insert_new_contact`] under id `id` when given (a contact given back by an undo).
pub(crate) fn insert_contact(
    conn: &Connection,
    id: Option<i64>,
    c: &ContactInput,
    rules: &DueRules,
    connected: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let touches = Touches {
        real: 0,
        connections: u32::from(connected.is_some()),
    };
    let in_force = rules.in_force(c.cadence_days, c.circle, &c.tags, touches);
    let due = in_force
        .days
        .map(|days| rules.due_dates(connected.unwrap_or(now), days));
    execute_with_fields(
        conn,
        "INSERT INTO contacts (id, display_name, given_name, family_name, company, role,
             location, time_zone, how_we_met, notes, circle, cadence_days, preferred_channel,
             birthday, created_at, updated_at, last_touch_at, connection_count,
             due_cadence_days, next_due_at, overdue_at)
         VALUES (:id, :name, :given, :family, :company, :role, :location, :tz, :met, :notes,
             :circle, :cadence, :channel, :birthday, :now, :now, :touch, :connections, :days,
             :next, :overdue)",
        c,
        now,
        named_params! {
            ":id": id,
            ":touch": connected.map(to_db_time),
            ":connections": touches.connections,
            ":days": in_force.days,
            ":next": due.map(|d| to_db_time(d.0)),
            ":overdue": due.map(|d| to_db_time(d.1)),
        },
    )?;
    let id = conn.last_insert_rowid();
    insert_entries(conn, Entries::Emails, id, &c.emails)?;
    insert_entries(conn, Entries::Phones, id, &c.phones)?;
    insert_entries(conn, Entries::Links, id, &c.links)?;
    add_tags(conn, id, &c.tags)?;
    Ok(id)
}

/// Writes every field of a validated input onto contact `id` (which exists).
pub(crate) fn write_fields(
    conn: &Connection,
    id: i64,
    c: &ContactInput,
    now: DateTime<Utc>,
) -> Result<()> {
    write_fields_unindexed(conn, id, c, &due_rules(conn)?, now)?;
    reindex(conn, id)
}

/// [`write_fields`] without the search index, for writers of many contacts that index them
/// all at once with [`reindex_many`] (each statement on the index flushes it to disk).
pub(crate) fn write_fields_unindexed(
    conn: &Connection,
    id: i64,
    c: &ContactInput,
    rules: &DueRules,
    now: DateTime<Utc>,
) -> Result<()> {
    execute_with_fields(
        conn,
        "UPDATE contacts SET display_name = :name, given_name = :given, family_name = :family,
             company = :company, role = :role, location = :location, time_zone = :tz,
             how_we_met = :met, notes = :notes, circle = :circle, cadence_days = :cadence,
             preferred_channel = :channel, birthday = :birthday, updated_at = :now
         WHERE id = :id",
        c,
        now,
        named_params! { ":id": id },
    )?;
    replace_entries(conn, Entries::Emails, id, &c.emails)?;
    replace_entries(conn, Entries::Phones, id, &c.phones)?;
    replace_entries(conn, Entries::Links, id, &c.links)?;
    replace_tags(conn, id, &c.tags)?;
    refresh_touch(conn, rules, id)
}

/// A contact's first and last touch, and its numbers of touches and of imported
/// connections, from its history (the SET clause of an UPDATE of `contacts`).
const TOUCHES: &str = "(first_touch_at, last_touch_at, touch_count, connection_count) =
    (SELECT min(ic.occurred_at) FILTER (WHERE i.kind <> 'connected'),
            max(ic.occurred_at),
            count(*) FILTER (WHERE i.kind <> 'connected'),
            count(*) FILTER (WHERE i.kind = 'connected')
     FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
     WHERE ic.contact_id = contacts.id)";

/// Recomputes contact `id`'s first and last touch (its earliest own touch and its latest
/// interaction of any kind), its numbers of touches and of imported connections, and then
/// its cadence in force and due dates under `rules`.
pub(crate) fn refresh_touch(conn: &Connection, rules: &DueRules, id: i64) -> Result<()> {
    conn.prepare_cached(&format!("UPDATE contacts SET {TOUCHES} WHERE id = :id"))?
        .execute(named_params! { ":id": id })?;
    refresh_due(conn, rules, Scope::Ids(&[id]))?;
    Ok(())
}

/// Puts contact `id` in the search index as it is now, or takes it out if it is archived.
pub(crate) fn reindex(conn: &Connection, id: i64) -> Result<()> {
    reindex_many(conn, &[id])
}

/// [`reindex`] for many contacts, in two statements.
pub(crate) fn reindex_many(conn: &Connection, ids: &[i64]) -> Result<()> {
    let ids = serde_json::Value::from(ids).to_string();
    conn.prepare_cached(
        "DELETE FROM contact_search WHERE rowid IN (SELECT value FROM json_each(:ids))",
    )?
    .execute(named_params! { ":ids": ids })?;
    conn.prepare_cached(
        "INSERT INTO contact_search (rowid, name, work, channels, tags, notes)
         SELECT c.id,
                concat_ws(' ', c.display_name, c.given_name, c.family_name),
                concat_ws(' ', c.company, c.role, c.location),
                concat_ws(' ',
                    (SELECT group_concat(value, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                    (SELECT group_concat(value, ' ') FROM contact_phones p WHERE p.contact_id = c.id),
                    (SELECT group_concat(value, ' ') FROM contact_links l WHERE l.contact_id = c.id)),
                coalesce((SELECT group_concat(t.name, ' ') FROM contact_tags ct
                            JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id), ''),
                concat_ws(' ', c.notes, c.how_we_met)
         FROM contacts c
         WHERE c.id IN (SELECT value FROM json_each(:ids)) AND c.archived_at IS NULL",
    )?
    .execute(named_params! { ":ids": ids })?;
    Ok(())
}

fn contact_from_row(row: &Row<'_>) -> rusqlite::Result<Contact> {
    let time = |name: &str| -> rusqlite::Result<Option<DateTime<Utc>>> {
        row.get::<_, Option<i64>>(name)?
            .map(from_db_time)
            .transpose()
    };
    Ok(Contact {
        id: row.get("id")?,
        display_name: row.get("display_name")?,
        given_name: row.get("given_name")?,
        family_name: row.get("family_name")?,
        emails: Vec::new(),
        phones: Vec::new(),
        links: Vec::new(),
        company: row.get("company")?,
        role: row.get("role")?,
        location: row.get("location")?,
        time_zone: row.get("time_zone")?,
        how_we_met: row.get("how_we_met")?,
        notes: row.get("notes")?,
        tags: Vec::new(),
        circle: row.get("circle")?,
        cadence_days: row.get("cadence_days")?,
        effective_cadence_days: None,
        cadence_source: crate::cadence::CadenceSource::Circle,
        preferred_channel: row.get("preferred_channel")?,
        birthday: row
            .get::<_, Option<String>>("birthday")?
            .as_deref()
            .and_then(Birthday::from_db),
        last_touch_at: time("last_touch_at")?,
        next_due_at: time("next_due_at")?,
        overdue_at: time("overdue_at")?,
        created_at: from_db_time(row.get("created_at")?)?,
        updated_at: from_db_time(row.get("updated_at")?)?,
        archived_at: time("archived_at")?,
    })
}

/// A [`ContactSummary`] from a row of [`SUMMARY_COLUMNS`], with where it stands at `now`.
pub(crate) fn summary_from_row(
    row: &Row<'_>,
    now: DateTime<Utc>,
) -> rusqlite::Result<ContactSummary> {
    let time = |name: &str| -> rusqlite::Result<Option<DateTime<Utc>>> {
        row.get::<_, Option<i64>>(name)?
            .map(from_db_time)
            .transpose()
    };
    let next_due_at = time("next_due_at")?;
    Ok(ContactSummary {
        id: row.get("id")?,
        display_name: row.get("display_name")?,
        company: row.get("company")?,
        role: row.get("role")?,
        primary_email: row.get("primary_email")?,
        primary_phone: row.get("primary_phone")?,
        circle: row.get("circle")?,
        last_touch_at: time("last_touch_at")?,
        due: cadence::due_state(next_due_at, time("overdue_at")?, now),
        next_due_at,
    })
}

fn replace_entries(
    conn: &Connection,
    kind: Entries,
    contact_id: i64,
    entries: &[LabeledValue],
) -> Result<()> {
    conn.prepare_cached(&format!(
        "DELETE FROM {} WHERE contact_id = :id",
        kind.table()
    ))?
    .execute(named_params! { ":id": contact_id })?;
    insert_entries(conn, kind, contact_id, entries)
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

fn replace_tags(conn: &Connection, contact_id: i64, tags: &[String]) -> Result<()> {
    conn.prepare_cached("DELETE FROM contact_tags WHERE contact_id = :id")?
        .execute(named_params! { ":id": contact_id })?;
    add_tags(conn, contact_id, tags)?;
    drop_unused_tags(conn)
}

/// Whether the network has anyone in it (archived people count).
pub(crate) fn anyone(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM contacts)", [], |r| r.get(0))?)
}

/// Deletes contact `id` for good with what only it owns: its values, tags and follow-ups
/// (by cascade), its row in the search index, and the interactions no one else was part
/// of. Tags left without contacts go with [`drop_unused_tags`].
pub(crate) fn delete_contact(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM interactions WHERE id IN (
             SELECT interaction_id FROM interaction_contacts WHERE contact_id = :id
         ) AND NOT EXISTS (
             SELECT 1 FROM interaction_contacts o
             WHERE o.interaction_id = interactions.id AND o.contact_id != :id
         )",
    )?
    .execute(named_params! { ":id": id })?;
    conn.prepare_cached("DELETE FROM contacts WHERE id = :id")?
        .execute(named_params! { ":id": id })?;
    conn.prepare_cached("DELETE FROM contact_search WHERE rowid = :id")?
        .execute(named_params! { ":id": id })?;
    Ok(())
}

/// Deletes the tags no contact has any more.
pub(crate) fn drop_unused_tags(conn: &Connection) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = tags.id)",
    )?
    .execute([])?;
    Ok(())
}

/// Gives contact `contact_id` each of `tags` (made when new; one already there is kept).
pub(crate) fn add_tags(conn: &Connection, contact_id: i64, tags: &[String]) -> Result<()> {
    for tag in tags {
        // The first spelling of a tag is kept; "Rust" and "rust" are one tag.
        conn.prepare_cached(
            "INSERT INTO tags (name) VALUES (:name) ON CONFLICT (name) DO NOTHING",
        )?
        .execute(named_params! { ":name": tag })?;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)
             SELECT :id, id FROM tags WHERE name = :name",
        )?
        .execute(named_params! { ":id": contact_id, ":name": tag })?;
    }
    Ok(())
}

fn load_tags(conn: &Connection, contact_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.contact_id = :id ORDER BY t.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map(named_params! { ":id": contact_id }, |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests;
