//! The sync account and where it stands: the server, the user and the collections kept in
//! settings, how the last round ended, the conflict log, and connecting or disconnecting
//! (which forgets everything kept about the server, and never a contact).

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension};

use super::{CONTACTS, TASKS};
use crate::store::contacts::{load_contact, write_fields};
use crate::store::{codec, from_db_time, settings, to_db_time, Store};
use crate::sync::merge::SyncConflict;
use crate::sync::{KeptConflict, LeftAlone, PasswordPlace, SyncAccount, SyncItem, SyncStatus};
use crate::{Error, Result};

const URL: &str = "sync.url";
const USER: &str = "sync.user";
pub(super) const LAST_AT: &str = "sync.last_at";
pub(super) const LAST_ERROR: &str = "sync.last_error";
const PASSWORD_PLACE: &str = "sync.password_place";
const VCARD3_ONLY: &str = "sync.vcard3_only";
const PLAIN_HTTP: &str = "sync.plain_http";

impl Store {
    /// The account sync uses, if one is set.
    pub fn sync_account(&self) -> Result<Option<SyncAccount>> {
        let (Some(url), Some(user)) = (
            settings::get(&self.conn, URL)?,
            settings::get(&self.conn, USER)?,
        ) else {
            return Ok(None);
        };
        let collection = |kind: &str| {
            self.conn
                .query_row(
                    "SELECT href FROM sync_collections WHERE kind = :kind",
                    named_params! { ":kind": kind },
                    |r| r.get(0),
                )
                .optional()
        };
        Ok(Some(SyncAccount {
            url,
            user,
            address_book: collection(CONTACTS)?,
            task_list: collection(TASKS)?,
            vcard3_only: settings::get(&self.conn, VCARD3_ONLY)?.is_some(),
            plain_http: settings::get(&self.conn, PLAIN_HTTP)?.is_some(),
        }))
    }

    /// Where sync stands: the account, how the last round ended, open conflicts.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let last_at = settings::get(&self.conn, LAST_AT)?
            .and_then(|t| t.parse::<i64>().ok())
            .map(from_db_time)
            .transpose()?;
        let conflicts: u32 = self.conn.query_row(
            "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        let password_place = settings::get(&self.conn, PASSWORD_PLACE)?
            .map(|name| {
                codec::from_name(&name).ok_or_else(|| {
                    Error::Corrupt(format!("“{name}” is not a place Kith keeps passwords"))
                })
            })
            .transpose()?;
        Ok(SyncStatus {
            account: self.sync_account()?,
            last_at,
            last_error: settings::get(&self.conn, LAST_ERROR)?,
            conflicts,
            password_place,
            left_alone: self.left_alone()?,
        })
    }

    /// The cards and tasks rounds leave alone, newest first.
    pub fn left_alone(&self) -> Result<Vec<LeftAlone>> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, href, reason, at FROM sync_left_alone ORDER BY at DESC, href")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (kind, href, reason, at) = row?;
            Ok(LeftAlone {
                item: if kind == TASKS {
                    SyncItem::Task
                } else {
                    SyncItem::Card
                },
                href,
                reason,
                at: from_db_time(at)?,
            })
        })
        .collect()
    }

    /// Records that rounds leave the items at these hrefs alone, each with why (until it
    /// changes on the server or goes).
    pub fn leave_alone(
        &mut self,
        item: SyncItem,
        items: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            for (href, reason) in items {
                super::left_alone(tx, item, href, reason, now)?;
            }
            Ok(())
        })
    }

    /// The conflict log's open entries, newest first.
    pub fn sync_conflicts(&self) -> Result<Vec<KeptConflict>> {
        conflicts_after(&self.conn, 0)
    }

    /// Settles conflict `id`: with `restore`, the contact takes back the value Kith had (and
    /// the next round sends it); either way the entry leaves the log.
    pub fn settle_sync_conflict(
        &mut self,
        id: i64,
        restore: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let found: Option<(i64, crate::model::ContactField, String)> = tx
                .query_row(
                    "SELECT contact_id, field, kept FROM sync_conflicts
                     WHERE id = :id AND resolved_at IS NULL",
                    named_params! { ":id": id },
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (contact, field, kept) = found.ok_or(Error::NotFound {
                what: "conflict",
                id,
            })?;
            if restore {
                let mut input = load_contact(tx, contact)?.to_input();
                crate::sync::merge::restore(&mut input, field, &kept)?;
                write_fields(tx, contact, &input.validated()?, now)?;
            }
            tx.execute(
                "UPDATE sync_conflicts SET resolved_at = :now WHERE id = :id",
                named_params! { ":id": id, ":now": to_db_time(now) },
            )?;
            Ok(())
        })
    }

    /// Records where the account's password was kept.
    pub fn record_password_place(&mut self, place: PasswordPlace) -> Result<()> {
        let name = codec::name_of(&place)?;
        self.write(|tx| settings::put(tx, PASSWORD_PLACE, &name))
    }

    /// When Kith's network last changed in a way a round would send, if after `since`: the
    /// latest change to a contact or a follow-up, a new reminder or one answered, or `since`
    /// itself when something deleted waits to be deleted on the server.
    pub fn changed_since(&self, since: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let latest: Option<i64> = self.conn.query_row(
            "SELECT max(t) FROM (
                 SELECT max(updated_at) AS t FROM contacts WHERE updated_at > :since
                 UNION ALL SELECT max(updated_at) FROM follow_ups WHERE updated_at > :since
                 UNION ALL SELECT max(created_at) FROM reminders WHERE created_at > :since
                 UNION ALL SELECT max(acted_at) FROM occurrences
                     WHERE acted_at > :since AND source LIKE :reminders)",
            named_params! {
                ":since": to_db_time(since),
                ":reminders": crate::schedule::Source::REMINDERS_LIKE,
            },
            |r| r.get(0),
        )?;
        if let Some(t) = latest {
            return Ok(Some(from_db_time(t)?));
        }
        let waiting: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM sync_tombstones)", [], |r| {
                    r.get(0)
                })?;
        Ok(waiting.then_some(since))
    }

    /// Connects to `account`, or disconnects (`None`): every contact stays, and what was
    /// kept about the server goes, so a later connection starts afresh.
    pub fn set_sync_account(&mut self, account: Option<&SyncAccount>) -> Result<()> {
        self.write(|tx| {
            tx.execute_batch(
                "DELETE FROM sync_cards; DELETE FROM sync_names; DELETE FROM sync_left_alone;
                 DELETE FROM sync_task_names;
                 DELETE FROM sync_tasks; DELETE FROM sync_reminder_tasks;
                 DELETE FROM sync_tombstones; DELETE FROM sync_collections;
                 DELETE FROM settings WHERE key LIKE 'sync.%';",
            )?;
            if let Some(a) = account {
                settings::put(tx, URL, &a.url)?;
                settings::put(tx, USER, &a.user)?;
                for (key, on) in [(VCARD3_ONLY, a.vcard3_only), (PLAIN_HTTP, a.plain_http)] {
                    if on {
                        settings::put(tx, key, "1")?;
                    }
                }
                for (kind, href) in [(CONTACTS, &a.address_book), (TASKS, &a.task_list)] {
                    if let Some(href) = href {
                        tx.execute(
                            "INSERT INTO sync_collections (kind, href) VALUES (:kind, :href)",
                            named_params! { ":kind": kind, ":href": href },
                        )?;
                    }
                }
            }
            Ok(())
        })
    }
}

/// The conflict log's open entries after entry `after`, newest first.
pub(super) fn conflicts_after(conn: &Connection, after: i64) -> Result<Vec<KeptConflict>> {
    let mut stmt = conn.prepare(
        "SELECT k.id, k.contact_id, c.display_name, k.field, k.kept, k.took, k.at
         FROM sync_conflicts k JOIN contacts c ON c.id = k.contact_id
         WHERE k.resolved_at IS NULL AND k.id > :after ORDER BY k.at DESC, k.id DESC",
    )?;
    let rows = stmt.query_map(named_params! { ":after": after }, |r| {
        Ok(KeptConflict {
            id: r.get(0)?,
            contact_id: r.get(1)?,
            name: r.get(2)?,
            conflict: SyncConflict {
                field: r.get(3)?,
                kept: r.get(4)?,
                took: r.get(5)?,
            },
            at: from_db_time(r.get(6)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
