//! Upcoming reminders and open follow-ups as an iCalendar file (RFC 5545) for any calendar:
//! each reminder an event at its wall-clock time in its zone (TZID with the IANA name, which
//! calendars resolve themselves), repeating by its rule; each follow-up a to-do due on its
//! date. Content lines are escaped and folded at 75 octets as the RFC says.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::calendar::local_instant;
use crate::history::FollowUp;
use crate::reminder::Reminder;

/// Text escaped for a property value: backslash, semicolon, comma and line breaks.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no line is longer than 75 octets (never inside a character).
pub(crate) fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The calendar of `reminders` still to come at `now` (one-offs ahead, every repeating one)
/// and `follow_ups` (open ones, with the name of whom they are for).
pub fn write(
    reminders: &[(Reminder, Option<String>)],
    follow_ups: &[(FollowUp, String)],
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kith//Kith//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Kith",
    ] {
        line(&mut out, l);
    }
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
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:reminder-{}@kith", r.id));
        line(&mut out, &format!("DTSTAMP:{}", stamp(now)));
        line(
            &mut out,
            &format!(
                "DTSTART;TZID={}:{}",
                tz.name(),
                start.format("%Y%m%dT%H%M%S")
            ),
        );
        line(&mut out, "DURATION:PT15M");
        if let Some(rule) = &rule {
            line(&mut out, &format!("RRULE:{rule}"));
        }
        let summary = match name {
            Some(n) => format!("{} ({n})", r.fields.title),
            None => r.fields.title.clone(),
        };
        line(&mut out, &format!("SUMMARY:{}", escape(&summary)));
        line(&mut out, "END:VEVENT");
    }
    for (f, name) in follow_ups {
        line(&mut out, "BEGIN:VTODO");
        line(&mut out, &format!("UID:follow-up-{}@kith", f.id));
        line(&mut out, &format!("DTSTAMP:{}", stamp(now)));
        line(
            &mut out,
            &format!("SUMMARY:{}", escape(&format!("{} ({name})", f.title))),
        );
        if let Some(due) = f.due_on {
            line(&mut out, &format!("DUE;VALUE=DATE:{}", date(due)));
        }
        line(&mut out, "STATUS:NEEDS-ACTION");
        line(&mut out, "END:VTODO");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters_and_text_is_escaped() {
        let mut out = String::new();
        line(
            &mut out,
            &format!("SUMMARY:{}", escape(&"Café, ñ; \\ é\n".repeat(8))),
        );
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.starts_with("SUMMARY:Café\\, ñ\\; \\\\ é\\nCafé"));
    }
}
