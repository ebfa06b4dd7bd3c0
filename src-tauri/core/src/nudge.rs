//! What a nudge says: each kind of occurrence in its own words, several fired together
//! summed up in one; and what an answer to it does ([`outcome`]). Pure: the store hands it
//! the names, Today's plan and the user's zone, and applies the outcomes.

mod outcome;
pub use outcome::{outcome, Outcome, SNOOZE};

use chrono_tz::Tz;

use crate::rank::Suggestion;
use crate::reminder::Occurrence;
use crate::schedule::{ReminderKind, EVENT_LEAD};

/// What a nudge says, and whom it is about (the contact a click opens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NudgeText {
    pub summary: String,
    pub body: String,
    pub contact_id: Option<i64>,
}

/// What the words of one occurrence need besides the occurrence itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The name of the contact it is about, if any.
    pub name: Option<&'a str>,
    /// Today's plan, best first (for the digest).
    pub plan: &'a [Suggestion],
    /// The user's zone (for times of day).
    pub tz: Tz,
}

/// The words for one occurrence; `None` for a digest with nobody to suggest.
pub fn word(o: &Occurrence, cx: &Context<'_>) -> Option<NudgeText> {
    let text = |summary: String, body: String| {
        Some(NudgeText {
            summary,
            body,
            contact_id: o.contact_id,
        })
    };
    match o.kind {
        ReminderKind::Digest => digest(cx.plan),
        ReminderKind::FollowUp => text(
            format!("Follow-up due: {}", o.title),
            cx.name
                .map(|n| format!("You promised {n}."))
                .unwrap_or_default(),
        ),
        ReminderKind::Birthday => text(
            format!("{} today", o.title),
            "Wish them a happy birthday.".into(),
        ),
        ReminderKind::EventStart => {
            let starts = (o.due_at + EVENT_LEAD)
                .with_timezone(&cx.tz)
                .format("%H:%M");
            text(
                format!("{} starts at {starts}", o.title),
                "Going? Afterwards, say “I went” to log who you met.".into(),
            )
        }
        ReminderKind::CallCheck => text(
            o.title.clone(),
            "Yes logs the call; No brings it back tomorrow.".into(),
        ),
        ReminderKind::OneOff | ReminderKind::Recurring => text(
            o.title.clone(),
            cx.name.map(|n| format!("About {n}.")).unwrap_or_default(),
        ),
    }
}

/// The digest: who leads Today's plan and why, then who else is in it.
fn digest(plan: &[Suggestion]) -> Option<NudgeText> {
    let top = plan.first()?;
    // The reason behind the action leads ("Report back to Priya — you finished …"); the
    // others follow in the body.
    let lead = top
        .reasons
        .iter()
        .position(|r| Some(r.signal) == top.action.signal())
        .unwrap_or(0);
    let first = top
        .reasons
        .get(lead)
        .map(|r| lower_first(&r.text))
        .unwrap_or_default();
    let rest: Vec<&str> = top
        .reasons
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != lead)
        .map(|(_, r)| r.text.as_str())
        .collect();
    let mut body: Vec<String> = vec![rest.join(" · ")];
    if plan.len() > 1 {
        let others: Vec<&str> = plan[1..].iter().map(|s| s.name.as_str()).collect();
        body.push(format!("Also today: {}", others.join(", ")));
    }
    Some(NudgeText {
        summary: format!("{} — {first}", top.action.phrase(&top.name)),
        body: body
            .into_iter()
            .filter(|b| !b.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        contact_id: Some(top.contact_id),
    })
}

/// One nudge for several texts: one says itself; several are listed under a count.
pub fn combine(mut texts: Vec<NudgeText>) -> Option<NudgeText> {
    match texts.len() {
        0 => None,
        1 => texts.pop(),
        n => Some(NudgeText {
            summary: format!("{n} reminders"),
            body: texts
                .iter()
                .map(|t| format!("• {}", t.summary))
                .collect::<Vec<_>>()
                .join("\n"),
            contact_id: None,
        }),
    }
}

/// "Overdue by 12 days" → "overdue by 12 days", to follow a dash.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminder::OccurrenceState;
    use chrono::{DateTime, Utc};

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn fired(kind: ReminderKind, title: &str, contact: Option<i64>, due: &str) -> Occurrence {
        Occurrence {
            id: 1,
            source: crate::schedule::Source::Digest,
            kind,
            contact_id: contact,
            title: title.into(),
            due_at: at(due),
            fired_at: at(due),
            state: OccurrenceState::Fired,
            delivery: None,
        }
    }

    fn lisbon(name: Option<&str>) -> Context<'_> {
        Context {
            name,
            plan: &[],
            tz: "Europe/Lisbon".parse().unwrap(),
        }
    }

    #[test]
    fn each_kind_says_who_why_and_what_to_do() {
        let cases = [
            (
                fired(
                    ReminderKind::FollowUp,
                    "Send the slides",
                    Some(3),
                    "2026-11-23T09:00:00Z",
                ),
                Some("Priya Raman"),
                (
                    "Follow-up due: Send the slides",
                    "You promised Priya Raman.",
                ),
            ),
            (
                fired(
                    ReminderKind::Birthday,
                    "Priya Raman's birthday",
                    Some(3),
                    "2026-11-23T09:00:00Z",
                ),
                Some("Priya Raman"),
                (
                    "Priya Raman's birthday today",
                    "Wish them a happy birthday.",
                ),
            ),
            (
                fired(
                    ReminderKind::CallCheck,
                    "Did you reach Bob?",
                    Some(4),
                    "2026-11-23T09:00:00Z",
                ),
                Some("Bob"),
                (
                    "Did you reach Bob?",
                    "Yes logs the call; No brings it back tomorrow.",
                ),
            ),
            (
                fired(
                    ReminderKind::Recurring,
                    "Call Mum",
                    Some(5),
                    "2026-11-23T09:00:00Z",
                ),
                Some("Mum"),
                ("Call Mum", "About Mum."),
            ),
            (
                fired(
                    ReminderKind::OneOff,
                    "Renew the domain",
                    None,
                    "2026-11-23T09:00:00Z",
                ),
                None,
                ("Renew the domain", ""),
            ),
        ];
        for (o, name, (summary, body)) in cases {
            let text = word(&o, &lisbon(name)).unwrap();
            assert_eq!((text.summary.as_str(), text.body.as_str()), (summary, body));
            assert_eq!(text.contact_id, o.contact_id);
        }
    }

    #[test]
    fn an_event_says_when_it_starts_in_the_users_zone() {
        // Nudged at the lead before a 19:00 start in Lisbon summer time (18:00 UTC).
        let o = fired(
            ReminderKind::EventStart,
            "Rust meetup",
            None,
            &(at("2026-06-10T18:00:00Z") - EVENT_LEAD).to_rfc3339(),
        );
        let text = word(&o, &lisbon(None)).unwrap();
        assert_eq!(text.summary, "Rust meetup starts at 19:00");
    }

    #[test]
    fn a_digest_with_nobody_stays_quiet_and_several_become_one() {
        let o = fired(
            ReminderKind::Digest,
            "Today's plan",
            None,
            "2026-11-23T09:00:00Z",
        );
        assert_eq!(word(&o, &lisbon(None)), None);
        assert_eq!(combine(Vec::new()), None);
        let one = word(
            &fired(
                ReminderKind::Recurring,
                "Call Mum",
                Some(5),
                "2026-11-23T09:00:00Z",
            ),
            &lisbon(Some("Mum")),
        )
        .unwrap();
        assert_eq!(combine(vec![one.clone()]), Some(one.clone()));
        let two = combine(vec![
            one.clone(),
            NudgeText {
                summary: "Renew the domain".into(),
                body: String::new(),
                contact_id: None,
            },
        ])
        .unwrap();
        assert_eq!(two.summary, "2 reminders");
        assert_eq!(two.body, "• Call Mum\n• Renew the domain");
        assert_eq!(two.contact_id, None);
        assert_eq!(lower_first("Overdue by 12 days"), "overdue by 12 days");
        assert_eq!(lower_first(""), "");
    }
}
