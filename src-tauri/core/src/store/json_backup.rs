//! The full JSON backup: every row of every table of the database, and its restore into an
//! empty data folder. The file is the database written out, not a view of it, so nothing is
//! left behind and a restore gives back the same rows, ids included. Its shape (also in the
//! README, for scripts):
//!
//! ```json
//! { "format": "kith-backup", "version": 1, "schemaVersion": 9,
//!   "exportedAt": "2026-11-23T10:00:00Z",
//!   "tables": { "contacts": [ {"id":1,"display_name":"Priya Raman",…}, … ], … } }
//! ```
//!
//! Each table is a list of rows in primary-key order, one row per line; each row maps column
//! names to values (numbers, text or null). Instants are unix seconds (UTC), dates
//! `YYYY-MM-DD`. The search index is not written: it is rebuilt on restore. Both ways stream
//! row by row, so a backup of any size is written and restored in little memory: the header
//! comes before the tables, and a restore reads it first.

use std::fmt;
use std::io::{Read, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Transaction};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::Store;
use crate::{Error, Result};

pub const BACKUP_FORMAT: &str = "kith-backup";
pub const BACKUP_VERSION: u64 = 1;

/// The tables a backup holds: all but SQLite's own and the search index (rebuilt).
pub(super) fn tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'contact_search%'
         ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A table's columns, and its primary key's columns in key order (its rows' order).
pub(super) fn columns(conn: &Connection, table: &str) -> Result<(Vec<String>, Vec<String>)> {
    let mut stmt = conn.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
    let rows: Vec<(String, i64)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut key: Vec<(i64, String)> = rows
        .iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(n, pk)| (*pk, n.clone()))
        .collect();
    key.sort();
    Ok((
        rows.into_iter().map(|(n, _)| n).collect(),
        key.into_iter().map(|(_, n)| n).collect(),
    ))
}

pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn io(source: std::io::Error) -> Error {
    Error::Write {
        what: "the backup",
        source,
    }
}

/// Writes every row of every table `conn` reads, as the backup's JSON, to `out`.
pub(super) fn write_backup(
    conn: &Connection,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let header = |key: &str, value: Value| format!("  {}: {value},\n", Value::from(key));
    out.write_all(b"{\n").map_err(io)?;
    for (key, value) in [
        ("format", Value::from(BACKUP_FORMAT)),
        ("version", Value::from(BACKUP_VERSION)),
        ("schemaVersion", Value::from(super::schema_version(conn)?)),
        (
            "exportedAt",
            Value::from(now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        ),
    ] {
        out.write_all(header(key, value).as_bytes()).map_err(io)?;
    }
    out.write_all(b"  \"tables\": {").map_err(io)?;
    for (t, table) in tables(conn)?.iter().enumerate() {
        let (cols, key) = columns(conn, table)?;
        let order = if key.is_empty() {
            "rowid".to_owned()
        } else {
            key.iter().map(|k| quoted(k)).collect::<Vec<_>>().join(", ")
        };
        let select = cols
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT {select} FROM {} ORDER BY {order}",
            quoted(table)
        ))?;
        let mut rows = stmt.query([])?;
        let opening = format!(
            "{}\n    {}: [",
            if t == 0 { "" } else { "," },
            Value::from(table.as_str())
        );
        out.write_all(opening.as_bytes()).map_err(io)?;
        let mut first = true;
        while let Some(row) = rows.next()? {
            let mut obj = Map::new();
            for (i, c) in cols.iter().enumerate() {
                let value = match row.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::from(n),
                    ValueRef::Real(f) => Value::from(f),
                    ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => {
                        return Err(Error::Corrupt(format!(
                            "{table}.{c} holds binary data, which a backup cannot write"
                        )))
                    }
                };
                obj.insert(c.clone(), value);
            }
            out.write_all(if first { b"\n      " } else { b",\n      " })
                .map_err(io)?;
            serde_json::to_writer(&mut *out, &obj).map_err(|e| io(e.into()))?;
            first = false;
        }
        out.write_all(if first { b"]" } else { b"\n    ]" })
            .map_err(io)?;
    }
    out.write_all(b"\n  }\n}\n").map_err(io)?;
    Ok(())
}

impl Store {
    /// Writes the backup JSON of the whole database to `out`, row by row, all of it read in
    /// one transaction (one state of the network, whatever others write meanwhile).
    pub fn write_backup_json(&self, now: DateTime<Utc>, out: &mut dyn Write) -> Result<()> {
        self.read(|conn| write_backup(conn, now, out))
    }

    /// The backup JSON as one string (for tests and small networks).
    pub fn backup_json(&self, now: DateTime<Utc>) -> Result<String> {
        let mut out = Vec::new();
        self.write_backup_json(now, &mut out)?;
        String::from_utf8(out).map_err(|e| Error::Internal(e.to_string()))
    }

    /// Restores the backup `json` (see [`Store::restore_backup_from`]).
    pub fn restore_backup(&mut self, json: &str, now: DateTime<Utc>) -> Result<usize> {
        self.restore_backup_from(json.as_bytes(), now)
    }

    /// Refuses a restore into a data folder that already holds a network.
    pub(super) fn refuse_unless_empty(&self) -> Result<()> {
        for table in [
            "contacts",
            "interactions",
            "goals",
            "events",
            "reminders",
            "imports",
        ] {
            let rows: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            if rows > 0 {
                return Err(Error::Conflict(
                    "A backup is restored into an empty data folder only, and this one already \
                     holds a network. Restore into a new folder (kith --data-dir <new folder> \
                     import <backup>)."
                        .into(),
                ));
            }
        }
        Ok(())
    }
}

/// Stores the rows of the backup read from `input` into `conn`, a new database of this
/// Kith's schema, in one transaction; returns how many. Rows arrive table by table, children
/// before their parents: foreign keys are off while they do (SQLite would otherwise search
/// every child table at each parent row while a violation is outstanding) and checked once,
/// in words, before the commit.
pub(super) fn read_backup(conn: &mut Connection, input: impl Read) -> Result<usize> {
    let ours = tables(conn)?;
    let schema = super::schema_version(conn)?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let tx = conn.transaction()?;
    let mut reader = Reader {
        tx: &tx,
        ours: &ours,
        schema,
        restored: 0,
        failure: None,
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
    let read = (&mut reader).deserialize(&mut de).and_then(|()| de.end());
    if let Some(failure) = reader.failure.take() {
        return Err(failure);
    }
    read.map_err(|e| Error::parse(Some(e.line() as u64), format!("not a Kith backup: {e}")))?;
    let restored = reader.restored;
    super::check_foreign_keys(&tx)?;
    tx.commit()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(restored)
}

/// Reads a backup as it streams in, storing each row as soon as it is whole. What goes
/// wrong is kept in `failure` (serde's own error can only carry text).
struct Reader<'a, 't> {
    tx: &'a Transaction<'t>,
    ours: &'a [String],
    schema: usize,
    restored: usize,
    failure: Option<Error>,
}

impl Reader<'_, '_> {
    fn fail<E: de::Error>(&mut self, error: Error) -> E {
        let text = error.to_string();
        self.failure = Some(error);
        E::custom(text)
    }

    fn insert(
        &mut self,
        table: &str,
        cols: &[String],
        at: usize,
        row: &Map<String, Value>,
    ) -> Result<()> {
        let bad = |reason: String| Error::parse(None, reason);
        if row.is_empty() {
            return Err(bad(format!("Row {at} of “{table}” has no values.")));
        }
        let mut names = Vec::new();
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        for (c, v) in row {
            if !cols.contains(c) {
                return Err(bad(format!("“{table}” has no column “{c}”.")));
            }
            names.push(quoted(c));
            values.push(match v {
                Value::Null => rusqlite::types::Value::Null,
                Value::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => rusqlite::types::Value::Integer(i),
                    None => rusqlite::types::Value::Real(n.as_f64().unwrap_or(0.0)),
                },
                Value::String(s) => rusqlite::types::Value::Text(s.clone()),
                _ => {
                    return Err(bad(format!(
                        "“{table}.{c}” holds a list or object, not a value."
                    )))
                }
            });
        }
        let marks = vec!["?"; names.len()].join(", ");
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO {} ({}) VALUES ({marks})",
                quoted(table),
                names.join(", ")
            ))?
            .execute(rusqlite::params_from_iter(values))
            .map_err(|e| {
                let why = match &e {
                    rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
                    other => other.to_string(),
                };
                bad(format!("Row {at} of “{table}” cannot be restored: {why}."))
            })?;
        self.restored += 1;
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for &mut Reader<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Reader<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kith backup (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let bad = |reason: String| Error::parse(None, reason);
        let (mut format, mut version, mut schema, mut tables) = (false, false, false, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => {
                    if map.next_value::<Value>()? != BACKUP_FORMAT {
                        return Err(self.fail(bad("This JSON file is not a Kith backup.".into())));
                    }
                    format = true;
                }
                "version" => {
                    let v = map.next_value::<Value>()?;
                    if v.as_u64() != Some(BACKUP_VERSION) {
                        return Err(self.fail(bad(format!(
                            "This backup has version {v}; this Kith reads version {BACKUP_VERSION}."
                        ))));
                    }
                    version = true;
                }
                "schemaVersion" => {
                    let v = map.next_value::<Value>()?;
                    if v.as_u64() != Some(self.schema as u64) {
                        return Err(self.fail(bad(format!(
                            "This backup was made by a Kith with database schema {v}; this one \
                             has schema {}. Restore it with that version of Kith, then update.",
                            self.schema
                        ))));
                    }
                    schema = true;
                }
                "tables" => {
                    if !(format && version && schema) {
                        return Err(self.fail(bad(
                            "This JSON file is not a Kith backup (its format, version and \
                             schema must come before its tables)."
                                .into(),
                        )));
                    }
                    map.next_value_seed(Tables(&mut *self))?;
                    tables = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !format {
            return Err(self.fail(bad("This JSON file is not a Kith backup.".into())));
        }
        if !tables {
            return Err(self.fail(bad("The backup has no tables.".into())));
        }
        Ok(())
    }
}

/// The `tables` object: each table's rows, stored as they come.
struct Tables<'r, 'a, 't>(&'r mut Reader<'a, 't>);

impl<'de> DeserializeSeed<'de> for Tables<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Tables<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the backup's tables (an object of lists of rows)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let reader = self.0;
        while let Some(table) = map.next_key::<String>()? {
            if !reader.ours.contains(&table) {
                return Err(reader.fail(Error::parse(
                    None,
                    format!("The backup has a table “{table}” Kith does not know."),
                )));
            }
            let cols = match columns(reader.tx, &table) {
                Ok((cols, _)) => cols,
                Err(e) => return Err(reader.fail(e)),
            };
            map.next_value_seed(Rows {
                reader: &mut *reader,
                table: &table,
                cols: &cols,
            })?;
        }
        Ok(())
    }
}

/// One table's list of rows.
struct Rows<'r, 'a, 't, 'n> {
    reader: &'r mut Reader<'a, 't>,
    table: &'n str,
    cols: &'n [String],
}

impl<'de> DeserializeSeed<'de> for Rows<'_, '_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "“{}” as a list of rows", self.table)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut at = 0;
        while let Some(row) = seq.next_element::<Value>()? {
            at += 1;
            let Value::Object(row) = row else {
                return Err(self.reader.fail(Error::parse(
                    None,
                    format!("Row {at} of “{}” is not an object.", self.table),
                )));
            };
            if let Err(e) = self.reader.insert(self.table, self.cols, at, &row) {
                return Err(self.reader.fail(e));
            }
        }
        Ok(())
    }
}
