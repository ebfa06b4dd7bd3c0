//! A follow-up as a CalDAV server keeps it: one task (VTODO) in the chosen task list, so that
//! it shows in the phone's tasks app. The task names its contact by the contact card's UID
//! (`X-KITH-CONTACT-UID`, and `RELATED-TO` for clients that follow links); what Kith reads
//! back is the title (`SUMMARY`), the date it is due (`DUE`) and whether it is done
//! (`STATUS:COMPLETED`, a `COMPLETED` time or 100 percent). Writing back edits the server's
//! copy: the properties of what changed are replaced, everything else (alarms, categories,
//! another app's properties) stays. Tasks never repeat here: a client completes a repeating
//! task in its own way, so Kith keeps one task per follow-up.

use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarProperty,
    ICalendarStatus, ICalendarValue,
};
use calcard::{Entry, Parser};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::export::ics::{calendar, day, other, status, text, utc, written};
use crate::{Error, Result};

/// The property that names the task's contact by its card's UID.
pub const CONTACT_UID: &str = "X-KITH-CONTACT-UID";
/// The property that marks a reminder's task: one device's own, never another's follow-up.
pub const REMINDER: &str = "X-KITH-REMINDER";

/// What Kith and the server agree on for one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskView {
    pub title: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// A server's task as Kith reads it.
#[derive(Debug, Clone)]
pub struct ServerTask {
    /// The UID of the contact's card it is about, if it names one.
    pub contact_uid: Option<String>,
    /// It stands for a reminder's next time (see [`REMINDER`]).
    pub reminder: bool,
    pub view: TaskView,
    /// When it was done (`COMPLETED`), as the client that ticked it off says.
    pub completed: Option<DateTime<Utc>>,
    /// It has a `DUE` that is no date (a month 13, a year past 9999): such a task is left
    /// alone rather than taken as one without a date.
    pub due_unreadable: bool,
    /// The calendar object itself, for editing.
    pub calendar: ICalendar,
}

impl ServerTask {
    /// When it was done: the client's `COMPLETED` time, unless that is later than `now` (a
    /// clock that ran ahead), else `now`.
    pub fn done_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.completed.filter(|t| *t <= now).unwrap_or(now)
    }
}

/// The task in `text` (one calendar object), or `None` for an object that holds no task.
pub fn read(text: &str) -> Result<Option<ServerTask>> {
    let calendar = match Parser::new(text).entry() {
        Entry::ICalendar(calendar) => calendar,
        _ => {
            return Err(Error::parse(
                None,
                "The server sent something that is not an iCalendar object.",
            ))
        }
    };
    let Some(todo) = todo(&calendar) else {
        return Ok(None);
    };
    let text_of = |p: &ICalendarProperty| {
        todo.property(p)
            .and_then(|e| e.values.first())
            .and_then(ICalendarValue::as_text)
            .map(|t| t.trim().to_owned())
    };
    let contact_uid = todo
        .entries
        .iter()
        .find(|e| is_other(e, CONTACT_UID))
        .or_else(|| todo.property(&ICalendarProperty::RelatedTo))
        .and_then(|e| e.values.first())
        .and_then(ICalendarValue::as_text)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let due_entry = todo.property(&ICalendarProperty::Due);
    let due = due_entry
        .and_then(|e| e.values.first())
        .and_then(ICalendarValue::as_partial_date_time)
        .and_then(|d| {
            NaiveDate::from_ymd_opt(i32::from(d.year?), u32::from(d.month?), u32::from(d.day?))
        });
    let completed = todo
        .property(&ICalendarProperty::Completed)
        .and_then(|e| e.values.first())
        .and_then(ICalendarValue::as_partial_date_time)
        .and_then(|d| d.to_timestamp())
        .and_then(|t| DateTime::from_timestamp(t, 0));
    let done = todo.status() == Some(&ICalendarStatus::Completed)
        || todo.has_property(&ICalendarProperty::Completed)
        || todo
            .property(&ICalendarProperty::PercentComplete)
            .and_then(|e| e.values.first())
            .and_then(ICalendarValue::as_integer)
            == Some(100);
    Ok(Some(ServerTask {
        contact_uid,
        reminder: todo.entries.iter().any(|e| is_other(e, REMINDER)),
        view: TaskView {
            title: text_of(&ICalendarProperty::Summary).unwrap_or_default(),
            due,
            done,
        },
        completed,
        due_unreadable: due_entry.is_some() && due.is_none(),
        calendar,
    }))
}

fn todo(calendar: &ICalendar) -> Option<&ICalendarComponent> {
    calendar
        .components
        .iter()
        .find(|c| c.component_type == ICalendarComponentType::VTodo)
}

fn is_other(e: &ICalendarEntry, name: &str) -> bool {
    matches!(&e.name, ICalendarProperty::Other(n) if n.eq_ignore_ascii_case(name))
}

/// The properties Kith writes for `view` (at `at`), as one VTODO's.
fn entries(view: &TaskView, at: DateTime<Utc>) -> Vec<ICalendarEntry> {
    let mut entries = vec![text(ICalendarProperty::Summary, &view.title)];
    if let Some(due) = view.due {
        entries.push(day(ICalendarProperty::Due, due));
    }
    entries.extend(status(view.done, at));
    entries.push(utc(ICalendarProperty::LastModified, at));
    entries
}

/// Whom a task is about: the UID of the contact's card, and the contact's name (said in the
/// description, for task apps that show no links).
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub contact_uid: &'a str,
    pub name: &'a str,
}

/// A new task `uid` for a follow-up.
pub fn new_task(uid: &str, about: About<'_>, view: &TaskView, at: DateTime<Utc>) -> String {
    task_text(uid, Some(about), view, false, at)
}

/// A new task `uid` for a reminder's next time, about a contact or no one. No repeat rule:
/// done, Kith rolls it forward to the next time itself.
pub fn new_reminder_task(
    uid: &str,
    about: Option<About<'_>>,
    view: &TaskView,
    at: DateTime<Utc>,
) -> String {
    task_text(uid, about, view, true, at)
}

fn task_text(
    uid: &str,
    about: Option<About<'_>>,
    view: &TaskView,
    reminder: bool,
    at: DateTime<Utc>,
) -> String {
    let mut todo = vec![
        text(ICalendarProperty::Uid, uid),
        utc(ICalendarProperty::Dtstamp, at),
        utc(ICalendarProperty::Created, at),
    ];
    if let Some(a) = about {
        todo.extend([
            text(
                ICalendarProperty::Description,
                &format!("With {} (from Kith)", a.name),
            ),
            text(ICalendarProperty::RelatedTo, a.contact_uid),
            other(CONTACT_UID, a.contact_uid),
        ]);
    }
    if reminder {
        todo.push(other(REMINDER, "1"));
    }
    todo.extend(entries(view, at));
    written(&calendar(
        vec![],
        vec![(ICalendarComponentType::VTodo, todo)],
    ))
}

/// `base` with what changed from `was` (Kith's view of `base`) to `now` written into it, at
/// `at`.
pub fn edit(base: &ICalendar, was: &TaskView, now: &TaskView, at: DateTime<Utc>) -> String {
    let fresh = entries(now, at);
    let mut out = base.clone();
    let mut replaced = vec![ICalendarProperty::LastModified];
    if was.title != now.title {
        replaced.push(ICalendarProperty::Summary);
    }
    if was.due != now.due {
        replaced.push(ICalendarProperty::Due);
    }
    if was.done != now.done {
        replaced.extend([
            ICalendarProperty::Status,
            ICalendarProperty::Completed,
            ICalendarProperty::PercentComplete,
        ]);
    }
    if let Some(target) = out
        .components
        .iter_mut()
        .find(|c| c.component_type == ICalendarComponentType::VTodo)
    {
        target.entries.retain(|e| !replaced.contains(&e.name));
        target
            .entries
            .extend(fresh.into_iter().filter(|e| replaced.contains(&e.name)));
        // The task changed: clients compare the sequence to know which copy is newer.
        let sequence = target
            .property(&ICalendarProperty::Sequence)
            .and_then(|e| e.values.first())
            .and_then(ICalendarValue::as_integer)
            .unwrap_or(0);
        target
            .entries
            .retain(|e| e.name != ICalendarProperty::Sequence);
        target.entries.push(
            ICalendarEntry::new(ICalendarProperty::Sequence)
                .with_value(ICalendarValue::Integer(sequence + 1)),
        );
    }
    written(&out)
}

/// A task changed on both sides since `was`, joined: what changed on one side only takes
/// that side's value (so completed on either side is completed on both); a title or a date
/// changed on both takes the server's.
pub fn merge(was: &TaskView, kith: &TaskView, server: &TaskView) -> TaskView {
    fn pick<'a, T: PartialEq>(ours: &'a T, theirs: &'a T, before: &T) -> &'a T {
        if theirs == before {
            ours
        } else {
            theirs
        }
    }
    TaskView {
        title: pick(&kith.title, &server.title, &was.title).clone(),
        due: *pick(&kith.due, &server.due, &was.due),
        done: *pick(&kith.done, &server.done, &was.done),
    }
}

#[cfg(test)]
#[path = "task/tests.rs"]
mod tests;
