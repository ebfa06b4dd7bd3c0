//! Follow-ups as tasks in the chosen task list: what a round's task pull writes (new
//! follow-ups from tasks that name a contact Kith knows, changes, completions, and tasks
//! deleted on the server) with the list's sync token in one transaction, and what its task
//! push sends. What a pulled task does is [`crate::sync::pull::decide_task`]'s decision and
//! what to send [`crate::sync::push::task_plan`]'s; the store loads and applies.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Transaction};

use super::{set_token, skip, taken, token, view_json, view_of, TASKS};
use crate::store::{to_db_time, Store};
use crate::sync::pull::TaskTarget;
use crate::sync::pull::{decide_task, decide_task_gone, TaskGone, TaskLocal, TaskOutcome};
use crate::sync::push::{self, Known, LinkedFollowUp, NewFollowUp};
use crate::sync::task::{self, TaskView};
use crate::sync::{card, Pulled, SyncItem, TaskItem, TaskPlan, TaskPush, TaskReport};
use crate::{Error, Result};

mod reminders;

impl Store {
    /// The task list's sync token from the last round.
    pub fn task_sync_token(&self) -> Result<Option<String>> {
        token(&self.conn, TASKS)
    }

    /// Forgets the task list's sync token: the next round lists every task.
    pub fn forget_task_sync_token(&mut self) -> Result<()> {
        self.write(|tx| set_token(tx, TASKS, None))
    }

    /// Every task Kith knows on the server, by href, with its version.
    pub fn sync_known_tasks(&self) -> Result<HashMap<String, Option<String>>> {
        let mut stmt = self.conn.prepare(
            "SELECT href, etag FROM sync_tasks UNION ALL SELECT href, etag FROM sync_reminder_tasks",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies a pull of the task list: each task in `pulled`, each href in `deleted`, then
    /// `token`, in one transaction. A task deleted on the server leaves its follow-up done
    /// (nothing the user wrote goes); a task that names no contact Kith knows is left alone.
    pub fn apply_task_pull(
        &mut self,
        pulled: &[Pulled],
        deleted: &[String],
        token: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<TaskReport> {
        let nothing = pulled.is_empty() && deleted.is_empty();
        self.apply_round(TASKS, nothing, token, |tx| {
            let mut report = TaskReport::default();
            let mut contacts = None;
            for p in pulled {
                let read = task::read(&p.text);
                let local = task_local(tx, &p.href, &read, &mut contacts)?;
                apply_task(tx, p, decide_task(&read, local, now), &mut report, now)?;
            }
            for href in deleted {
                apply_task_delete(tx, href, &mut report, now)?;
            }
            Ok(report)
        })
    }

    /// What to send to the task list: a task for each open follow-up whose contact has a card
    /// on the server and no task yet, and each follow-up changed since both agreed.
    pub fn task_push_plan(
        &mut self,
        now: DateTime<Utc>,
        mut new_uid: impl FnMut() -> String,
    ) -> Result<TaskPlan> {
        let Some(list) = self.sync_account()?.and_then(|a| a.task_list) else {
            return Err(Error::Conflict("No task list is chosen for sync.".into()));
        };
        // Each new task is named before anything is written (see sync_task_names).
        self.write(|tx| {
            let unnamed: Vec<i64> = tx
                .prepare(&format!(
                    "SELECT f.id FROM {NEW_TASKS} AND n.follow_up_id IS NULL"
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in unnamed {
                let uid = new_uid();
                tx.execute(
                    "INSERT INTO sync_task_names (follow_up_id, uid, href) VALUES (:id, :uid, :href)",
                    named_params! {
                        ":id": id, ":uid": uid, ":href": push::item_href(&list, &uid, "ics"),
                    },
                )?;
            }
            Ok(())
        })?;
        let new: Vec<(i64, i64, String, String, String)> = self
            .conn
            .prepare(&format!(
                "SELECT f.id, f.contact_id, c.display_name, n.uid, n.href FROM {NEW_TASKS}
                   AND n.follow_up_id = f.id ORDER BY f.id"
            ))?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let new = new
            .into_iter()
            .map(|(id, contact, name, uid, href)| {
                Ok(NewFollowUp {
                    id,
                    uid,
                    href,
                    contact_uid: card_uid(&self.conn, contact)?,
                    name,
                    view: view_of_follow_up(&self.conn, id)?,
                })
            })
            .collect::<Result<_>>()?;
        let linked: Vec<(i64, String, Option<String>, String, String)> = self
            .conn
            .prepare(
                "SELECT t.follow_up_id, t.href, t.etag, t.todo, t.synced FROM sync_tasks t
                 JOIN follow_ups f ON f.id = t.follow_up_id WHERE f.updated_at >= t.synced_at
                 ORDER BY t.follow_up_id",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let linked = linked
            .into_iter()
            .map(|(id, href, etag, text, synced)| {
                Ok(LinkedFollowUp {
                    id,
                    view: view_of_follow_up(&self.conn, id)?,
                    known: known(href, etag, text, &synced)?,
                })
            })
            .collect::<Result<_>>()?;
        let reminders = reminders::load(self)?;
        push::task_plan(&list, new, linked, reminders, now, &mut new_uid)
    }

    /// Records that `push` is on the server at version `etag`.
    pub fn record_task_pushed(&mut self, push: &TaskPush, etag: Option<&str>) -> Result<()> {
        let synced = view_json(&push.view)?;
        let follow_up = match push.item {
            TaskItem::FollowUp(id) => id,
            TaskItem::Reminder { id, due_at } => {
                return self
                    .write(|tx| reminders::record_pushed(tx, id, due_at, push, etag, &synced))
            }
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_tasks (follow_up_id, href, etag, todo, synced, synced_at)
                 SELECT :id, :href, :etag, :todo, :synced, :at WHERE EXISTS
                        (SELECT 1 FROM follow_ups WHERE id = :id)
                 ON CONFLICT (follow_up_id) DO UPDATE SET href = excluded.href,
                     etag = excluded.etag, todo = excluded.todo, synced = excluded.synced,
                     synced_at = excluded.synced_at",
                named_params! {
                    ":id": follow_up, ":href": push.href, ":etag": etag,
                    ":todo": push.text, ":synced": synced, ":at": to_db_time(push.read_at),
                },
            )?;
            Ok(())
        })
    }
}

/// Open follow-ups without a task whose contact has a card (`f`, `c`; their names `n`, if
/// any), as a FROM clause with the start of its WHERE.
const NEW_TASKS: &str = "follow_ups f JOIN contacts c ON c.id = f.contact_id
     JOIN sync_cards s ON s.contact_id = f.contact_id
     LEFT JOIN sync_task_names n ON n.follow_up_id = f.id
     WHERE f.completed_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM sync_tasks t WHERE t.follow_up_id = f.id)";

/// The follow-up whose own task is at `href` (named before a write whose answer was lost),
/// though Kith does not know it on the server.
fn named_task(conn: &Connection, href: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT follow_up_id FROM sync_task_names WHERE href = :href",
            named_params! { ":href": href },
            |r| r.get(0),
        )
        .optional()?)
}

/// A task Kith has on the server, as the plan takes it (`synced`: what both agreed on, as
/// stored).
fn known(
    href: String,
    etag: Option<String>,
    text: String,
    synced: &str,
) -> Result<Known<TaskView>> {
    Ok(Known {
        href,
        etag,
        text,
        agreed: view_of(synced)?,
    })
}

/// The UID of the card of contact `id`, if it has one on the server.
/// Lets the server's tasks for `follow_ups` and `reminders` go (deleted at the next round)
/// so that tasks naming their contact as it now is are made again: a merge moved them to
/// another contact, whose card they must name.
pub(crate) fn renew_tasks(conn: &Connection, follow_ups: &[i64], reminders: &[i64]) -> Result<()> {
    for (table, key, ids) in [
        ("sync_tasks", "follow_up_id", follow_ups),
        ("sync_reminder_tasks", "reminder_id", reminders),
    ] {
        let ids = serde_json::Value::from(ids).to_string();
        conn.execute(
            &format!(
                "INSERT OR REPLACE INTO sync_tombstones (href, etag)
                 SELECT href, etag FROM {table} WHERE {key} IN (SELECT value FROM json_each(:ids))"
            ),
            named_params! { ":ids": ids },
        )?;
        conn.execute(
            &format!("DELETE FROM {table} WHERE {key} IN (SELECT value FROM json_each(:ids))"),
            named_params! { ":ids": ids },
        )?;
    }
    Ok(())
}

fn card_uid(conn: &Connection, id: i64) -> Result<Option<String>> {
    let card: Option<String> = conn
        .query_row(
            "SELECT card FROM sync_cards WHERE contact_id = :id",
            named_params! { ":id": id },
            |r| r.get(0),
        )
        .optional()?;
    // A card Kith cannot read names no one.
    Ok(card
        .and_then(|c| card::read(&c).ok().flatten())
        .and_then(|c| c.uid))
}

/// Follow-up `id` as a task.
fn view_of_follow_up(conn: &Connection, id: i64) -> Result<TaskView> {
    let (title, due, done): (String, Option<String>, bool) = conn.query_row(
        "SELECT title, due_on, completed_at IS NOT NULL FROM follow_ups WHERE id = :id",
        named_params! { ":id": id },
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let due = due
        .map(|d| {
            d.parse::<NaiveDate>()
                .map_err(|_| Error::Corrupt(format!("“{d}” is not a stored due date")))
        })
        .transpose()?;
    Ok(TaskView { title, due, done })
}

/// The follow-up whose task is at `href`, with the task both last agreed on (its JSON).
fn known_task(conn: &Connection, href: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT follow_up_id, synced FROM sync_tasks WHERE href = :href",
            named_params! { ":href": href },
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Contacts on the server by their card's UID.
fn contacts_by_uid(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT contact_id, card FROM sync_cards")?;
    let mut rows = stmt.query([])?;
    let mut by_uid = HashMap::new();
    while let Some(r) = rows.next()? {
        // A card Kith cannot read names no one.
        if let Ok(Some(card)) = card::read(&r.get::<_, String>(1)?) {
            if let Some(uid) = card.uid {
                by_uid.insert(uid, r.get(0)?);
            }
        }
    }
    Ok(by_uid)
}

/// What Kith has for the task at `href` (as `read`): the decision's input. `contacts` (the
/// contacts on the server by their card's UID) is loaded once, when a new task needs it.
fn task_local(
    tx: &Transaction<'_>,
    href: &str,
    read: &Result<Option<task::ServerTask>>,
    contacts: &mut Option<HashMap<String, i64>>,
) -> Result<TaskLocal> {
    let Ok(Some(server)) = read else {
        return Ok(TaskLocal::New { contact: None });
    };
    if let Some(agreed) = reminders::known_task(tx, href)? {
        return Ok(TaskLocal::Reminder { agreed });
    }
    if let Some((id, synced)) = known_task(tx, href)? {
        return Ok(TaskLocal::Known {
            id,
            contact: contact_of(tx, id)?,
            current: view_of_follow_up(tx, id)?,
            agreed: view_of(&synced)?,
        });
    }
    if let Some(id) = named_task(tx, href)? {
        return Ok(TaskLocal::Named {
            id,
            current: view_of_follow_up(tx, id)?,
        });
    }
    let Some(uid) = &server.contact_uid else {
        return Ok(TaskLocal::New { contact: None });
    };
    if contacts.is_none() {
        *contacts = Some(contacts_by_uid(tx)?);
    }
    let contact = contacts.as_ref().and_then(|c| c.get(uid)).copied();
    Ok(TaskLocal::New { contact })
}

/// The server deleted the task at `href`: a follow-up's is done (nothing the user wrote
/// goes); a reminder's is made again at the next push.
fn apply_task_delete(
    tx: &Transaction<'_>,
    href: &str,
    report: &mut TaskReport,
    now: DateTime<Utc>,
) -> Result<()> {
    taken(tx, href)?;
    reminders::forget_task(tx, href)?;
    let known = match known_task(tx, href)? {
        Some((id, _)) => Some((
            id,
            tx.query_row(
                "SELECT completed_at IS NULL FROM follow_ups WHERE id = :id",
                named_params! { ":id": id },
                |r| r.get(0),
            )?,
        )),
        None => None,
    };
    if let TaskGone::Complete { id, counted } = decide_task_gone(known) {
        report.updated += u32::from(counted);
        tx.execute(
            "UPDATE follow_ups SET completed_at = coalesce(completed_at, :now),
                 updated_at = :now WHERE id = :id",
            named_params! { ":id": id, ":now": to_db_time(now) },
        )?;
        tx.execute(
            "DELETE FROM sync_tasks WHERE follow_up_id = :id",
            named_params! { ":id": id },
        )?;
    }
    tx.execute(
        "DELETE FROM sync_tombstones WHERE href = :href",
        named_params! { ":href": href },
    )?;
    Ok(())
}

/// Applies what the task `p` does.
fn apply_task(
    tx: &Transaction<'_>,
    p: &Pulled,
    outcome: TaskOutcome,
    report: &mut TaskReport,
    now: DateTime<Utc>,
) -> Result<()> {
    let take = match outcome {
        TaskOutcome::Ignore => return Ok(()),
        // A task Kith cannot take is listed until it changes.
        TaskOutcome::Skip(why) => {
            return skip(tx, SyncItem::Task, &p.href, &why, &mut report.skipped, now)
        }
        TaskOutcome::Reminder { settle, agreed } => {
            return reminders::apply_task(tx, p, settle, &agreed, report)
        }
        TaskOutcome::FollowUp(take) => take,
    };
    let id = match take.target {
        TaskTarget::Kept { id } => id,
        TaskTarget::Changed { id, done_at } => {
            write_follow_up(tx, id, &take.view, done_at, now)?;
            report.updated += 1;
            id
        }
        TaskTarget::New { contact } => {
            tx.execute(
                "INSERT INTO follow_ups (contact_id, title, due_on, created_at, updated_at)
                 VALUES (:contact, :title, :due, :now, :now)",
                named_params! {
                    ":contact": contact,
                    ":title": take.view.title,
                    ":due": take.view.due.map(|d| d.to_string()),
                    ":now": to_db_time(now),
                },
            )?;
            report.added += 1;
            tx.last_insert_rowid()
        }
    };
    // Both agree on the server's copy; where the follow-up differs from it (a join kept
    // Kith's side), the next push sends it.
    let agreed_at = if take.agreed_now { to_db_time(now) } else { 0 };
    tx.execute(
        "INSERT INTO sync_tasks (follow_up_id, href, etag, todo, synced, synced_at)
         VALUES (:id, :href, :etag, :todo, :synced, :at)
         ON CONFLICT (follow_up_id) DO UPDATE SET href = excluded.href, etag = excluded.etag,
             todo = excluded.todo, synced = excluded.synced, synced_at = excluded.synced_at",
        named_params! {
            ":id": id, ":href": p.href, ":etag": p.etag, ":todo": p.text,
            ":synced": view_json(&take.agreed)?, ":at": agreed_at,
        },
    )?;
    taken(tx, &p.href)
}

fn contact_of(conn: &Connection, follow_up: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT contact_id FROM follow_ups WHERE id = :id",
        named_params! { ":id": follow_up },
        |r| r.get(0),
    )?)
}

/// Writes `view` into follow-up `id`; done, it was done at `done_at`.
fn write_follow_up(
    tx: &Transaction<'_>,
    id: i64,
    view: &TaskView,
    done_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE follow_ups SET title = :title, due_on = :due,
             completed_at = CASE WHEN :done THEN coalesce(completed_at, :done_at) END,
             updated_at = :now
         WHERE id = :id",
        named_params! {
            ":id": id, ":title": view.title, ":due": view.due.map(|d| d.to_string()),
            ":done": view.done, ":done_at": to_db_time(done_at), ":now": to_db_time(now),
        },
    )?;
    Ok(())
}
