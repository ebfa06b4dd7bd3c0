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
    /// Per cadence elapsed, from 1× on (so due = 10, twice the cadence = 20), capped at 3×:
    /// being due is the backbone of the list.
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
        recent_penalty: 15.0,
    };
    /// "Soon" for a follow-up due date, in days.
    pub const SOON_DAYS: i64 = 3;
    /// "Recently touched", in days.
    pub const RECENT_DAYS: i64 = 2;
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

/// Scores one candidate; `None` when it should not be suggested at all.
pub fn score(c: &Candidate, user_tz: Tz, now: DateTime<Utc>, w: &Weights) -> Option<Suggestion> {
    if c.hidden_until.is_some_and(|until| until > now) {
        return None;
    }
    let today = now.with_timezone(&user_tz).date_naive();
    let mut score = 0.0;
    let mut reasons: Vec<Reason> = Vec::new();
    let mut action: Option<Action> = None;
    let mut reason = |signal: Signal, text: String| reasons.push(Reason { signal, text });

    // Cadence: due at 1×, rising beyond.
    let since = now - c.last_touch_at.unwrap_or(c.created_at);
    let days_since = since.num_days();
    let ratio = since.num_seconds() as f64 / (f64::from(c.cadence_days) * 86_400.0);
    if ratio >= 1.0 {
        score += w.cadence * ratio.min(3.0);
        let late = days_since - i64::from(c.cadence_days);
        reason(
            Signal::Cadence,
            if late <= 0 {
                format!("Due today (every {} days)", c.cadence_days)
            } else {
                format!("Overdue by {late} days (every {} days)", c.cadence_days)
            },
        );
    }

    // Follow-ups: late ones, soon ones, and homework done but not told.
    for f in &c.follow_ups {
        if f.done_unreported {
            score += w.report_back;
            reason(
                Signal::ReportBack,
                format!("You finished “{}”: tell them", f.title),
            );
            action.get_or_insert(Action::ReportBack);
        } else if let Some(due) = f.due_on {
            let days = (due - today).num_days();
            if days < 0 {
                score += w.follow_up_overdue;
                reason(Signal::FollowUp, format!("Follow-up overdue: {}", f.title));
                action.get_or_insert(Action::DoFollowUp);
            } else if days <= Weights::SOON_DAYS {
                score += w.follow_up_soon;
                reason(Signal::FollowUp, format!("Follow-up due: {}", f.title));
                action.get_or_insert(Action::DoFollowUp);
            }
        }
    }

    // Goals behind pace, and new people for goals about meeting them.
    for g in &c.goals {
        if g.about_new_people && c.interaction_count == 0 {
            score += w.goal_new;
            reason(Signal::Goal, format!("Someone new for “{}”", g.title));
        } else if g.behind {
            score += w.goal_behind;
            reason(
                Signal::Goal,
                format!(
                    "Counts toward “{}”: {} of {}, behind pace",
                    g.title, g.count, g.target
                ),
            );
        }
    }

    // Birthday in the next days.
    if let Some(next) = c.birthday.and_then(|b| next_birthday(b, today)) {
        let days = (next - today).num_days();
        if days == 0 {
            score += w.birthday;
            reason(Signal::Birthday, "Birthday today".into());
            action = Some(Action::WishHappyBirthday);
        } else if days <= Weights::BIRTHDAY_DAYS {
            score += w.birthday / 2.0;
            reason(
                Signal::Birthday,
                format!("Birthday on {}", next.format("%A")),
            );
        }
    }

    // A strong tie gone quiet.
    if c.interaction_count >= Weights::DORMANT_MIN_INTERACTIONS
        && days_since >= Weights::DORMANT_DAYS
    {
        score += w.dormant;
        reason(
            Signal::Dormant,
            format!(
                "Quiet for {} months after {} conversations",
                days_since / 30,
                c.interaction_count
            ),
        );
    }

    // Just seen: let them be, unless something is owed.
    let recent = c
        .last_touch_at
        .is_some_and(|t| now - t < Duration::days(Weights::RECENT_DAYS));
    if recent {
        score -= w.recent_penalty;
    }

    if score < Weights::THRESHOLD {
        return None;
    }
    score += w.circle * circle_rank(c.circle);

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
        reason(
            Signal::LocalTime,
            format!("It is {} for them now", local.format("%H:%M")),
        );
        let (from, to) = Weights::DAYTIME;
        let daytime = (from..to).contains(&local.hour());
        if !daytime && matches!(action, Action::Call | Action::VideoCall) {
            action = Action::Message;
        }
    }

    Some(Suggestion {
        contact_id: c.id,
        name: c.name.clone(),
        score: (score * 100.0).round() / 100.0,
        action,
        reasons,
    })
}

/// The ranked suggestions: highest score first; ties by name, then id, so the order never
/// depends on the order of the input.
pub fn rank(candidates: &[Candidate], user_tz: Tz, now: DateTime<Utc>) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = candidates
        .iter()
        .filter_map(|c| score(c, user_tz, now, &Weights::DEFAULT))
        .collect();
    out.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.contact_id.cmp(&b.contact_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

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
    fn ranking_is_stable_under_insertion_order() {
        let people: Vec<Candidate> = (0..40)
            .map(|i| Candidate {
                last_touch_at: Some(days_ago(25 + (i % 7) * 3)),
                circle: [
                    Circle::Inner,
                    Circle::Close,
                    Circle::Network,
                    Circle::Acquaintance,
                ][(i % 4) as usize],
                ..person(i, &format!("Person {}", i % 9))
            })
            .collect();
        let forward = rank(&people, UTC, now());
        let mut reversed = people.clone();
        reversed.reverse();
        assert_eq!(forward, rank(&reversed, UTC, now()));
        // A deterministic shuffle too.
        let mut shuffled = people;
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, (i * 7 + 3) % (i + 1));
        }
        assert_eq!(forward, rank(&shuffled, UTC, now()));
        assert!(!forward.is_empty());
    }
}
