//! The full JSON backup: every row of every table of the database, and its restore into an
//! empty data folder. The file is the database written out, not a view of it, so nothing is
//! left behind and a restore gives back the same rows, ids included. Its shape (also in the
//! README, for scripts):
//!
//! ```json
//! { "format": "kith-backup", "version": 1, "schemaVersion": 8,
//!   "exportedAt": "2026-11-23T10:00:00Z",
//!   "tables": { "contacts": [ { "id": 1, "display_name": "Priya Raman", … } ], … } }
//! ```
//!
//! Each table is a list of rows in primary-key order; each row maps column names to values
//! (numbers, text or null). Instants are unix seconds (UTC), dates `YYYY-MM-DD`. The search
//! index is not written: it is rebuilt on restore.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde_json::{Map, Value};

use super::contacts::reindex_many;
use super::Store;
use crate::{Error, Result};

pub const BACKUP_FORMAT: &str = "kith-backup";
pub const BACKUP_VERSION: u64 = 1;

/// The tables a backup holds: all but SQLite's own and the search index (rebuilt).
fn tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'contact_search%'
         ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A table's columns, and its primary key's columns in key order (its rows' order).
fn columns(conn: &Connection, table: &str) -> Result<(Vec<String>, Vec<String>)> {
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

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Store {
    /// Every row of every table as the backup JSON (pretty-printed, keys in a stable order).
    pub fn backup_json(&self, now: DateTime<Utc>) -> Result<String> {
        let mut out = Map::new();
        for table in tables(&self.conn)? {
            let (cols, key) = columns(&self.conn, &table)?;
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
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {select} FROM {} ORDER BY {order}",
                quoted(&table)
            ))?;
            let mut rows = stmt.query([])?;
            let mut list = Vec::new();
            while let Some(row) = rows.next()? {
                let mut obj = Map::new();
                for (i, c) in cols.iter().enumerate() {
                    let value = match row.get_ref(i)? {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(n) => Value::from(n),
                        ValueRef::Real(f) => Value::from(f),
                        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(_) => {
                            return Err(Error::Conflict(format!(
                                "{table}.{c} holds binary data, which a backup cannot write"
                            )))
                        }
                    };
                    obj.insert(c.clone(), value);
                }
                list.push(Value::Object(obj));
            }
            out.insert(table, Value::Array(list));
        }
        let backup = serde_json::json!({
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "schemaVersion": self.schema_version()?,
            "exportedAt": now.to_rfc3339_opts(SecondsFormat::Secs, true),
            "tables": out,
        });
        serde_json::to_string_pretty(&backup)
            .map_err(|e| Error::Conflict(format!("cannot write the backup: {e}")))
    }

    /// Restores a backup into this database, which must hold no contacts, history, goals,
    /// events, reminders or imports yet (a new data folder): every row comes back as it was,
    /// and the search index is rebuilt. Returns how many rows were restored. On any error
    /// nothing changes.
    pub fn restore_backup(&mut self, json: &str) -> Result<usize> {
        let bad = |reason: String| Error::parse(None, reason);
        let backup: Value = serde_json::from_str(json)
            .map_err(|e| Error::parse(Some(e.line() as u64), format!("not a Kith backup: {e}")))?;
        if backup["format"] != BACKUP_FORMAT {
            return Err(bad("This JSON file is not a Kith backup.".into()));
        }
        if backup["version"].as_u64() != Some(BACKUP_VERSION) {
            return Err(bad(format!(
                "This backup has version {}; this Kith reads version {BACKUP_VERSION}.",
                backup["version"]
            )));
        }
        let schema = backup["schemaVersion"].as_u64().unwrap_or(0);
        if schema != self.schema_version()? as u64 {
            return Err(bad(format!(
                "This backup was made by a Kith with database schema {schema}; this one has \
                 schema {}. Restore it with that version of Kith, then update.",
                self.schema_version()?
            )));
        }
        let Some(tables_in) = backup["tables"].as_object() else {
            return Err(bad("The backup has no tables.".into()));
        };
        let ours = tables(&self.conn)?;
        for name in tables_in.keys() {
            if !ours.contains(name) {
                return Err(bad(format!(
                    "The backup has a table “{name}” Kith does not know."
                )));
            }
        }
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
        self.write(|tx| {
            // Rows arrive table by table: foreign keys are checked once, at commit.
            tx.pragma_update(None, "defer_foreign_keys", "ON")?;
            let mut restored = 0;
            for table in &ours {
                tx.execute(&format!("DELETE FROM {}", quoted(table)), [])?;
            }
            for (table, rows) in tables_in {
                let (cols, _) = columns(tx, table)?;
                let Some(rows) = rows.as_array() else {
                    return Err(bad(format!("“{table}” is not a list of rows.")));
                };
                for row in rows {
                    let Some(row) = row.as_object() else {
                        return Err(bad(format!("A row of “{table}” is not an object.")));
                    };
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
                    tx.prepare_cached(&format!(
                        "INSERT INTO {} ({}) VALUES ({marks})",
                        quoted(table),
                        names.join(", ")
                    ))?
                    .execute(rusqlite::params_from_iter(values))?;
                    restored += 1;
                }
            }
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM contacts")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute("DELETE FROM contact_search", [])?;
            reindex_many(tx, &ids)?;
            Ok(restored)
        })
    }
}
