//! Reminders as tasks: each reminder has one task in the task list standing for its next
//! time — the first occurrence not yet settled (an occurrence is settled once answered,
//! missed or done on the server; one that fired and waits for an answer is still the next).
//! Done on the server settles that occurrence as Done on its nudge would, and the next round
//! moves the task on to the time after, reopened: tasks carry no repeat rule, since task
//! apps complete repeating tasks each in their own way. Kith owns a reminder's title and
//! times: a change made to its task elsewhere is written back over.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Transaction};

use super::{card_uid, view_json, view_of};
use crate::reminder::Reminder;
use crate::schedule::{Due, Source};
use crate::store::occurrences::settle_done;
use crate::store::{from_db_time, to_db_time, Store};
use crate::sync::push::ReminderTask;
use crate::sync::task::TaskView;
use crate::sync::{Pulled, TaskPush, TaskReport};
use crate::Result;

fn source(id: i64) -> Source {
    Source::Reminder { id }
}

/// The time reminder `r`'s task stands for: its first occurrence after the last settled
/// one; `None` once none is left (a one-off done).
fn next_time(conn: &Connection, r: &Reminder) -> Result<Option<DateTime<Utc>>> {
    let settled: Option<i64> = conn.query_row(
        "SELECT max(due_at) FROM occurrences WHERE source = :source AND state <> 'fired'",
        named_params! { ":source": source(r.id) },
        |row| row.get(0),
    )?;
    let from = match settled {
        Some(t) => from_db_time(t)? + Duration::seconds(1),
        None => DateTime::<Utc>::MIN_UTC,
    };
    Ok(r.fields.series(r.zone()).next(from))
}

/// Every reminder as its task's plan needs it: the time its task stands for, whom it is
/// about, and its task on the server.
pub(super) fn load(store: &Store) -> Result<Vec<ReminderTask>> {
    let mut out = Vec::new();
    for r in store.list_reminders()? {
        let known: Option<(String, Option<String>, String, String, i64)> = store
            .conn
            .query_row(
                "SELECT href, etag, todo, synced, due_at FROM sync_reminder_tasks
                 WHERE reminder_id = :id",
                named_params! { ":id": r.id },
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )
            .optional()?;
        let known = match known {
            Some((href, etag, todo, synced, due_at)) => Some((
                super::known(href, etag, todo, &synced)?,
                from_db_time(due_at)?,
            )),
            None => None,
        };
        let about = match r.fields.contact_id {
            Some(c) => {
                card_uid(&store.conn, c)?.map(|uid| (uid, name(&store.conn, c).unwrap_or_default()))
            }
            None => None,
        };
        out.push(ReminderTask {
            id: r.id,
            title: r.fields.title.clone(),
            zone: r.zone(),
            time: next_time(&store.conn, &r)?,
            about,
            known,
        });
    }
    Ok(out)
}

fn name(conn: &Connection, contact: i64) -> Option<String> {
    conn.query_row(
        "SELECT display_name FROM contacts WHERE id = :id",
        named_params! { ":id": contact },
        |r| r.get(0),
    )
    .ok()
}

/// Records that reminder `id`'s task, standing for `due_at`, is on the server.
pub(super) fn record_pushed(
    tx: &Transaction<'_>,
    id: i64,
    due_at: DateTime<Utc>,
    push: &TaskPush,
    etag: Option<&str>,
    synced: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_reminder_tasks (reminder_id, href, etag, todo, synced, due_at)
         SELECT :id, :href, :etag, :todo, :synced, :due WHERE EXISTS
                (SELECT 1 FROM reminders WHERE id = :id)
         ON CONFLICT (reminder_id) DO UPDATE SET href = excluded.href, etag = excluded.etag,
             todo = excluded.todo, synced = excluded.synced, due_at = excluded.due_at",
        named_params! {
            ":id": id, ":href": push.href, ":etag": etag, ":todo": push.text,
            ":synced": synced, ":due": to_db_time(due_at),
        },
    )?;
    Ok(())
}

/// What both last agreed on for the reminder's task at `href`, if it is one Kith knows.
pub(super) fn known_task(conn: &Connection, href: &str) -> Result<Option<TaskView>> {
    let synced: Option<String> = conn
        .query_row(
            "SELECT synced FROM sync_reminder_tasks WHERE href = :href",
            named_params! { ":href": href },
            |r| r.get(0),
        )
        .optional()?;
    synced.map(|s| view_of(&s)).transpose()
}

/// Applies a pulled reminder's task: `settle`, done on the server then, settles the time it
/// stands for (as Done on its nudge would); the server's copy, `agreed`, is kept.
pub(super) fn apply_task(
    tx: &Transaction<'_>,
    p: &Pulled,
    settle: Option<DateTime<Utc>>,
    agreed: &TaskView,
    report: &mut TaskReport,
) -> Result<()> {
    let (id, due_at): (i64, i64) = tx.query_row(
        "SELECT reminder_id, due_at FROM sync_reminder_tasks WHERE href = :href",
        named_params! { ":href": p.href },
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some(done_at) = settle {
        let r = crate::store::reminders::load(tx, id)?;
        let due = Due {
            source: source(id),
            kind: r.kind(),
            contact_id: r.fields.contact_id,
            title: r.fields.title.clone(),
            due_at: from_db_time(due_at)?,
        };
        settle_done(tx, &due, r.zone(), done_at)?;
        report.updated += 1;
    }
    tx.execute(
        "UPDATE sync_reminder_tasks SET etag = :etag, todo = :todo, synced = :synced
         WHERE reminder_id = :id",
        named_params! {
            ":id": id, ":etag": p.etag, ":todo": p.text, ":synced": view_json(agreed)?,
        },
    )?;
    Ok(())
}

/// A reminder's task deleted on the server: the next push makes it again (the reminder is
/// Kith's; delete it there).
pub(super) fn forget_task(tx: &Transaction<'_>, href: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM sync_reminder_tasks WHERE href = :href",
        named_params! { ":href": href },
    )?;
    Ok(())
}
