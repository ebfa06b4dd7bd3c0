//! What sync keeps between rounds, and the two writes of a round: applying what the server
//! sent (new people, their changes, their deletions, with the new sync token, in one
//! transaction) and recording what Kith wrote to the server. What a pulled card does is
//! [`crate::sync::pull`]'s decision and what to send [`crate::sync::push`]'s; the store
//! loads what they need and applies the outcome.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Transaction};

use super::cadence::due_rules;
use super::contacts::{insert_new_contact, load_contact, reindex, write_fields};
use super::{settings, to_db_time, Store};
use crate::import::identity::Index;
use crate::model::ContactInput;
use crate::sync::pull::{decide_card, decide_card_gone, CardGone, CardLocal, CardOutcome};
use crate::sync::pull::{Change, Target};
use crate::sync::push::{self, Known, LinkedCard, NewCard};
use crate::sync::{card, FirstSync, PullReport, Pulled, Push, PushPlan, SyncItem, Tombstone};
use crate::{Error, Result};

/// The collection kinds in `sync_collections`: the address book and the task list.
const CONTACTS: &str = "contacts";
const TASKS: &str = "tasks";

/// Kith's view of a contact (or a task) as `synced` stores it.
fn view_json(view: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(view).map_err(|e| Error::Internal(format!("cannot write a view: {e}")))
}

fn view_of<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json)
        .map_err(|e| Error::Corrupt(format!("an unreadable sync state ({e})")))
}

impl Store {
    /// The address book's sync token from the last round.
    pub fn sync_token(&self) -> Result<Option<String>> {
        token(&self.conn, CONTACTS)
    }

    /// Every card Kith knows on the server, by href, with its version.
    pub fn sync_known(&self) -> Result<HashMap<String, Option<String>>> {
        let mut stmt = self.conn.prepare("SELECT href, etag FROM sync_cards")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies a pull: each card in `pulled` (new, or changed on the server) and each href in
    /// `deleted`, then `token`, all in one transaction. With `full` (a listing of every card,
    /// not changes since a token), a known card missing from `pulled` and `unchanged` was
    /// deleted on the server.
    pub fn apply_pull(
        &mut self,
        pulled: &[Pulled],
        deleted: &[String],
        token: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<PullReport> {
        let nothing = pulled.is_empty() && deleted.is_empty();
        self.apply_round(CONTACTS, nothing, token, |tx| {
            pull_into(tx, pulled, deleted, now)
        })
    }

    /// Runs `apply` and keeps `new_token` as collection `kind`'s, in one transaction; when
    /// `nothing` came and the token is the one kept, writes nothing at all.
    fn apply_round<R: Default>(
        &mut self,
        kind: &str,
        nothing: bool,
        new_token: Option<&str>,
        apply: impl FnOnce(&Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        if nothing && token(&self.conn, kind)?.as_deref() == new_token {
            return Ok(R::default());
        }
        self.write(|tx| {
            let report = apply(tx)?;
            set_token(tx, kind, new_token)?;
            Ok(report)
        })
    }

    /// What a first round with the cards in `pulled` (every card of an address book) would
    /// do, with nothing written: who is new, who is already in Kith and linked, the fields
    /// where the server's value would win, and how many contacts would go to the server.
    pub fn preview_first_sync(
        &mut self,
        pulled: &[Pulled],
        now: DateTime<Utc>,
    ) -> Result<FirstSync> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let unlinked = || -> Result<Vec<(i64, String)>> {
            let mut stmt = tx.prepare(UNLINKED)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        const UNLINKED: &str = "SELECT id, display_name FROM contacts c WHERE archived_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM sync_cards s WHERE s.contact_id = c.id) ORDER BY id";
        let before = unlinked()?;
        let last_id: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM contacts", [], |r| {
            r.get(0)
        })?;
        let last_conflict: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM sync_conflicts", [], |r| {
                r.get(0)
            })?;
        let report = pull_into(&tx, pulled, &[], now)?;
        let after: HashSet<i64> = unlinked()?.into_iter().map(|(id, _)| id).collect();
        let mut new_people: Vec<String> = tx
            .prepare("SELECT display_name FROM contacts WHERE id > :last")?
            .query_map(named_params! { ":last": last_id }, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        new_people.sort();
        let (linked, to_send): (Vec<_>, Vec<_>) =
            before.into_iter().partition(|(id, _)| !after.contains(id));
        let conflicts = conflicts_after(&tx, last_conflict)?;
        // Dropped without a commit: nothing was written.
        drop(tx);
        Ok(FirstSync {
            cards: u32::try_from(pulled.len()).unwrap_or(u32::MAX),
            new_people,
            linked: linked.into_iter().map(|(_, name)| name).collect(),
            conflicts,
            to_send: u32::try_from(to_send.len()).unwrap_or(u32::MAX),
            skipped: report.skipped,
        })
    }

    /// What to send: active contacts with no card yet (each named once, before anything is
    /// written, so a write whose answer is lost is found again rather than made twice),
    /// contacts changed since both agreed (each as the server's copy with the change written
    /// in), and the cards of contacts deleted or archived in Kith. `new_uid` names each
    /// contact's first card; `now` is when the views are read.
    pub fn push_plan(
        &mut self,
        now: DateTime<Utc>,
        mut new_uid: impl FnMut() -> String,
    ) -> Result<PushPlan> {
        let account = self.sync_account()?;
        let v3 = account.as_ref().is_some_and(|a| a.vcard3_only);
        let Some(book) = account.and_then(|a| a.address_book) else {
            return Err(Error::Conflict(
                "No address book is chosen for sync.".into(),
            ));
        };
        self.write(|tx| name_new_cards(tx, &book, &mut new_uid))?;
        let new: Vec<(i64, String, String)> = self
            .conn
            .prepare(
                "SELECT c.id, n.uid, n.href FROM contacts c JOIN sync_names n ON n.contact_id = c.id
                 WHERE c.archived_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM sync_cards s WHERE s.contact_id = c.id)
                 ORDER BY c.id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let new = new
            .into_iter()
            .map(|(id, uid, href)| {
                Ok(NewCard {
                    contact_id: id,
                    uid,
                    href,
                    view: load_contact(&self.conn, id)?.to_input(),
                })
            })
            .collect::<Result<_>>()?;
        let linked: Vec<(i64, String, Option<String>, String, String)> = self
            .conn
            // Only a contact updated since both agreed can differ (same second included).
            .prepare(
                "SELECT s.contact_id, s.href, s.etag, s.card, s.synced FROM sync_cards s
                 JOIN contacts c ON c.id = s.contact_id WHERE c.updated_at >= s.synced_at
                 ORDER BY s.contact_id",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let linked = linked
            .into_iter()
            .map(|(id, href, etag, text, synced)| {
                Ok(LinkedCard {
                    contact_id: id,
                    view: load_contact(&self.conn, id)?.to_input(),
                    known: Known {
                        href,
                        etag,
                        text,
                        agreed: view_of(&synced)?,
                    },
                })
            })
            .collect::<Result<_>>()?;
        // An archived contact's card leaves the server (archiving is a soft delete); the
        // contact keeps its name, and its card comes back under it if it is restored.
        let deletes = self
            .conn
            .prepare(
                "SELECT href, etag FROM sync_tombstones
                 UNION ALL SELECT s.href, s.etag FROM sync_cards s
                     JOIN contacts c ON c.id = s.contact_id WHERE c.archived_at IS NOT NULL
                 ORDER BY href",
            )?
            .query_map([], |r| {
                Ok(Tombstone {
                    href: r.get(0)?,
                    etag: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        push::card_plan(new, linked, deletes, v3, now)
    }

    /// Records that `push` is on the server at version `etag`.
    pub fn record_pushed(&mut self, push: &Push, etag: Option<&str>) -> Result<()> {
        let synced = view_json(&push.view)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_cards (contact_id, href, etag, card, synced, synced_at)
                 SELECT :id, :href, :etag, :card, :synced, :at WHERE EXISTS
                        (SELECT 1 FROM contacts WHERE id = :id)
                 ON CONFLICT (contact_id) DO UPDATE SET href = excluded.href,
                     etag = excluded.etag, card = excluded.card, synced = excluded.synced,
                     synced_at = excluded.synced_at",
                named_params! {
                    ":id": push.contact_id, ":href": push.href, ":etag": etag,
                    ":card": push.text, ":synced": synced, ":at": to_db_time(push.read_at),
                },
            )?;
            Ok(())
        })
    }

    /// Records that the server no longer holds the card at `href` (deleted, or gone already);
    /// an archived contact's name stays, for its card to come back under.
    pub fn record_deleted(&mut self, href: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM sync_tombstones WHERE href = :href",
                named_params! { ":href": href },
            )?;
            tx.execute(
                "DELETE FROM sync_cards WHERE href = :href",
                named_params! { ":href": href },
            )?;
            Ok(())
        })
    }

    /// Sets the address book's sync token (`None`: the next round lists every card).
    pub fn set_sync_token(&mut self, token: Option<&str>) -> Result<()> {
        self.write(|tx| set_token(tx, CONTACTS, token))
    }

    /// Forgets the sync token, so the next round lists every card (after the server refused
    /// the token, or a delete met a newer version on the server).
    pub fn forget_sync_token(&mut self) -> Result<()> {
        self.set_sync_token(None)
    }

    /// Records how the last round ended: `error` in words, or none.
    pub fn record_sync_round(&mut self, at: DateTime<Utc>, error: Option<&str>) -> Result<()> {
        self.write(|tx| {
            settings::put(tx, LAST_AT, &to_db_time(at).to_string())?;
            match error {
                Some(e) => settings::put(tx, LAST_ERROR, e)?,
                None => {
                    tx.execute(
                        "DELETE FROM settings WHERE key = :key",
                        named_params! { ":key": LAST_ERROR },
                    )?;
                }
            }
            Ok(())
        })
    }
}

/// A pull's cards and deletions, applied in `tx`.
fn pull_into(
    tx: &Transaction<'_>,
    pulled: &[Pulled],
    deleted: &[String],
    now: DateTime<Utc>,
) -> Result<PullReport> {
    let mut report = PullReport::default();
    let mut unlinked = if pulled.is_empty() {
        UnlinkedIndex::default()
    } else {
        UnlinkedIndex::load(tx)?
    };
    for p in pulled {
        let read = card::read(&p.text);
        let local = card_local(tx, &p.href, &read, &mut unlinked)?;
        apply_card(tx, p, decide_card(&read, local), &mut report, now)?;
    }
    for href in deleted {
        apply_delete(tx, href, &mut report, now)?;
    }
    Ok(report)
}

/// The sync token of the collection of `kind` from the last round.
fn token(conn: &Connection, kind: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT sync_token FROM sync_collections WHERE kind = :kind",
            named_params! { ":kind": kind },
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

fn set_token(conn: &Connection, kind: &str, token: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE sync_collections SET sync_token = :token WHERE kind = :kind",
        named_params! { ":token": token, ":kind": kind },
    )?;
    Ok(())
}

/// Records that rounds leave the `item` at `href` alone, and why.
pub(super) fn left_alone(
    conn: &Connection,
    item: SyncItem,
    href: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let kind = match item {
        SyncItem::Card => CONTACTS,
        SyncItem::Task => TASKS,
    };
    conn.execute(
        "INSERT OR REPLACE INTO sync_left_alone (href, kind, reason, at)
         VALUES (:href, :kind, :reason, :at)",
        named_params! { ":href": href, ":kind": kind, ":reason": reason, ":at": to_db_time(now) },
    )?;
    Ok(())
}

/// The item at `href` was read and taken, or is gone: no longer left alone.
pub(super) fn taken(conn: &Connection, href: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM sync_left_alone WHERE href = :href",
        named_params! { ":href": href },
    )?;
    Ok(())
}

/// An item Kith cannot read or take: in the round's report (`skipped`), and listed until it
/// changes on the server.
pub(super) fn skip(
    tx: &Transaction<'_>,
    item: SyncItem,
    href: &str,
    why: &str,
    skipped: &mut Vec<String>,
    now: DateTime<Utc>,
) -> Result<()> {
    skipped.push(format!("{href}: {why}"));
    left_alone(tx, item, href, why, now)
}

/// Names each active contact that has neither a card nor a name yet: a UID from `new_uid`
/// and the href it gives in `book`.
fn name_new_cards(
    tx: &Transaction<'_>,
    book: &str,
    new_uid: &mut impl FnMut() -> String,
) -> Result<()> {
    let unnamed: Vec<i64> = tx
        .prepare(
            "SELECT id FROM contacts c WHERE archived_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM sync_cards s WHERE s.contact_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM sync_names n WHERE n.contact_id = c.id)
             ORDER BY id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in unnamed {
        let uid = new_uid();
        name_card(tx, id, &uid, &push::item_href(book, &uid, "vcf"))?;
    }
    Ok(())
}

/// Contact `id`'s card is named `uid`, at `href` (replacing any other name it had, and any
/// other contact's claim on `href`).
fn name_card(tx: &Transaction<'_>, id: i64, uid: &str, href: &str) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_names (contact_id, uid, href) VALUES (:id, :uid, :href)",
        named_params! { ":id": id, ":uid": uid, ":href": href },
    )?;
    Ok(())
}

/// The contact whose own card this is (by the href or the UID Kith named it with) though
/// Kith does not know it on the server (its write's answer was lost, or it was deleted and
/// has come back), and whether that contact is archived.
fn named_card(conn: &Connection, href: &str, uid: Option<&str>) -> Result<Option<(i64, bool)>> {
    Ok(conn
        .query_row(
            "SELECT n.contact_id, c.archived_at IS NOT NULL FROM sync_names n
             JOIN contacts c ON c.id = n.contact_id
             WHERE n.href = :href OR n.uid = :uid ORDER BY n.href = :href DESC LIMIT 1",
            named_params! { ":href": href, ":uid": uid },
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Active contacts without a card, by what identifies them (emails, phones, LinkedIn
/// profiles; never a name alone): a server card that is one of them links to it instead of
/// adding the person twice.
#[derive(Default)]
struct UnlinkedIndex {
    index: Index,
    /// Linked during this pull: a second card cannot be the same contact.
    taken: HashSet<i64>,
}

impl UnlinkedIndex {
    fn load(conn: &Connection) -> Result<UnlinkedIndex> {
        let mut index = Index::default();
        for (sql, add) in [
            (
                "SELECT e.contact_id, e.value FROM contact_emails e",
                Index::add_email as fn(&mut Index, i64, &str),
            ),
            (
                "SELECT p.contact_id, p.value FROM contact_phones p",
                Index::add_phone,
            ),
            (
                "SELECT l.contact_id, l.value FROM contact_links l",
                Index::add_link,
            ),
        ] {
            let sql = format!(
                "{sql} JOIN contacts c ON c.id = contact_id WHERE c.archived_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM sync_cards s WHERE s.contact_id = c.id)"
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                add(&mut index, r.get(0)?, &r.get::<_, String>(1)?);
            }
        }
        Ok(UnlinkedIndex {
            index,
            taken: HashSet::new(),
        })
    }

    /// The unlinked contact `c` is, taken for it.
    fn take(&mut self, c: &ContactInput) -> Option<i64> {
        let (id, _) = self.index.find(c, |_| false)?;
        self.taken.insert(id).then_some(id)
    }
}

/// The contact whose card is at `href`, with the view both last agreed on (its JSON).
fn known_card(conn: &Connection, href: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT contact_id, synced FROM sync_cards WHERE href = :href",
            named_params! { ":href": href },
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// What Kith has for the card at `href` (as `read`): the decision's input.
fn card_local(
    tx: &Transaction<'_>,
    href: &str,
    read: &Result<Option<card::ServerCard>>,
    unlinked: &mut UnlinkedIndex,
) -> Result<CardLocal> {
    let deleting: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sync_tombstones WHERE href = :href)",
        named_params! { ":href": href },
        |r| r.get(0),
    )?;
    if deleting {
        return Ok(CardLocal::Deleting);
    }
    let Ok(Some(server)) = read else {
        return Ok(CardLocal::New);
    };
    let current = |id| Ok::<_, Error>(load_contact(tx, id)?.to_input());
    if let Some((id, synced)) = known_card(tx, href)? {
        return Ok(CardLocal::Known {
            id,
            current: current(id)?,
            agreed: view_of(&synced)?,
        });
    }
    if let Some((id, archived)) = named_card(tx, href, server.uid.as_deref())? {
        return Ok(CardLocal::Named {
            id,
            current: current(id)?,
            archived,
        });
    }
    Ok(match unlinked.take(&server.contact) {
        Some(id) => CardLocal::Unlinked {
            id,
            current: current(id)?,
        },
        None => CardLocal::New,
    })
}

/// Applies what the card `p` does.
fn apply_card(
    tx: &Transaction<'_>,
    p: &Pulled,
    outcome: CardOutcome,
    report: &mut PullReport,
    now: DateTime<Utc>,
) -> Result<()> {
    let take = match outcome {
        CardOutcome::Wait => return Ok(()),
        CardOutcome::NotAPerson => {
            report
                .skipped
                .push(format!("{}: not a person (a group or a place)", p.href));
            return Ok(());
        }
        // A card Kith cannot read or take is listed until it changes.
        CardOutcome::Skip(why) => {
            return skip(tx, SyncItem::Card, &p.href, &why, &mut report.skipped, now)
        }
        CardOutcome::Take(take) => take,
    };
    let id = match &take.target {
        Target::New => {
            let id = insert_new_contact(tx, &take.contact, &due_rules(tx)?, None, now)?;
            reindex(tx, id)?;
            id
        }
        Target::Existing { id, restore } => {
            if *restore {
                tx.execute(
                    "UPDATE contacts SET archived_at = NULL, updated_at = :now WHERE id = :id",
                    named_params! { ":id": id, ":now": to_db_time(now) },
                )?;
                reindex(tx, *id)?;
            }
            *id
        }
    };
    log_conflicts(tx, id, &take.conflicts, now, report)?;
    match take.change {
        Change::Added => report.added += 1,
        Change::Updated => report.updated += 1,
        Change::Merged => report.merged += 1,
        Change::Linked => report.linked += 1,
        Change::Restored => report.restored += 1,
        Change::None => {}
    }
    if take.write {
        write_fields(tx, id, &take.contact, now)?;
    }
    // Both now agree on the server's copy; where Kith's contact differs from it, it is pushed
    // next, whenever it was last updated (an agreement "at the beginning of time").
    let agreed_at = if take.agreed_now { to_db_time(now) } else { 0 };
    name_card(tx, id, take.uid.as_deref().unwrap_or(&p.href), &p.href)?;
    taken(tx, &p.href)?;
    tx.execute(
        "INSERT INTO sync_cards (contact_id, href, etag, card, synced, synced_at)
         VALUES (:id, :href, :etag, :card, :synced, :at)
         ON CONFLICT (contact_id) DO UPDATE SET href = excluded.href, etag = excluded.etag,
             card = excluded.card, synced = excluded.synced, synced_at = excluded.synced_at",
        named_params! {
            ":id": id, ":href": p.href, ":etag": p.etag, ":card": p.text,
            ":synced": view_json(&take.agreed)?, ":at": agreed_at,
        },
    )?;
    Ok(())
}

fn log_conflicts(
    tx: &Transaction<'_>,
    id: i64,
    conflicts: &[crate::sync::merge::SyncConflict],
    now: DateTime<Utc>,
    report: &mut PullReport,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO sync_conflicts (contact_id, field, kept, took, at)
         VALUES (:id, :field, :kept, :took, :at)",
    )?;
    for c in conflicts {
        insert.execute(named_params! {
            ":id": id, ":field": c.field, ":kept": c.kept, ":took": c.took,
            ":at": to_db_time(now),
        })?;
        report.conflicts += 1;
    }
    Ok(())
}

/// The server deleted the card at `href`: its contact is archived (its history stays) —
/// unless Kith changed the contact since, and then the edit wins: the card is written again.
fn apply_delete(
    tx: &Transaction<'_>,
    href: &str,
    report: &mut PullReport,
    now: DateTime<Utc>,
) -> Result<()> {
    taken(tx, href)?;
    let known = match known_card(tx, href)? {
        Some((id, synced)) => Some((id, load_contact(tx, id)?.to_input(), view_of(&synced)?)),
        None => None,
    };
    let gone = decide_card_gone(known.as_ref().map(|(id, c, a)| (*id, c, a)));
    if let CardGone::Unlink(id) | CardGone::Archive(id) = gone {
        tx.execute(
            "DELETE FROM sync_cards WHERE contact_id = :id",
            named_params! { ":id": id },
        )?;
    }
    match gone {
        CardGone::Forget => {
            tx.execute(
                "DELETE FROM sync_tombstones WHERE href = :href",
                named_params! { ":href": href },
            )?;
        }
        CardGone::Unlink(_) => {}
        CardGone::Archive(id) => {
            tx.execute(
                "UPDATE contacts SET archived_at = coalesce(archived_at, :now), updated_at = :now
                 WHERE id = :id",
                named_params! { ":id": id, ":now": to_db_time(now) },
            )?;
            reindex(tx, id)?;
            report.archived += 1;
        }
    }
    Ok(())
}

mod account;
use account::{conflicts_after, LAST_AT, LAST_ERROR};
mod tasks;
pub(crate) use tasks::renew_tasks;

#[cfg(test)]
mod tests;
