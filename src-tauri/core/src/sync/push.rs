//! What a round sends: pure plans over the rows the store loads (contacts without a card,
//! contacts changed since both agreed, follow-ups and reminders and their tasks). The store
//! names new items and loads them; [`card_plan`] and [`task_plan`] decide what to write.

use chrono::{DateTime, Utc};

use super::task::{self, About, TaskView};
use super::{card, Push, PushPlan, TaskItem, TaskPlan, TaskPush, Tombstone};
use crate::model::ContactInput;
use crate::Result;

/// The href of item `uid` (a card, `ext` "vcf"; a task, "ics") in the collection at `href`.
pub fn item_href(collection: &str, uid: &str, ext: &str) -> String {
    let slash = if collection.ends_with('/') { "" } else { "/" };
    format!("{collection}{slash}{uid}.{ext}")
}

/// An active contact with no card yet, under the name Kith gave its card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCard {
    pub contact_id: i64,
    pub uid: String,
    pub href: String,
    pub view: ContactInput,
}

/// An item Kith has on the server: where, its version, the server's copy (`text`), and what
/// both agreed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known<V> {
    pub href: String,
    pub etag: Option<String>,
    pub text: String,
    pub agreed: V,
}

/// A contact with a card, updated since both agreed (`view`: as it is now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedCard {
    pub contact_id: i64,
    pub known: Known<ContactInput>,
    pub view: ContactInput,
}

/// What to send to the address book: each new contact as a new card (vCard 3.0 where the
/// book takes nothing newer), each contact that differs from what both agreed as the server's
/// copy with the change written in (a card Kith does not read as a person stays), and
/// `deletes`. `now` is when the views were read.
pub fn card_plan(
    new: Vec<NewCard>,
    linked: Vec<LinkedCard>,
    deletes: Vec<Tombstone>,
    v3: bool,
    now: DateTime<Utc>,
) -> Result<PushPlan> {
    let creates = new
        .into_iter()
        .map(|n| Push {
            contact_id: n.contact_id,
            href: n.href,
            etag: None,
            text: card::new_card(&n.uid, &n.view, v3),
            view: n.view,
            read_at: now,
        })
        .collect();
    let mut updates = Vec::new();
    for l in linked {
        let Known {
            href,
            etag,
            text,
            agreed,
        } = l.known;
        if l.view == agreed {
            continue;
        }
        let Some(server) = card::read(&text)? else {
            continue;
        };
        updates.push(Push {
            contact_id: l.contact_id,
            href,
            etag,
            text: card::edit(&server, &agreed, &l.view),
            view: l.view,
            read_at: now,
        });
    }
    Ok(PushPlan {
        creates,
        updates,
        deletes,
    })
}

/// An open follow-up without a task, under the name Kith gave its task, with its contact's
/// card UID (`None`: a card without one, which no task can name) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    pub id: i64,
    pub uid: String,
    pub href: String,
    pub contact_uid: Option<String>,
    pub name: String,
    pub view: TaskView,
}

/// A follow-up with a task, updated since both agreed (`view`: as it is now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedFollowUp {
    pub id: i64,
    pub known: Known<TaskView>,
    pub view: TaskView,
}

/// A reminder, for its task: its title, its zone, the time its task stands for now (`None`
/// once none is left), whom it is about (the contact's card UID and name), and its task on
/// the server with the time that task stood for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderTask {
    pub id: i64,
    pub title: String,
    pub zone: chrono_tz::Tz,
    pub time: Option<DateTime<Utc>>,
    pub about: Option<(String, String)>,
    pub known: Option<(Known<TaskView>, DateTime<Utc>)>,
}

/// Reminder `title`'s task as Kith sees it, standing for `time` in `zone` (or done, at
/// `last`, when no time is left).
pub fn reminder_view(
    title: &str,
    zone: chrono_tz::Tz,
    time: Option<DateTime<Utc>>,
    last: DateTime<Utc>,
) -> TaskView {
    TaskView {
        title: title.to_owned(),
        due: Some(time.unwrap_or(last).with_timezone(&zone).date_naive()),
        done: time.is_none(),
    }
}

/// What to send to the task list at `list`: a task for each new follow-up whose contact's
/// card has a UID, each follow-up that differs from what both agreed, a task for each
/// reminder with a time ahead and none yet (named by `new_uid`), and each reminder's task
/// whose reminder moved on (done, a new time) or changed.
pub fn task_plan(
    list: &str,
    new: Vec<NewFollowUp>,
    linked: Vec<LinkedFollowUp>,
    reminders: Vec<ReminderTask>,
    now: DateTime<Utc>,
    new_uid: &mut impl FnMut() -> String,
) -> Result<TaskPlan> {
    let mut plan = TaskPlan::default();
    for n in new {
        let Some(contact_uid) = n.contact_uid else {
            continue;
        };
        let about = About {
            contact_uid: &contact_uid,
            name: &n.name,
        };
        plan.creates.push(TaskPush {
            item: TaskItem::FollowUp(n.id),
            href: n.href,
            etag: None,
            text: task::new_task(&n.uid, about, &n.view, now),
            view: n.view,
            read_at: now,
        });
    }
    for l in linked {
        let item = TaskItem::FollowUp(l.id);
        plan.updates
            .extend(task_update(item, l.known, l.view, now)?);
    }
    for r in reminders {
        match r.known {
            None => {
                let Some(at) = r.time else { continue };
                let view = reminder_view(&r.title, r.zone, r.time, at);
                let about = r.about.as_ref().map(|(uid, name)| About {
                    contact_uid: uid,
                    name,
                });
                let uid = new_uid();
                plan.creates.push(TaskPush {
                    item: TaskItem::Reminder {
                        id: r.id,
                        due_at: at,
                    },
                    href: item_href(list, &uid, "ics"),
                    etag: None,
                    text: task::new_reminder_task(&uid, about, &view, now),
                    view,
                    read_at: now,
                });
            }
            Some((known, stood_for)) => {
                let item = TaskItem::Reminder {
                    id: r.id,
                    due_at: r.time.unwrap_or(stood_for),
                };
                let view = reminder_view(&r.title, r.zone, r.time, stood_for);
                plan.updates.extend(task_update(item, known, view, now)?);
            }
        }
    }
    Ok(plan)
}

/// The write that brings a known task to `view` (edited into the server's copy), if it
/// differs from what both agreed on and the server's copy is a task.
fn task_update(
    item: TaskItem,
    known: Known<TaskView>,
    view: TaskView,
    now: DateTime<Utc>,
) -> Result<Option<TaskPush>> {
    if view == known.agreed {
        return Ok(None);
    }
    let Some(server) = task::read(&known.text)? else {
        return Ok(None);
    };
    Ok(Some(TaskPush {
        item,
        href: known.href,
        etag: known.etag,
        text: task::edit(&server.calendar, &known.agreed, &view, now),
        view,
        read_at: now,
    }))
}

#[cfg(test)]
mod tests;
