//! "Today": who to reach out to now, why, and how (PRODUCT.md §3). A pure, deterministic
//! ranking over plain data the store loads ([`Candidate`]) and a `now`; it never runs SQL.
//! Every signal adds points and a human reason; the weights live in [`Weights`], each with
//! the reason for its size.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::history::{Direction, InteractionKind};
use crate::model::{Birthday, Channel, Circle};

/// How much each signal counts. One table, so the ranking can be read and tuned in one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Per cadence elapsed, from 1× on (so due = 10, twice the cadence = 20), slowing down
    /// past [`Weights::CADENCE_KNEE`] (see [`cadence_points`]): being due is the backbone
    /// of the list.
    pub cadence: f64,
    /// A follow-up past its due date: a promise already late weighs as much as being due.
    pub follow_up_overdue: f64,
    /// A follow-up due within [`Weights::SOON_DAYS`]: worth doing before it is late.
    pub follow_up_soon: f64,
    /// Homework done but not told: the cheapest, warmest touch there is.
    pub report_back: f64,
    /// In the audience of an active goal that is behind pace: the user asked for this.
    pub goal_behind: f64,
    /// Never contacted, for a goal about meeting new people.
    pub goal_new: f64,
    /// Birthday today (half that within the week): a date that will not come back this year.
    pub birthday: f64,
    /// A long silence after a rich history: strong ties fade quietly.
    pub dormant: f64,
    /// Added per circle step (acquaintance 0 … inner 3): closer people come first on ties.
    pub circle: f64,
    /// One of their events is in the next [`Weights::EVENT_DAYS`] days: a reason to invite
    /// them, worth less than the threshold alone, so it shapes the touch of people who are
    /// due anyway rather than adding people to the list.
    pub event_invite: f64,
    /// Touched in the last [`Weights::RECENT_DAYS`] days: do not crowd someone just seen.
    pub recent_penalty: f64,
}

impl Weights {
    pub const DEFAULT: Weights = Weights {
        cadence: 10.0,
        follow_up_overdue: 10.0,
        follow_up_soon: 5.0,
        report_back: 8.0,
        goal_behind: 6.0,
        goal_new: 4.0,
        birthday: 12.0,
        dormant: 7.0,
        circle: 1.0,
        event_invite: 4.0,
        recent_penalty: 15.0,
    };
    /// Past this many cadences, lateness still counts but ever less (never past one more).
    pub const CADENCE_KNEE: f64 = 3.0;
    /// "Soon" for a follow-up due date, in days.
    pub const SOON_DAYS: i64 = 3;
    /// "Recently touched", in days.
    pub const RECENT_DAYS: i64 = 2;
    /// An event this many days ahead is a reason to invite its people.
    pub const EVENT_DAYS: i64 = 14;
    /// A birthday this many days ahead is mentioned.
    pub const BIRTHDAY_DAYS: i64 = 7;
    /// A tie is strong after this many interactions …
    pub const DORMANT_MIN_INTERACTIONS: u32 = 5;
    /// … and dormant after this long without one.
    pub const DORMANT_DAYS: i64 = 180;
    /// Calls and video calls are suggested only between these local hours (9:00–20:00).
    pub const DAYTIME: (u32, u32) = (9, 20);
    /// Suggestions below this score are not worth a nudge.
    pub const THRESHOLD: f64 = 5.0;
}

/// An open or recently completed follow-up, as the ranking needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpSignal {
    pub title: String,
    pub due_on: Option<NaiveDate>,
    /// Completed, and no touch with the contact since.
    pub done_unreported: bool,
}

/// A goal the contact counts toward, as the ranking needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalSignal {
    pub title: String,
    pub count: u32,
    pub target: u32,
    pub behind: bool,
    /// The goal counts new people met.
    pub about_new_people: bool,
}

/// An event coming up that the contact goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSignal {
    pub title: String,
    /// The day it happens, in the user's time zone.
    pub on: NaiveDate,
}

/// The kind and direction of an interaction.
pub type TouchKind = (InteractionKind, Option<Direction>);

/// Everything the ranking knows about one active contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub circle: Circle,
    pub cadence_days: u32,
    pub created_at: DateTime<Utc>,
    pub last_touch_at: Option<DateTime<Utc>>,
    /// The kind and direction of the latest interaction, if any.
    pub last_kind: Option<TouchKind>,
    /// How many interactions the contact has had. The ranking only asks whether it is 0
    /// (never met) and, after [`Weights::DORMANT_DAYS`] of silence, whether it reaches
    /// [`Weights::DORMANT_MIN_INTERACTIONS`].
    pub interaction_count: u32,
    pub preferred_channel: Option<Channel>,
    pub time_zone: Option<Tz>,
    pub birthday: Option<Birthday>,
    pub follow_ups: Vec<FollowUpSignal>,
    pub goals: Vec<GoalSignal>,
    pub events: Vec<EventSignal>,
    /// Snoozed until then, or dismissed for today (until the user's next midnight).
    pub hidden_until: Option<DateTime<Utc>>,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Action {
    Call,
    VideoCall,
    Email,
    Message,
    InviteForCoffee,
    ShareArticle,
    SayThanks,
    AskHowTheyAre,
    ReportBack,
    DoFollowUp,
    WishHappyBirthday,
    InviteToEvent,
}

impl Action {
    /// The signal that calls for this action, when one does.
    pub fn signal(self) -> Option<Signal> {
        match self {
            Action::ReportBack => Some(Signal::ReportBack),
            Action::DoFollowUp => Some(Signal::FollowUp),
            Action::WishHappyBirthday => Some(Signal::Birthday),
            Action::InviteToEvent => Some(Signal::Event),
            _ => None,
        }
    }

    /// The action done to `name`, as a nudge says it: "Call Priya", "Ask Bo how they are".
    pub fn phrase(self, name: &str) -> String {
        match self {
            Action::Call => format!("Call {name}"),
            Action::VideoCall => format!("Video call {name}"),
            Action::Email => format!("Email {name}"),
            Action::Message => format!("Message {name}"),
            Action::InviteForCoffee => format!("Invite {name} for a coffee"),
            Action::ShareArticle => format!("Share an article with {name}"),
            Action::SayThanks => format!("Thank {name}"),
            Action::AskHowTheyAre => format!("Ask {name} how they are"),
            Action::ReportBack => format!("Report back to {name}"),
            Action::DoFollowUp => format!("Do what you promised {name}"),
            Action::WishHappyBirthday => format!("Wish {name} a happy birthday"),
            Action::InviteToEvent => format!("Invite {name} to the event"),
        }
    }
}

/// One reason, in words, with the signal it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reason {
    pub signal: Signal,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Signal {
    Cadence,
    FollowUp,
    ReportBack,
    Goal,
    Birthday,
    Dormant,
    Event,
    LocalTime,
    Recent,
}

/// A suggested touch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Suggestion {
    #[ts(type = "number")]
    pub contact_id: i64,
    pub name: String,
    pub score: f64,
    pub action: Action,
    pub reasons: Vec<Reason>,
}

fn circle_rank(circle: Circle) -> f64 {
    match circle {
        Circle::Inner => 3.0,
        Circle::Close => 2.0,
        Circle::Network => 1.0,
        Circle::Acquaintance => 0.0,
    }
}

/// The next occurrence of a birthday on or after `today`.
fn next_birthday(b: Birthday, today: NaiveDate) -> Option<NaiveDate> {
    for year in [today.year(), today.year() + 1] {
        // 29 February falls on 1 March in other years.
        let date = NaiveDate::from_ymd_opt(year, b.month, b.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1));
        if let Some(date) = date.filter(|d| *d >= today) {
            return Some(date);
        }
    }
    None
}

/// Points for being `ratio` cadences past the last touch: none before 1×, then
/// `w.cadence` per cadence up to [`Weights::CADENCE_KNEE`], then still rising but ever more
/// slowly, towards one cadence's worth more (`knee + 1 - knee / ratio`), so a contact
/// forgotten for years does not drown everything else, and lateness still orders the very late.
pub fn cadence_points(ratio: f64, w: &Weights) -> f64 {
    let knee = Weights::CADENCE_KNEE;
    if ratio < 1.0 {
        0.0
    } else if ratio <= knee {
        w.cadence * ratio
    } else {
        w.cadence * (knee + 1.0 - knee / ratio)
    }
}

/// Adds up points and, when asked, the words for them.
struct Tally {
    score: f64,
    reasons: Option<Vec<Reason>>,
}

impl Tally {
    fn add(&mut self, points: f64, signal: Signal, text: impl FnOnce() -> String) {
        self.score += points;
        if let Some(reasons) = &mut self.reasons {
            reasons.push(Reason {
                signal,
                text: text(),
            });
        }
    }
}

/// "today", "tomorrow", "on Tuesday" or "on 4 December", for a day from `today`.
fn day_words(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        2..=6 => format!("on {}", day.format("%A")),
        _ => format!("on {}", day.format("%-d %B")),
    }
}

/// Scores one candidate; `None` when it should not be suggested at all.
pub fn score(c: &Candidate, user_tz: Tz, now: DateTime<Utc>, w: &Weights) -> Option<Suggestion> {
    let (tally, action) = assess(c, user_tz, now, w, true)?;
    Some(Suggestion {
        contact_id: c.id,
        name: c.name.clone(),
        score: tally.score,
        action,
        reasons: tally.reasons.unwrap_or_default(),
    })
}

/// The score alone, as [`score`] computes it but without the words: `None` when the
/// candidate would not be suggested. Cheap enough to run over a whole network.
pub fn points(c: &Candidate, user_tz: Tz, now: DateTime<Utc>, w: &Weights) -> Option<f64> {
    assess(c, user_tz, now, w, false).map(|(tally, _)| tally.score)
}

fn assess(
    c: &Candidate,
    user_tz: Tz,
    now: DateTime<Utc>,
    w: &Weights,
    explain: bool,
) -> Option<(Tally, Action)> {
    if c.hidden_until.is_some_and(|until| until > now) {
        return None;
    }
    let today = now.with_timezone(&user_tz).date_naive();
    let mut tally = Tally {
        score: 0.0,
        reasons: explain.then(Vec::new),
    };
    let mut action: Option<Action> = None;

    // Cadence: due at 1×, rising beyond.
    let since = now - c.last_touch_at.unwrap_or(c.created_at);
    let days_since = since.num_days();
    let ratio = since.num_seconds() as f64 / (f64::from(c.cadence_days) * 86_400.0);
    if ratio >= 1.0 {
        let late = days_since - i64::from(c.cadence_days);
        tally.add(cadence_points(ratio, w), Signal::Cadence, || {
            if late <= 0 {
                format!("Due today (every {} days)", c.cadence_days)
            } else {
                format!("Overdue by {late} days (every {} days)", c.cadence_days)
            }
        });
    }

    // Follow-ups: late ones, soon ones, and homework done but not told.
    for f in &c.follow_ups {
        if f.done_unreported {
            tally.add(w.report_back, Signal::ReportBack, || {
                format!("You finished “{}”: tell them", f.title)
            });
            action.get_or_insert(Action::ReportBack);
        } else if let Some(due) = f.due_on {
            let days = (due - today).num_days();
            if days < 0 {
                tally.add(w.follow_up_overdue, Signal::FollowUp, || {
                    format!("Follow-up overdue: {}", f.title)
                });
                action.get_or_insert(Action::DoFollowUp);
            } else if days <= Weights::SOON_DAYS {
                tally.add(w.follow_up_soon, Signal::FollowUp, || {
                    format!("Follow-up due: {}", f.title)
                });
                action.get_or_insert(Action::DoFollowUp);
            }
        }
    }

    // Goals behind pace, and new people for goals about meeting them.
    for g in &c.goals {
        if g.about_new_people && c.interaction_count == 0 {
            tally.add(w.goal_new, Signal::Goal, || {
                format!("Someone new for “{}”", g.title)
            });
        } else if g.behind {
            tally.add(w.goal_behind, Signal::Goal, || {
                format!(
                    "Counts toward “{}”: {} of {}, behind pace",
                    g.title, g.count, g.target
                )
            });
        }
    }

    // Their events coming up: invite them (one reason per event, points once).
    if let Some(first) = c.events.iter().min_by_key(|e| e.on) {
        tally.add(w.event_invite, Signal::Event, || {
            format!(
                "{} {}: invite them",
                first.title,
                day_words(first.on, today)
            )
        });
        action.get_or_insert(Action::InviteToEvent);
    }

    // Birthday in the next days.
    if let Some(next) = c.birthday.and_then(|b| next_birthday(b, today)) {
        let days = (next - today).num_days();
        if days == 0 {
            tally.add(w.birthday, Signal::Birthday, || "Birthday today".into());
            action = Some(Action::WishHappyBirthday);
        } else if days <= Weights::BIRTHDAY_DAYS {
            tally.add(w.birthday / 2.0, Signal::Birthday, || {
                format!("Birthday on {}", next.format("%A"))
            });
        }
    }

    // A strong tie gone quiet.
    if c.interaction_count >= Weights::DORMANT_MIN_INTERACTIONS
        && days_since >= Weights::DORMANT_DAYS
    {
        tally.add(w.dormant, Signal::Dormant, || {
            format!(
                "Quiet for {} months after {} conversations",
                days_since / 30,
                c.interaction_count
            )
        });
    }

    // Just seen: let them be, unless something is owed.
    let recent = c
        .last_touch_at
        .is_some_and(|t| now - t < Duration::days(Weights::RECENT_DAYS));
    if recent {
        tally.score -= w.recent_penalty;
    }

    if tally.score < Weights::THRESHOLD {
        return None;
    }
    tally.score += w.circle * circle_rank(c.circle);
    tally.score = (tally.score * 100.0).round() / 100.0;

    // How: the situation first, then the channel they like, then the closeness.
    let mut action = action.unwrap_or(match c.last_kind {
        Some((InteractionKind::Intro, Some(Direction::Inbound))) => Action::SayThanks,
        _ => match c.preferred_channel {
            Some(Channel::Call) => Action::Call,
            Some(Channel::Video) => Action::VideoCall,
            Some(Channel::Email) => Action::Email,
            Some(Channel::Message) => Action::Message,
            Some(Channel::InPerson) => Action::InviteForCoffee,
            None => match c.circle {
                Circle::Inner | Circle::Close => Action::Call,
                Circle::Network => Action::AskHowTheyAre,
                Circle::Acquaintance => Action::ShareArticle,
            },
        },
    });
    // Calls only in their daytime.
    if let Some(tz) = c.time_zone {
        let local = now.with_timezone(&tz);
        tally.add(0.0, Signal::LocalTime, || {
            format!("It is {} for them now", local.format("%H:%M"))
        });
        let (from, to) = Weights::DAYTIME;
        let daytime = (from..to).contains(&local.hour());
        if !daytime && matches!(action, Action::Call | Action::VideoCall) {
            action = Action::Message;
        }
    }
    Some((tally, action))
}

/// The order of suggestions: highest score first; ties by name, then id, so the order never
/// depends on the order of the input.
pub fn order(a: &Suggestion, b: &Suggestion) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        .then_with(|| a.contact_id.cmp(&b.contact_id))
}

/// The ranked suggestions, in [`order`].
pub fn rank(candidates: &[Candidate], user_tz: Tz, now: DateTime<Utc>) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = candidates
        .iter()
        .filter_map(|c| score(c, user_tz, now, &Weights::DEFAULT))
        .collect();
    out.sort_by(order);
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    const UTC: Tz = chrono_tz::UTC;

    fn now() -> DateTime<Utc> {
        // Monday 23 November 2026, 10:15 UTC.
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 15, 0).unwrap()
    }

    fn days_ago(d: i64) -> DateTime<Utc> {
        now() - Duration::days(d)
    }

    fn person(id: i64, name: &str) -> Candidate {
        Candidate {
            id,
            name: name.into(),
            circle: Circle::Network,
            cadence_days: 30,
            created_at: days_ago(400),
            last_touch_at: Some(days_ago(10)),
            last_kind: Some((InteractionKind::Call, Some(Direction::Outbound))),
            interaction_count: 2,
            preferred_channel: None,
            time_zone: None,
            birthday: None,
            follow_ups: Vec::new(),
            goals: Vec::new(),
            events: Vec::new(),
            hidden_until: None,
        }
    }

    fn names(s: &[Suggestion]) -> Vec<&str> {
        s.iter().map(|s| s.name.as_str()).collect()
    }

    fn texts(s: &Suggestion) -> Vec<&str> {
        s.reasons.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn cadence_due_and_overdue_rise_with_time() {
        let fresh = person(1, "Fresh");
        let due = Candidate {
            last_touch_at: Some(days_ago(30)),
            ..person(2, "Due")
        };
        let late = Candidate {
            last_touch_at: Some(days_ago(42)),
            ..person(3, "Late")
        };
        let ranked = rank(&[fresh, due, late], UTC, now());
        assert_eq!(names(&ranked), ["Late", "Due"]);
        assert_eq!(texts(&ranked[0]), ["Overdue by 12 days (every 30 days)"]);
        assert_eq!(texts(&ranked[1]), ["Due today (every 30 days)"]);
        assert!(ranked[0].score > ranked[1].score);
    }

    #[test]
    fn follow_ups_late_or_soon_make_someone_a_suggestion() {
        let late = Candidate {
            follow_ups: vec![FollowUpSignal {
                title: "send the article you promised".into(),
                due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
                done_unreported: false,
            }],
            ..person(1, "Late homework")
        };
        let soon = Candidate {
            follow_ups: vec![FollowUpSignal {
                title: "book the workshop room".into(),
                due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
                done_unreported: false,
            }],
            ..person(2, "Soon homework")
        };
        let ranked = rank(&[soon, late], UTC, now());
        assert_eq!(names(&ranked), ["Late homework", "Soon homework"]);
        assert_eq!(
            texts(&ranked[0]),
            ["Follow-up overdue: send the article you promised"]
        );
        assert_eq!(ranked[0].action, Action::DoFollowUp);
        assert_eq!(texts(&ranked[1]), ["Follow-up due: book the workshop room"]);
    }

    #[test]
    fn finished_homework_not_yet_told_suggests_reporting_back() {
        let c = Candidate {
            follow_ups: vec![FollowUpSignal {
                title: "read the book she recommended".into(),
                due_on: None,
                done_unreported: true,
            }],
            ..person(1, "Priya")
        };
        let ranked = rank(&[c], UTC, now());
        assert_eq!(ranked[0].action, Action::ReportBack);
        assert_eq!(
            texts(&ranked[0]),
            ["You finished “read the book she recommended”: tell them"]
        );
    }

    #[test]
    fn goals_behind_pace_and_new_people_for_meeting_goals() {
        let goal = |about_new_people, behind| GoalSignal {
            title: "Reconnect with former colleagues".into(),
            count: 3,
            target: 10,
            behind,
            about_new_people,
        };
        let behind = Candidate {
            goals: vec![goal(false, true)],
            ..person(1, "Colleague")
        };
        let on_pace = Candidate {
            goals: vec![goal(false, false)],
            ..person(2, "On pace")
        };
        let stranger = Candidate {
            interaction_count: 0,
            last_touch_at: None,
            created_at: days_ago(1),
            goals: vec![goal(true, true)],
            ..person(3, "Stranger")
        };
        let ranked = rank(&[behind, on_pace, stranger], UTC, now());
        assert_eq!(names(&ranked), ["Colleague"]);
        assert_eq!(
            texts(&ranked[0]),
            ["Counts toward “Reconnect with former colleagues”: 3 of 10, behind pace"]
        );
        // Being new alone (4 points) stays under the threshold (5); new and in the audience
        // of a second goal that is behind pace makes a suggestion.
        let keen = Candidate {
            interaction_count: 0,
            last_touch_at: None,
            created_at: days_ago(1),
            goals: vec![goal(true, true), goal(false, true)],
            ..person(4, "Newcomer")
        };
        let ranked = rank(&[keen], UTC, now());
        assert_eq!(
            texts(&ranked[0])[0],
            "Someone new for “Reconnect with former colleagues”"
        );
    }

    #[test]
    fn birthdays_this_week_and_today() {
        let friday = Candidate {
            birthday: Some(Birthday {
                month: 11,
                day: 27,
                year: None,
            }),
            ..person(1, "Friday")
        };
        let today = Candidate {
            birthday: Some(Birthday {
                month: 11,
                day: 23,
                year: Some(1990),
            }),
            ..person(2, "Today")
        };
        let ranked = rank(&[friday, today], UTC, now());
        assert_eq!(names(&ranked), ["Today", "Friday"]);
        assert_eq!(ranked[0].action, Action::WishHappyBirthday);
        assert_eq!(texts(&ranked[1]), ["Birthday on Friday"]);
        // 29 February is celebrated on 1 March in other years.
        let leap = Birthday {
            month: 2,
            day: 29,
            year: None,
        };
        assert_eq!(
            next_birthday(leap, NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()),
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
    }

    #[test]
    fn dormant_strong_ties_resurface() {
        let c = Candidate {
            cadence_days: 365,
            interaction_count: 12,
            last_touch_at: Some(days_ago(250)),
            ..person(1, "Old friend")
        };
        let ranked = rank(&[c], UTC, now());
        assert_eq!(
            texts(&ranked[0]),
            ["Quiet for 8 months after 12 conversations"]
        );
    }

    #[test]
    fn closer_circles_win_ties() {
        let a = Candidate {
            circle: Circle::Acquaintance,
            last_touch_at: Some(days_ago(30)),
            ..person(1, "Aaron")
        };
        let b = Candidate {
            circle: Circle::Inner,
            last_touch_at: Some(days_ago(30)),
            ..person(2, "Zoe")
        };
        assert_eq!(names(&rank(&[a, b], UTC, now())), ["Zoe", "Aaron"]);
    }

    #[test]
    fn calls_only_in_their_daytime_and_their_time_is_a_reason() {
        let tokyo = Candidate {
            preferred_channel: Some(Channel::Call),
            time_zone: Some(chrono_tz::Asia::Tokyo), // 19:15 there: still daytime
            last_touch_at: Some(days_ago(31)),
            ..person(1, "Kenji")
        };
        let honolulu = Candidate {
            preferred_channel: Some(Channel::Call),
            time_zone: Some(chrono_tz::Pacific::Honolulu), // 00:15 there
            last_touch_at: Some(days_ago(31)),
            ..person(2, "Leilani")
        };
        let ranked = rank(&[tokyo, honolulu], UTC, now());
        let by_name = |n: &str| ranked.iter().find(|s| s.name == n).unwrap();
        assert_eq!(by_name("Kenji").action, Action::Call);
        assert!(texts(by_name("Kenji")).contains(&"It is 19:15 for them now"));
        assert_eq!(by_name("Leilani").action, Action::Message);
        assert!(texts(by_name("Leilani")).contains(&"It is 00:15 for them now"));
    }

    #[test]
    fn a_contact_thirteen_hours_ahead_gets_a_message_at_their_night_and_a_call_at_their_morning() {
        // The user in Lisbon (UTC+0 in November), the contact in Auckland (UTC+13, NZDT).
        let lisbon: Tz = chrono_tz::Europe::Lisbon;
        let kiri = Candidate {
            preferred_channel: Some(Channel::Call),
            time_zone: Some(chrono_tz::Pacific::Auckland),
            last_touch_at: Some(days_ago(40)),
            ..person(1, "Kiri")
        };
        let at = |h| {
            let s = rank(
                std::slice::from_ref(&kiri),
                lisbon,
                now() + Duration::hours(h),
            )
            .remove(0);
            (s.action, texts(&s).last().map(|t| t.to_string()))
        };
        // 10:15 in Lisbon is 23:15 in Auckland; 20:15 is 09:15 the next day there.
        assert_eq!(
            at(0),
            (Action::Message, Some("It is 23:15 for them now".into()))
        );
        assert_eq!(
            at(10),
            (Action::Call, Some("It is 09:15 for them now".into()))
        );
    }

    #[test]
    fn actions_follow_the_situation_and_the_channel() {
        let due = |id, name: &str| Candidate {
            last_touch_at: Some(days_ago(31)),
            ..person(id, name)
        };
        let intro = Candidate {
            last_kind: Some((InteractionKind::Intro, Some(Direction::Inbound))),
            ..due(1, "Introducer")
        };
        let coffee = Candidate {
            preferred_channel: Some(Channel::InPerson),
            ..due(2, "Coffee")
        };
        let email = Candidate {
            preferred_channel: Some(Channel::Email),
            ..due(3, "Email")
        };
        let network = due(4, "Network");
        let acquaintance = Candidate {
            circle: Circle::Acquaintance,
            ..due(5, "Acq")
        };
        let close = Candidate {
            circle: Circle::Close,
            ..due(6, "Close")
        };
        let ranked = rank(
            &[intro, coffee, email, network, acquaintance, close],
            UTC,
            now(),
        );
        let action = |n: &str| ranked.iter().find(|s| s.name == n).unwrap().action;
        assert_eq!(action("Introducer"), Action::SayThanks);
        assert_eq!(action("Coffee"), Action::InviteForCoffee);
        assert_eq!(action("Email"), Action::Email);
        assert_eq!(action("Network"), Action::AskHowTheyAre);
        assert_eq!(action("Acq"), Action::ShareArticle);
        assert_eq!(action("Close"), Action::Call);
    }

    #[test]
    fn penalties_snoozed_dismissed_and_recently_touched() {
        let due = |id, name: &str| Candidate {
            last_touch_at: Some(days_ago(40)),
            ..person(id, name)
        };
        let snoozed = Candidate {
            hidden_until: Some(now() + Duration::days(1)),
            ..due(1, "Snoozed")
        };
        let woke = Candidate {
            hidden_until: Some(now() - Duration::minutes(1)),
            ..due(2, "Woke")
        };
        let just_seen = Candidate {
            last_touch_at: Some(now() - Duration::hours(5)),
            follow_ups: vec![FollowUpSignal {
                title: "send slides".into(),
                due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
                done_unreported: false,
            }],
            ..person(3, "Just seen")
        };
        assert_eq!(
            names(&rank(&[snoozed, woke, just_seen], UTC, now())),
            ["Woke"]
        );
    }

    #[test]
    fn an_event_coming_up_turns_a_due_touch_into_an_invitation() {
        let meetup = || EventSignal {
            title: "Rust Lisbon meetup".into(),
            on: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        };
        let due = Candidate {
            last_touch_at: Some(days_ago(31)),
            events: vec![
                EventSignal {
                    title: "RustConf".into(),
                    on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
                },
                meetup(),
            ],
            ..person(1, "Due member")
        };
        let not_due = Candidate {
            events: vec![meetup()],
            ..person(2, "Seen lately")
        };
        let owed = Candidate {
            last_touch_at: Some(days_ago(31)),
            events: vec![meetup()],
            follow_ups: vec![FollowUpSignal {
                title: "send the slides".into(),
                due_on: NaiveDate::from_ymd_opt(2026, 11, 20),
                done_unreported: false,
            }],
            ..person(3, "Owed slides")
        };
        let plain = Candidate {
            last_touch_at: Some(days_ago(31)),
            ..person(4, "Plain")
        };
        let ranked = rank(&[due, not_due, owed, plain], UTC, now());
        // Alone, an event is not enough to suggest someone; with a reason, it adds to it.
        assert_eq!(names(&ranked), ["Owed slides", "Due member", "Plain"]);
        assert_eq!(ranked[1].action, Action::InviteToEvent);
        assert_eq!(
            texts(&ranked[1]),
            [
                "Overdue by 1 days (every 30 days)",
                "Rust Lisbon meetup tomorrow: invite them"
            ]
        );
        // A promise comes first; the event is still a reason.
        assert_eq!(ranked[0].action, Action::DoFollowUp);
        assert!(texts(&ranked[0]).contains(&"Rust Lisbon meetup tomorrow: invite them"));
        assert_eq!(ranked[2].action, Action::AskHowTheyAre);
        assert_eq!(
            day_words(
                NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
                now().date_naive()
            ),
            "on 4 December"
        );
    }

    #[test]
    fn lateness_rises_ever_more_slowly_past_three_cadences() {
        let w = Weights::DEFAULT;
        assert_eq!(cadence_points(0.99, &w), 0.0);
        assert_eq!(cadence_points(1.0, &w), 10.0);
        assert_eq!(cadence_points(3.0, &w), 30.0);
        assert!(
            (cadence_points(3.000_001, &w) - 30.0).abs() < 1e-4,
            "continuous"
        );
        assert_eq!(cadence_points(6.0, &w), 35.0);
        let mut last = 0.0;
        for tenth in 10..2_000 {
            let p = cadence_points(f64::from(tenth) / 10.0, &w);
            assert!(p > last && p < 40.0, "{tenth}: {p}");
            last = p;
        }
        // So two people years overdue are still told apart by how late they are.
        let years = Candidate {
            last_touch_at: Some(days_ago(3 * 365)),
            ..person(1, "Three years")
        };
        let months = Candidate {
            last_touch_at: Some(days_ago(120)),
            ..person(2, "Four months")
        };
        assert_eq!(
            names(&rank(&[months, years], UTC, now())),
            ["Three years", "Four months"]
        );
    }

    #[test]
    fn the_users_day_and_their_daytime_follow_daylight_saving() {
        let berlin: Tz = chrono_tz::Europe::Berlin;
        let new_york = chrono_tz::America::New_York;
        let spring = Candidate {
            birthday: Some(Birthday {
                month: 3,
                day: 29,
                year: None,
            }),
            follow_ups: vec![FollowUpSignal {
                title: "send the deck".into(),
                due_on: NaiveDate::from_ymd_opt(2026, 3, 28),
                done_unreported: false,
            }],
            preferred_channel: Some(Channel::Call),
            time_zone: Some(new_york),
            last_touch_at: Some(Utc.with_ymd_and_hms(2026, 3, 20, 12, 0, 0).unwrap()),
            ..person(1, "Sam")
        };
        // 23:30 UTC on 28 March is already 29 March in Berlin (00:30 CET): birthday today,
        // and the follow-up due on the 28th is late.
        let night = Utc.with_ymd_and_hms(2026, 3, 28, 23, 30, 0).unwrap();
        let s = &rank(std::slice::from_ref(&spring), berlin, night)[0];
        assert!(texts(s).contains(&"Birthday today"), "{:?}", texts(s));
        assert!(texts(s).contains(&"Follow-up overdue: send the deck"));
        // Berlin moves to CEST at 01:00 UTC on 29 March: 22:30 UTC is 00:30 on the 30th.
        let next_night = Utc.with_ymd_and_hms(2026, 3, 29, 22, 30, 0).unwrap();
        let s = &rank(std::slice::from_ref(&spring), berlin, next_night)[0];
        assert!(!texts(s).iter().any(|t| t.starts_with("Birthday")));
        // New York springs forward on 8 March: 13:30 UTC is 08:30 EST the day before (too
        // early to call) but 09:30 EDT that day.
        let call = |at: DateTime<Utc>| {
            let c = Candidate {
                birthday: None,
                follow_ups: Vec::new(),
                last_touch_at: Some(at - Duration::days(40)),
                ..spring.clone()
            };
            let s = rank(&[c], berlin, at).remove(0);
            (s.action, texts(&s).last().map(|t| t.to_string()))
        };
        assert_eq!(
            call(Utc.with_ymd_and_hms(2026, 3, 7, 13, 30, 0).unwrap()),
            (Action::Message, Some("It is 08:30 for them now".into()))
        );
        assert_eq!(
            call(Utc.with_ymd_and_hms(2026, 3, 8, 13, 30, 0).unwrap()),
            (Action::Call, Some("It is 09:30 for them now".into()))
        );
    }

    fn any_candidate() -> impl Strategy<Value = Candidate> {
        (
            0..4usize,
            prop::sample::select(vec![7u32, 14, 30, 90, 180]),
            prop::option::of(0..400i64),
            0..500i64,
            prop::option::of((1..=12u32, 1..=28u32)),
            prop::option::of((-10..10i64, any::<bool>())),
            prop::sample::select(vec!["Ana", "ana", "Bo", "Zoë", "Émile"]),
            0..12u32,
        )
            .prop_map(
                |(circle, cadence, touched, created, birthday, follow_up, name, count)| Candidate {
                    circle: Circle::ALL[circle],
                    cadence_days: cadence,
                    created_at: days_ago(created),
                    last_touch_at: touched.map(days_ago),
                    interaction_count: if touched.is_some() { count.max(1) } else { 0 },
                    birthday: birthday.map(|(month, day)| Birthday {
                        month,
                        day,
                        year: None,
                    }),
                    follow_ups: follow_up
                        .map(|(due, done)| FollowUpSignal {
                            title: "homework".into(),
                            due_on: Some(now().date_naive() + Duration::days(due)),
                            done_unreported: done,
                        })
                        .into_iter()
                        .collect(),
                    ..person(0, name)
                },
            )
    }

    proptest! {
        #[test]
        fn ranking_is_stable_under_insertion_order(
            (people, shuffled) in prop::collection::vec(any_candidate(), 0..40)
                .prop_map(|people| {
                    people.into_iter().enumerate()
                        .map(|(i, c)| Candidate { id: i as i64 + 1, ..c })
                        .collect::<Vec<_>>()
                })
                .prop_flat_map(|people| (Just(people.clone()), Just(people).prop_shuffle()))
        ) {
            let forward = rank(&people, UTC, now());
            prop_assert_eq!(&forward, &rank(&shuffled, UTC, now()));
            // And the order is the documented one.
            for pair in forward.windows(2) {
                prop_assert_ne!(order(&pair[0], &pair[1]), Ordering::Greater);
            }
        }
    }
}
