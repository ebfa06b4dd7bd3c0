//! Upcoming reminders and open follow-ups as an iCalendar file (RFC 5545) for any calendar:
//! each reminder an event at its wall-clock time in its zone (TZID with the IANA name, which
//! calendars resolve themselves), repeating by its rule; each follow-up a to-do due on its
//! date. Written through calcard's writer, which escapes and folds content lines at 75
//! octets as the RFC says; the entry builders here (`text`, `utc`, `day`, `status`,
//! `calendar`) are also how sync writes a task, so Kith writes iCalendar one way.

use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarDuration, ICalendarEntry,
    ICalendarParameter, ICalendarProperty, ICalendarStatus, ICalendarValue, ICalendarValueType,
};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

use crate::calendar::local_instant;
use crate::history::FollowUp;
use crate::reminder::Reminder;

/// Property `p` with text `value` (the writer escapes it; a carriage return is dropped).
pub(crate) fn text(p: ICalendarProperty, value: &str) -> ICalendarEntry {
    ICalendarEntry::new(p).with_value(ICalendarValue::Text(value.replace('\r', "")))
}

/// Another app's (or Kith's own `X-KITH-…`) property `name` with text `value`.
pub(crate) fn other(name: &str, value: &str) -> ICalendarEntry {
    text(ICalendarProperty::Other(name.to_owned()), value)
}

fn partial(d: NaiveDateTime) -> PartialDateTime {
    let small = |n: u32| u8::try_from(n).ok();
    PartialDateTime {
        year: u16::try_from(d.year()).ok(),
        month: small(d.month()),
        day: small(d.day()),
        hour: small(d.hour()),
        minute: small(d.minute()),
        second: small(d.second()),
        ..PartialDateTime::default()
    }
}

/// Property `p` at instant `t`, in UTC (`20261202T093000Z`).
pub(crate) fn utc(p: ICalendarProperty, t: DateTime<Utc>) -> ICalendarEntry {
    let at = PartialDateTime {
        tz_hour: Some(0),
        tz_minute: Some(0),
        ..partial(t.naive_utc())
    };
    ICalendarEntry::new(p).with_value(ICalendarValue::PartialDateTime(Box::new(at)))
}

/// Property `p` on day `d` (`DUE;VALUE=DATE:20261209`).
pub(crate) fn day(p: ICalendarProperty, d: NaiveDate) -> ICalendarEntry {
    ICalendarEntry::new(p)
        .with_param(ICalendarParameter::value(ICalendarValueType::Date))
        .with_value(ICalendarValue::PartialDateTime(Box::new(partial(
            d.and_time(NaiveTime::MIN),
        ))))
}

/// Whether a to-do is done, as Kith writes it: `STATUS`, and when done a `COMPLETED` time
/// (`at`) and 100 percent.
pub(crate) fn status(done: bool, at: DateTime<Utc>) -> Vec<ICalendarEntry> {
    if !done {
        return vec![ICalendarEntry::new(ICalendarProperty::Status)
            .with_value(ICalendarValue::Status(ICalendarStatus::NeedsAction))];
    }
    vec![
        ICalendarEntry::new(ICalendarProperty::Status)
            .with_value(ICalendarValue::Status(ICalendarStatus::Completed)),
        utc(ICalendarProperty::Completed, at),
        ICalendarEntry::new(ICalendarProperty::PercentComplete)
            .with_value(ICalendarValue::Integer(100)),
    ]
}

/// A calendar as Kith writes one: `VERSION`, `PRODID`, then `head`'s properties, then each
/// component (its type and entries).
pub(crate) fn calendar(
    head: Vec<ICalendarEntry>,
    components: Vec<(ICalendarComponentType, Vec<ICalendarEntry>)>,
) -> ICalendar {
    let mut entries = vec![
        text(ICalendarProperty::Version, "2.0"),
        text(ICalendarProperty::Prodid, "-//Kith//Kith//EN"),
    ];
    entries.extend(head);
    let mut root = ICalendarComponent::new(ICalendarComponentType::VCalendar);
    root.entries = entries;
    root.component_ids = (1..=components.len())
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    let mut all = vec![root];
    all.extend(components.into_iter().map(|(kind, entries)| {
        let mut c = ICalendarComponent::new(kind);
        c.entries = entries;
        c
    }));
    ICalendar { components: all }
}

/// `calendar` as text: CRLF lines folded at 75 octets (never inside a character).
pub(crate) fn written(calendar: &ICalendar) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = calendar.write_to(&mut out);
    out
}

/// The calendar of `reminders` still to come at `now` (one-offs ahead, every repeating one)
/// and `follow_ups` (open ones, with the name of whom they are for).
pub fn write(
    reminders: &[(Reminder, Option<String>)],
    follow_ups: &[(FollowUp, String)],
    now: DateTime<Utc>,
) -> String {
    let mut components = Vec::new();
    for (r, name) in reminders {
        let Ok(time) = NaiveTime::parse_from_str(&r.fields.time, "%H:%M") else {
            continue;
        };
        let start = r.fields.date.and_time(time);
        let tz = r.zone();
        let rule = r.fields.repeat.rule(r.fields.date);
        if rule.is_none() && local_instant(tz, start) < now {
            continue;
        }
        let mut event = vec![
            text(ICalendarProperty::Uid, &format!("reminder-{}@kith", r.id)),
            utc(ICalendarProperty::Dtstamp, now),
            ICalendarEntry::new(ICalendarProperty::Dtstart)
                .with_param(ICalendarParameter::tzid(tz.name().to_owned()))
                .with_value(ICalendarValue::PartialDateTime(Box::new(partial(start)))),
            ICalendarEntry::new(ICalendarProperty::Duration).with_value(ICalendarValue::Duration(
                ICalendarDuration {
                    minutes: 15,
                    ..ICalendarDuration::default()
                },
            )),
        ];
        if let Some(rule) = rule {
            // A recurrence rule is written as it is (its `;` are separators).
            event.push(
                ICalendarEntry::new(ICalendarProperty::Rrule)
                    .with_value(ICalendarValue::Text(rule)),
            );
        }
        let summary = match name {
            Some(n) => format!("{} ({n})", r.fields.title),
            None => r.fields.title.clone(),
        };
        event.push(text(ICalendarProperty::Summary, &summary));
        components.push((ICalendarComponentType::VEvent, event));
    }
    for (f, name) in follow_ups {
        let mut todo = vec![
            text(ICalendarProperty::Uid, &format!("follow-up-{}@kith", f.id)),
            utc(ICalendarProperty::Dtstamp, now),
            text(ICalendarProperty::Summary, &format!("{} ({name})", f.title)),
        ];
        if let Some(due) = f.due_on {
            todo.push(day(ICalendarProperty::Due, due));
        }
        todo.extend(status(false, now));
        components.push((ICalendarComponentType::VTodo, todo));
    }
    let head = vec![
        text(ICalendarProperty::Calscale, "GREGORIAN"),
        other("X-WR-CALNAME", "Kith"),
    ];
    written(&calendar(head, components))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters_and_text_is_escaped() {
        let out = written(&calendar(
            vec![],
            vec![(
                ICalendarComponentType::VTodo,
                vec![text(
                    ICalendarProperty::Summary,
                    &"Café, ñ; \\ é\r\n".repeat(8),
                )],
            )],
        ));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(
            unfolded.contains("\r\nSUMMARY:Café\\, ñ\\; \\\\ é\\nCafé"),
            "{unfolded}"
        );
    }
}
