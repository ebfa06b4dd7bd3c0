//! "Today": who to reach out to now, why, and how (PRODUCT.md §3). A pure, deterministic
//! ranking over plain data the store loads ([`Candidate`]) and a `now`; it never runs SQL.
//! Every signal adds points and a human reason; the weights live in [`Weights`], each with
//! the reason for its size.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, NaiveDate, Offset, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cadence::{calendar_days, days_words, due_state_after, local_day, DueState};
use crate::history::{Direction, InteractionKind};
use crate::model::{Birthday, Channel, Circle};

mod weights;
pub use weights::Weights;

/// An open or recently completed follow-up, as the ranking needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpSignal {
    /// The follow-up's id, so a suggestion can name the one it is owed for.
    pub id: i64,
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
    /// A goal to reconnect: it lifts no one touched in the last
    /// [`Weights::RECONNECT_AFTER_DAYS`] days.
    pub reconnect: bool,
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
    /// The cadence in force; `None` when none applies yet (imported connections only).
    pub cadence_days: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub last_touch_at: Option<DateTime<Utc>>,
    /// The kind and direction of the latest interaction, if any.
    pub last_kind: Option<TouchKind>,
    /// How many interactions the contact has had, imported connections aside. The ranking
    /// only asks, after [`Weights::DORMANT_DAYS`] of silence, whether it reaches
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

    /// The action in words, as Today's cards say it (`actions` in `ui/src/lib/format.ts`,
    /// which a test keeps the same): "Do what you promised".
    pub fn label(self) -> &'static str {
        match self {
            Action::Call => "Call",
            Action::VideoCall => "Video call",
            Action::Email => "Send an email",
            Action::Message => "Send a message",
            Action::InviteForCoffee => "Invite for a coffee",
            Action::ShareArticle => "Share an article",
            Action::SayThanks => "Say thanks",
            Action::AskHowTheyAre => "Ask how they are",
            Action::ReportBack => "Report back on your homework",
            Action::DoFollowUp => "Do what you promised",
            Action::WishHappyBirthday => "Wish a happy birthday",
            Action::InviteToEvent => "Invite them to the event",
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
    /// The cut that keeps all that can wait a day under [`Weights::WAIT_CAP`].
    CanWait,
    Circle,
}

/// One line of a suggestion's score: the signal, its points (negative for the recent-touch
/// softening) and why. Together they add up to [`Suggestion::score`] ("Why first?").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Points {
    pub signal: Signal,
    pub points: f64,
    pub reason: String,
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
    /// The kind of touch Done on its card logs ([`Action::logs`]).
    pub logs: InteractionKind,
    pub reasons: Vec<Reason>,
    /// The points behind the score, in the order they were counted.
    pub points: Vec<Points>,
    /// The open follow-up behind the "owed" reason (due today or late; of several, the
    /// latest), so it can be done from Today; `None` when nothing is owed.
    #[ts(type = "number | null")]
    pub follow_up_id: Option<i64>,
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
        let date = crate::calendar::birthday_in(year, b.month, b.day);
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

/// Adds up points — what can only be done today, what is owed but can wait, and routine
/// apart (the recent-touch softening applies to routine points only, the cap of
/// [`Weights::WAIT_CAP`] to all that can wait) — and, when asked, the words and points.
struct Tally {
    today: f64,
    owed: f64,
    routine: f64,
    reasons: Option<Vec<Reason>>,
    points: Vec<Points>,
}

impl Tally {
    fn line(&mut self, points: f64, signal: Signal, text: impl FnOnce() -> String, shown: bool) {
        if let Some(reasons) = &mut self.reasons {
            let text = text();
            if shown {
                reasons.push(Reason {
                    signal,
                    text: text.clone(),
                });
            }
            self.points.push(Points {
                signal,
                points,
                reason: text,
            });
        }
    }

    /// What can only be done today (or is already late): never softened nor capped.
    fn today(&mut self, points: f64, signal: Signal, text: impl FnOnce() -> String) {
        self.today += points;
        self.line(points, signal, text, true);
    }

    /// Something owed that can wait a day: never softened.
    fn owed(&mut self, points: f64, signal: Signal, text: impl FnOnce() -> String) {
        self.owed += points;
        self.line(points, signal, text, true);
    }

    /// A routine reason: softened after a recent touch.
    fn routine(&mut self, points: f64, signal: Signal, text: impl FnOnce() -> String) {
        self.routine += points;
        self.line(points, signal, text, true);
    }

    /// A routine reason whose chip (`chip`) is shorter than its line in "Why first?"
    /// (`why`).
    fn routine_as(
        &mut self,
        points: f64,
        signal: Signal,
        chip: impl FnOnce() -> String,
        why: impl FnOnce() -> String,
    ) {
        self.routine += points;
        if let Some(reasons) = &mut self.reasons {
            reasons.push(Reason {
                signal,
                text: chip(),
            });
        }
        self.line(points, signal, why, false);
    }

    /// A reason worth no points (their local time).
    fn note(&mut self, signal: Signal, text: impl FnOnce() -> String) {
        if let Some(reasons) = &mut self.reasons {
            reasons.push(Reason {
                signal,
                text: text(),
            });
        }
    }

    fn score(&self) -> f64 {
        self.today + self.owed + self.routine
    }
}

/// "today", "tomorrow", "on Tuesday", "next Thursday" (a week from a Thursday, which "on
/// Thursday" would make sound like today) or "on 4 December", for a day from `today`.
fn day_words(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        2..=6 => format!("on {}", day.format("%A")),
        7 => format!("next {}", day.format("%A")),
        _ => format!("on {}", day.format("%-d %B")),
    }
}

/// A goal's title as a chip says it: without a leading "Reconnect with", "Talk to", "Meet"
/// … (the chip already says "Goal"), and at most [`GOAL_CHIP_CHARS`] characters.
fn short_goal_title(title: &str) -> String {
    const LEADS: [&str; 8] = [
        "reconnect with ",
        "catch up with ",
        "get to know ",
        "talk to ",
        "learn from ",
        "meet ",
        "be known across ",
        "show up at ",
    ];
    let title = title.trim();
    let lower = title.to_lowercase();
    let rest = LEADS
        .iter()
        .find(|lead| lower.starts_with(*lead) && lower.len() > lead.len())
        .and_then(|lead| title.get(lead.len()..))
        .unwrap_or(title);
    if rest.chars().count() <= GOAL_CHIP_CHARS {
        rest.to_owned()
    } else {
        let cut: String = rest.chars().take(GOAL_CHIP_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The longest goal title a chip shows whole.
const GOAL_CHIP_CHARS: usize = 28;

/// Scores one candidate; `None` when it should not be suggested at all.
pub fn score(c: &Candidate, user_tz: Tz, now: DateTime<Utc>, w: &Weights) -> Option<Suggestion> {
    let (tally, action) = assess(c, user_tz, now, w, true)?;
    Some(Suggestion {
        contact_id: c.id,
        name: c.name.clone(),
        score: round(tally.score()),
        action,
        logs: action.logs(),
        reasons: tally.reasons.unwrap_or_default(),
        points: tally.points,
        follow_up_id: owed_follow_up(c, local_day(now, user_tz)),
    })
}

/// The open follow-up owed on `today` (due today or late); of several, the latest, and of
/// those due the same day, the first listed.
fn owed_follow_up(c: &Candidate, today: NaiveDate) -> Option<i64> {
    c.follow_ups
        .iter()
        .filter(|f| !f.done_unreported)
        .filter_map(|f| f.due_on.filter(|due| *due <= today).map(|due| (due, f.id)))
        .min_by_key(|(due, _)| *due)
        .map(|(_, id)| id)
}

/// The score alone, as [`score`] computes it but without the words: `None` when the
/// candidate would not be suggested. Cheap enough to run over a whole network.
pub fn points(c: &Candidate, user_tz: Tz, now: DateTime<Utc>, w: &Weights) -> Option<f64> {
    assess(c, user_tz, now, w, false).map(|(tally, _)| round(tally.score()))
}

/// Scores are kept to hundredths, so equal situations tie exactly and names decide.
fn round(score: f64) -> f64 {
    (score * 100.0).round() / 100.0
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
    let today = local_day(now, user_tz);
    let closeness = circle_rank(c.circle);
    let mut tally = Tally {
        today: 0.0,
        owed: 0.0,
        routine: 0.0,
        reasons: explain.then(Vec::new),
        points: Vec::new(),
    };
    let mut action: Option<Action> = None;

    // Cadence: due at 1×, rising beyond; counted in the user's calendar days. Due or
    // overdue as every other screen says it (one rule: `due_state_after`).
    let anchor = c.last_touch_at.unwrap_or(c.created_at);
    let days_since = calendar_days(anchor, now, user_tz);
    if let Some(cadence) = c.cadence_days.filter(|d| *d > 0) {
        let state = due_state_after(days_since, Some(cadence));
        if matches!(state, DueState::Due | DueState::Overdue) {
            let ratio = days_since as f64 / f64::from(cadence);
            let late = days_since - i64::from(cadence);
            tally.routine(cadence_points(ratio, w), Signal::Cadence, || {
                match (state, late) {
                    (DueState::Overdue, _) => format!(
                        "Overdue: was due {} ago (every {cadence} days)",
                        days_words(late)
                    ),
                    (_, 0) => format!("Due today (every {cadence} days)"),
                    _ => format!("Due {} ago (every {cadence} days)", days_words(late)),
                }
            });
        }
    }

    // Follow-ups: late ones (more each day), due today, soon, and homework done but not told.
    for f in &c.follow_ups {
        if f.done_unreported {
            tally.owed(w.report_back, Signal::ReportBack, || {
                format!("You finished “{}”: tell them", f.title)
            });
            action.get_or_insert(Action::ReportBack);
        } else if let Some(due) = f.due_on {
            let days = (due - today).num_days();
            if days < 0 {
                let late = (-days).min(Weights::LATE_DAYS_CAP) as f64;
                let points = w.follow_up_late
                    + w.follow_up_per_day * late
                    + w.follow_up_closeness * closeness;
                tally.today(points, Signal::FollowUp, || {
                    format!("Follow-up {} late: {}", days_words(-days), f.title)
                });
                action.get_or_insert(Action::DoFollowUp);
            } else if days == 0 {
                let points = w.follow_up_today + w.follow_up_closeness * closeness;
                tally.today(points, Signal::FollowUp, || {
                    format!("Follow-up due today: {}", f.title)
                });
                action.get_or_insert(Action::DoFollowUp);
            } else if days <= Weights::SOON_DAYS {
                tally.routine(w.follow_up_soon, Signal::FollowUp, || {
                    format!("Follow-up due {}: {}", day_words(due, today), f.title)
                });
                action.get_or_insert(Action::DoFollowUp);
            }
        }
    }

    // Goals a touch would advance (the store lifts only those): more when behind pace. A
    // reconnect goal skips anyone touched this past week.
    let touched_days_ago = c.last_touch_at.map(|t| calendar_days(t, now, user_tz));
    for g in &c.goals {
        if g.reconnect && touched_days_ago.is_some_and(|d| d < Weights::RECONNECT_AFTER_DAYS) {
            continue;
        }
        let points = if g.behind {
            w.goal_behind
        } else {
            w.goal_on_pace
        };
        tally.routine_as(
            points,
            Signal::Goal,
            || {
                format!(
                    "Goal: {}, {} of {}",
                    short_goal_title(&g.title),
                    g.count.min(g.target),
                    g.target
                )
            },
            || {
                let lead = if g.about_new_people {
                    format!("Someone new for “{}”", g.title)
                } else {
                    format!("Counts toward “{}”", g.title)
                };
                let pace = if g.behind { ", behind pace" } else { "" };
                format!(
                    "{lead}: would make it {} of {}{pace}",
                    g.count.saturating_add(1).min(g.target),
                    g.target
                )
            },
        );
    }

    // Their events coming up: invite them (one reason per event, points once).
    if let Some(first) = c.events.iter().min_by_key(|e| e.on) {
        tally.routine(w.event_invite, Signal::Event, || {
            format!(
                "{} {}: invite them",
                first.title,
                day_words(first.on, today)
            )
        });
        action.get_or_insert(Action::InviteToEvent);
    }

    // Birthday in the next days: today leads for close people, tomorrow beats routine. A
    // touch on the day is the wish: the card does not come back for a second one.
    if let Some(next) = c.birthday.and_then(|b| next_birthday(b, today)) {
        match (next - today).num_days() {
            0 if touched_days_ago == Some(0) => {}
            0 => {
                let points = match c.circle {
                    Circle::Inner | Circle::Close => w.birthday_today_close,
                    Circle::Network | Circle::Acquaintance => w.birthday_today,
                };
                tally.today(points, Signal::Birthday, || "Birthday today".into());
                action = Some(Action::WishHappyBirthday);
            }
            1 => tally.owed(w.birthday_tomorrow, Signal::Birthday, || {
                "Birthday tomorrow".into()
            }),
            days if days <= Weights::BIRTHDAY_DAYS => {
                tally.routine(w.birthday_soon, Signal::Birthday, || {
                    format!("Birthday {}", day_words(next, today))
                })
            }
            _ => {}
        }
    }

    // A strong tie gone quiet.
    if c.interaction_count >= Weights::DORMANT_MIN_INTERACTIONS
        && days_since >= Weights::DORMANT_DAYS
    {
        tally.routine(w.dormant, Signal::Dormant, || {
            format!(
                "Quiet for {} months after {} conversations",
                days_since / 30,
                c.interaction_count
            )
        });
    }

    // Just seen: routine reasons wait; what is owed does not.
    if touched_days_ago.is_some_and(|d| d < Weights::RECENT_DAYS) && tally.routine > 0.0 {
        let softened = tally.routine.min(w.recent_penalty);
        tally.routine -= softened;
        tally.line(
            -softened,
            Signal::Recent,
            || match touched_days_ago {
                Some(0) => "Touched today: routine reasons wait".into(),
                _ => "Touched yesterday: routine reasons wait".into(),
            },
            false,
        );
    }

    // All that can wait a day counts at most so much: it never outranks what can only be
    // done today.
    let waiting = tally.owed + tally.routine;
    if waiting > Weights::WAIT_CAP {
        let cut = waiting - Weights::WAIT_CAP;
        tally.routine -= cut;
        tally.line(
            -cut,
            Signal::CanWait,
            || {
                format!(
                    "All that can wait a day counts at most {}",
                    Weights::WAIT_CAP
                )
            },
            false,
        );
    }

    if tally.score() < Weights::THRESHOLD {
        return None;
    }
    if closeness > 0.0 {
        tally.today += w.circle * closeness;
        tally.line(
            w.circle * closeness,
            Signal::Circle,
            || format!("{} circle", circle_name(c.circle)),
            false,
        );
    }

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
    // Calls only in their daytime; their time is said only when it is not the user's.
    if let Some(tz) = c.time_zone {
        let local = now.with_timezone(&tz);
        let (from, to) = Weights::DAYTIME;
        let daytime = (from..to).contains(&local.hour());
        let call = matches!(action, Action::Call | Action::VideoCall);
        if !daytime && call {
            action = Action::Message;
        }
        let offset = local.offset().fix().local_minus_utc();
        let users = now.with_timezone(&user_tz).offset().fix().local_minus_utc();
        if offset != users {
            tally.note(Signal::LocalTime, || {
                let time = local.format("%H:%M");
                match (daytime, call) {
                    (true, _) => format!("{time} there"),
                    (false, true) => format!("{time} there — message instead"),
                    (false, false) => format!("{time} there — outside their day"),
                }
            });
        }
    }
    Some((tally, action))
}

fn circle_name(circle: Circle) -> &'static str {
    match circle {
        Circle::Inner => "Inner",
        Circle::Close => "Close",
        Circle::Network => "Network",
        Circle::Acquaintance => "Acquaintance",
    }
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

mod logs;
#[cfg(test)]
mod tests;
