//! User settings stored as key/value rows. Today: the default cadence of each circle.

use std::collections::HashMap;

use rusqlite::{named_params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Store;
use crate::model::{Circle, MAX_CADENCE_DAYS};
use crate::{Error, Result};

/// The default keep-in-touch cadence of each circle, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CircleCadences {
    pub inner: u32,
    pub close: u32,
    pub network: u32,
    pub acquaintance: u32,
}

impl CircleCadences {
    pub fn get(&self, circle: Circle) -> u32 {
        match circle {
            Circle::Inner => self.inner,
            Circle::Close => self.close,
            Circle::Network => self.network,
            Circle::Acquaintance => self.acquaintance,
        }
    }
}

fn key(circle: Circle) -> String {
    format!("cadence.{}", circle.as_str())
}

/// The cadence of `circle`: the user's setting, else the built-in default.
pub(crate) fn circle_cadence(conn: &Connection, circle: Circle) -> Result<u32> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = :key")?
        .query_row(named_params! { ":key": key(circle) }, |r| r.get(0))
        .optional()?;
    Ok(stored
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| circle.default_cadence_days()))
}

pub(crate) fn all_circle_cadences(conn: &Connection) -> Result<CircleCadences> {
    Ok(CircleCadences {
        inner: circle_cadence(conn, Circle::Inner)?,
        close: circle_cadence(conn, Circle::Close)?,
        network: circle_cadence(conn, Circle::Network)?,
        acquaintance: circle_cadence(conn, Circle::Acquaintance)?,
    })
}

impl Store {
    pub fn circle_cadences(&self) -> Result<CircleCadences> {
        all_circle_cadences(&self.conn)
    }

    /// Changes the default cadence of every circle at once, and moves the due date of each
    /// contact that follows its circle's default — all in one transaction.
    pub fn set_circle_cadences(&mut self, cadences: CircleCadences) -> Result<CircleCadences> {
        for circle in Circle::ALL {
            let days = cadences.get(circle);
            if !(1..=MAX_CADENCE_DAYS).contains(&days) {
                return Err(Error::Invalid {
                    field: "cadence",
                    reason: format!(
                        "Keep in touch with your {} circle every 1 to {MAX_CADENCE_DAYS} days.",
                        circle.as_str()
                    ),
                });
            }
        }
        self.write(|tx| {
            let mut changed: HashMap<Circle, u32> = HashMap::new();
            for circle in Circle::ALL {
                let days = cadences.get(circle);
                if circle_cadence(tx, circle)? != days {
                    changed.insert(circle, days);
                }
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (:key, :value)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    named_params! { ":key": key(circle), ":value": days.to_string() },
                )?;
            }
            for circle in changed.keys() {
                let ids: Vec<i64> = tx
                    .prepare(
                        "SELECT id FROM contacts WHERE circle = :circle AND cadence_days IS NULL",
                    )?
                    .query_map(named_params! { ":circle": circle.as_str() }, |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for id in ids {
                    super::contacts::refresh_touch(tx, id)?;
                }
            }
            Ok(())
        })?;
        self.circle_cadences()
    }
}
