//! Reminders as tasks: each reminder has one task in the task list standing for its next
//! time — the first occurrence not yet settled (an occurrence is settled once answered,
//! missed or done on the server; one that fired and waits for an answer is still the next).
//! Done on the server settles that occurrence as Done on its nudge would, and the next round
//! moves the task on to the time after, reopened: tasks carry no repeat rule, since task
//! apps complete repeating tasks each in their own way. Kith owns a reminder's title and
//! times: a change made to its task elsewhere is written back over.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Transaction};

use super::{card_uid, view_json, view_of, with_slash, Known};
use crate::reminder::Reminder;
use crate::repeat::Repeat;
use crate::schedule::{Due, ReminderKind, Source};
use crate::store::occurrences::settle_done;
use crate::store::{from_db_time, to_db_time, Store};
use crate::sync::task::{self, About, TaskView};
use crate::sync::{Pulled, TaskItem, TaskPlan, TaskPush, TaskReport};
use crate::Result;

fn source(id: i64) -> Source {
    Source::Reminder { id }
}

fn kind(r: &Reminder) -> ReminderKind {
    match r.fields.repeat {
        Repeat::Never => ReminderKind::OneOff,
        _ => ReminderKind::Recurring,
    }
}

fn zone(r: &Reminder) -> chrono_tz::Tz {
    r.zone()
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
    Ok(r.fields.series(zone(r)).next(from))
}

/// Reminder `r`'s task as Kith sees it, standing for `time` (or done, at `last`, when no
/// time is left).
fn view(r: &Reminder, time: Option<DateTime<Utc>>, last: DateTime<Utc>) -> TaskView {
    TaskView {
        title: r.fields.title.clone(),
        due: Some(time.unwrap_or(last).with_timezone(&zone(r)).date_naive()),
        done: time.is_none(),
    }
}

/// Adds to `plan` a task for each reminder with a time ahead and none yet, and each task
/// whose reminder moved on (done, a new time) or changed.
pub(super) fn plan(
    store: &Store,
    list: &str,
    plan: &mut TaskPlan,
    now: DateTime<Utc>,
    new_uid: &mut impl FnMut() -> String,
) -> Result<()> {
    for r in store.list_reminders()? {
        let time = next_time(&store.conn, &r)?;
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
        match known {
            None => {
                let Some(at) = time else { continue };
                let view = view(&r, time, at);
                let contact = match r.fields.contact_id {
                    Some(c) => card_uid(&store.conn, c)?.map(|uid| (uid, name(&store.conn, c))),
                    None => None,
                };
                let about = contact.as_ref().map(|(uid, name)| About {
                    contact_uid: uid,
                    name: name.as_deref().unwrap_or_default(),
                });
                let uid = new_uid();
                plan.creates.push(TaskPush {
                    item: TaskItem::Reminder {
                        id: r.id,
                        due_at: at,
                    },
                    href: format!("{}{uid}.ics", with_slash(list)),
                    etag: None,
                    text: task::new_reminder_task(&uid, about, &view, now),
                    view,
                    read_at: now,
                });
            }
            Some((href, etag, todo, synced, due_at)) => {
                let stood_for = from_db_time(due_at)?;
                let known = Known {
                    href,
                    etag,
                    todo,
                    synced,
                };
                let item = TaskItem::Reminder {
                    id: r.id,
                    due_at: time.unwrap_or(stood_for),
                };
                plan.updates
                    .extend(known.update(item, view(&r, time, stood_for), now)?);
            }
        }
    }
    Ok(())
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

/// Applies `p` if it is a reminder's task Kith knows: done there settles the time it stands
/// for. Returns whether it was one.
pub(super) fn apply_task(
    tx: &Transaction<'_>,
    p: &Pulled,
    report: &mut TaskReport,
    now: DateTime<Utc>,
) -> Result<bool> {
    let known: Option<(i64, String, i64)> = tx
        .query_row(
            "SELECT reminder_id, synced, due_at FROM sync_reminder_tasks WHERE href = :href",
            named_params! { ":href": p.href },
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, synced, due_at)) = known else {
        return Ok(false);
    };
    // A task Kith cannot read any more is written over at the next push.
    let Ok(Some(server)) = task::read(&p.text) else {
        return Ok(true);
    };
    let was: TaskView = view_of(&synced)?;
    if server.view.done && !was.done {
        let r = crate::store::reminders::load(tx, id)?;
        let due = Due {
            source: source(id),
            kind: kind(&r),
            contact_id: r.fields.contact_id,
            title: r.fields.title.clone(),
            due_at: from_db_time(due_at)?,
        };
        settle_done(tx, &due, zone(&r), server.done_at(now))?;
        report.updated += 1;
    }
    tx.execute(
        "UPDATE sync_reminder_tasks SET etag = :etag, todo = :todo, synced = :synced
         WHERE reminder_id = :id",
        named_params! {
            ":id": id, ":etag": p.etag, ":todo": p.text, ":synced": view_json(&server.view)?,
        },
    )?;
    Ok(true)
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
