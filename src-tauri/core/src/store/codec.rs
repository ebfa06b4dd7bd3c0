//! How Kith's enums are stored: each by the name it has over IPC (`"inner"`, `"videoCall"`,
//! `"beforeImport"`), through one `ToSql`/`FromSql` path. A stored name this Kith does not
//! know is an error naming the column's type, never a silent default. A [`Repeat`], the one
//! stored value with fields, is kept as its IPC JSON (`{"kind":"everyWeeks","weeks":6}`) the
//! same way.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::de::value::StrDeserializer;
use serde::{Deserialize, Serialize};

use crate::goals::{GoalKind, GoalStatus, Metric, Period};
use crate::history::{Direction, InteractionKind};
use crate::import::Format;
use crate::model::{Channel, Circle, ContactField};
use crate::reminder::{DeliveryChannel, OccurrenceState};
use crate::repeat::Repeat;
use crate::schedule::{ReminderKind, Source};

/// The name `value` has over IPC (its serde name).
pub(crate) fn name_of<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Ok(name),
        _ => Err(rusqlite::Error::ToSqlConversionFailure(
            "only unit enum values are stored by name".into(),
        )),
    }
}

/// The value called `name`, if this Kith knows it (read without copying: Today reads one
/// per contact it weighs).
pub(crate) fn from_name<'a, T: Deserialize<'a>>(name: &'a str) -> Option<T> {
    T::deserialize(StrDeserializer::<serde::de::value::Error>::new(name)).ok()
}

macro_rules! stored_by_name {
    ($($t:ty),* $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(name_of(self)?))
            }
        }

        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let name = value.as_str()?;
                from_name(name).ok_or_else(|| {
                    FromSqlError::Other(
                        format!("“{name}” is not a known {}", stringify!($t)).into(),
                    )
                })
            }
        }
    )*};
}

stored_by_name!(
    Circle,
    Channel,
    InteractionKind,
    Direction,
    GoalKind,
    Metric,
    Period,
    GoalStatus,
    ReminderKind,
    OccurrenceState,
    DeliveryChannel,
    Format,
    ContactField,
);

impl ToSql for Repeat {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        serde_json::to_string(self)
            .map(ToSqlOutput::from)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
    }
}

impl FromSql for Repeat {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        serde_json::from_str(text)
            .map_err(|_| FromSqlError::Other(format!("“{text}” is not a known Repeat").into()))
    }
}

/// An occurrence's [`Source`] is stored as the key text it has always had (`reminder:12`).
impl ToSql for Source {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Source {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn an_enum_is_stored_by_its_ipc_name_and_an_unknown_name_is_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (v TEXT)").unwrap();
        conn.execute("INSERT INTO t VALUES (?1)", [InteractionKind::VideoCall])
            .unwrap();
        let stored: String = conn.query_row("SELECT v FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(stored, "videoCall");
        let back: InteractionKind = conn.query_row("SELECT v FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(back, InteractionKind::VideoCall);
        for circle in [
            Circle::Inner,
            Circle::Close,
            Circle::Network,
            Circle::Acquaintance,
        ] {
            assert_eq!(name_of(&circle).unwrap(), circle.as_str());
        }
        conn.execute("UPDATE t SET v = 'telepathy'", []).unwrap();
        let err = conn
            .query_row("SELECT v FROM t", [], |r| r.get::<_, InteractionKind>(0))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("“telepathy” is not a known InteractionKind"),
            "{err}"
        );
    }

    #[test]
    fn a_source_is_stored_as_its_old_key_text_and_a_garbled_one_is_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (v TEXT)").unwrap();
        let source = Source::CallCheck { occurrence_id: 9 };
        conn.execute("INSERT INTO t VALUES (?1)", [source]).unwrap();
        let stored: String = conn.query_row("SELECT v FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(stored, "callCheck:9");
        let back: Source = conn.query_row("SELECT v FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(back, source);
        conn.execute("UPDATE t SET v = 'callCheck:x'", []).unwrap();
        let err = conn
            .query_row("SELECT v FROM t", [], |r| r.get::<_, Source>(0))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("“callCheck:x” is not a known Source"),
            "{err}"
        );
    }

    #[test]
    fn a_contact_with_a_circle_this_kith_does_not_know_is_an_error_not_a_default() {
        let (_dir, mut store) = crate::store::tests::temp_store();
        let id = store
            .add_contact(
                crate::model::ContactInput {
                    display_name: "Priya".into(),
                    ..Default::default()
                },
                "2026-11-23T10:00:00Z".parse().unwrap(),
            )
            .unwrap()
            .id;
        // As a hand-edited database, or one where a check was dropped, might hold it.
        store
            .conn
            .pragma_update(None, "ignore_check_constraints", true)
            .unwrap();
        store
            .conn
            .execute("UPDATE contacts SET circle = 'galaxy' WHERE id = ?1", [id])
            .unwrap();
        let err = store.get_contact(id).unwrap_err();
        assert!(
            err.to_string().contains("“galaxy” is not a known Circle"),
            "{err}"
        );
    }
}
