//! Personal networking goals (PRODUCT.md §4): what a goal is, and how far along it is —
//! progress in the current period, what was expected by now, the pace, the streak of periods
//! met and a per-period history. Pure functions over a goal, the activity the store loaded
//! for its audience, the user's time zone and a `now`; they never run SQL.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::local_midnight;
use crate::history::InteractionKind;
use crate::model::Circle;
use crate::{Error, Result};

/// Most periods shown in a goal's history chart.
pub const HISTORY_PERIODS: usize = 12;
/// Largest target a goal may set.
pub const MAX_TARGET: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum GoalKind {
    SecureRole,
    BuildSkill,
    ChangeField,
    ReconnectColleagues,
    GrowVisibility,
    AttendEvents,
    Custom,
}

/// What a goal counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Metric {
    /// Every interaction with someone in the audience.
    InteractionsLogged,
    /// Each person in the audience once per period.
    DistinctContactsReached,
    /// People whose first interaction ever falls in the period.
    NewContactsMet,
    /// Interactions of kind "event".
    EventsAttended,
    /// Follow-ups completed for people in the audience.
    FollowUpsCompleted,
}

/// The rhythm of a goal: a target every week, every month, or once by a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Period {
    Weekly,
    Monthly,
    ByDeadline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum GoalStatus {
    Active,
    Paused,
    Achieved,
    Abandoned,
}

/// Who counts toward a goal: contacts with any of these tags, at any of these companies, in
/// any of these circles, or picked by hand. Empty means everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Audience {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub companies: Vec<String>,
    #[serde(default)]
    pub circles: Vec<Circle>,
    #[serde(default)]
    #[ts(type = "Array<number>")]
    pub contact_ids: Vec<i64>,
}

impl Audience {
    pub fn is_everyone(&self) -> bool {
        self.tags.is_empty()
            && self.companies.is_empty()
            && self.circles.is_empty()
            && self.contact_ids.is_empty()
    }
}

/// Who an audience holds now, as the goal form says while it is filled in: how many active
/// people, the tags it names that nobody has (a typo there would count nobody), and every
/// tag there is, for suggestions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AudienceCheck {
    pub people: u32,
    pub tags_with_nobody: Vec<String>,
    pub tags: Vec<AudienceTag>,
}

/// A tag, and how many active people have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AudienceTag {
    pub name: String,
    pub people: u32,
}

/// What the goal form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct GoalInput {
    pub kind: GoalKind,
    pub title: String,
    #[serde(default)]
    pub why: String,
    pub metric: Metric,
    pub target: u32,
    pub period: Period,
    /// The last day counted, for [`Period::ByDeadline`] goals.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub deadline: Option<NaiveDate>,
    #[serde(default)]
    pub audience: Audience,
    pub start_date: NaiveDate,
    pub status: GoalStatus,
}

impl GoalInput {
    pub fn validated(mut self) -> Result<GoalInput> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(Error::invalid("title", "Give your goal a name."));
        }
        if title.chars().count() > 200 || title.chars().any(char::is_control) {
            return Err(Error::invalid(
                "title",
                "Keep the name on one line, under 200 characters.",
            ));
        }
        self.title = title.to_owned();
        self.why = self.why.trim().to_owned();
        if self.why.chars().count() > 2_000 {
            return Err(Error::invalid(
                "why",
                "Keep the reason under 2,000 characters.",
            ));
        }
        if !(1..=MAX_TARGET).contains(&self.target) {
            return Err(Error::invalid(
                "target",
                format!("Aim for 1 to {MAX_TARGET}."),
            ));
        }
        if !(2000..=2200).contains(&self.start_date.year()) {
            return Err(Error::invalid(
                "startDate",
                "That start date is out of range.",
            ));
        }
        match (self.period, self.deadline) {
            (Period::ByDeadline, None) => {
                return Err(Error::invalid(
                    "deadline",
                    "Choose the date to reach it by.",
                ))
            }
            (Period::ByDeadline, Some(deadline)) if deadline < self.start_date => {
                return Err(Error::invalid(
                    "deadline",
                    "The deadline is before the start date.",
                ))
            }
            (Period::ByDeadline, Some(deadline)) if deadline.year() > 2200 => {
                return Err(Error::invalid("deadline", "That deadline is out of range."))
            }
            (Period::Weekly | Period::Monthly, _) => self.deadline = None,
            _ => {}
        }
        let tidy = |list: &mut Vec<String>| {
            let mut seen = HashSet::new();
            list.retain_mut(|t| {
                *t = t.trim().to_owned();
                !t.is_empty() && seen.insert(t.to_lowercase())
            });
        };
        tidy(&mut self.audience.tags);
        tidy(&mut self.audience.companies);
        self.audience.circles.sort_by_key(|c| c.as_str());
        self.audience.circles.dedup();
        self.audience.contact_ids.sort_unstable();
        self.audience.contact_ids.dedup();
        Ok(self)
    }

    /// A new goal of `kind` as the goal form offers it: its defaults, counting from the
    /// first day of the period that holds `today` (see [`first_day`]), so a monthly goal
    /// made on the 3rd counts the touches of the 1st and the 2nd.
    pub fn offered(kind: GoalKind, today: NaiveDate, week_start: Weekday) -> GoalInput {
        let mut goal = GoalInput::template(kind, today);
        goal.start_date = first_day(goal.period, week_start, today);
        goal
    }

    /// A new goal of `kind` with its sensible defaults, starting on `today`.
    pub fn template(kind: GoalKind, today: NaiveDate) -> GoalInput {
        let (title, metric, target, period, audience) = match kind {
            GoalKind::SecureRole => (
                "Talk to people who can open doors",
                Metric::DistinctContactsReached,
                3,
                Period::Weekly,
                Audience::default(),
            ),
            GoalKind::BuildSkill => (
                "Learn from people who do it well",
                Metric::InteractionsLogged,
                4,
                Period::Monthly,
                Audience::default(),
            ),
            GoalKind::ChangeField => (
                "Meet people in the field I want to join",
                Metric::NewContactsMet,
                4,
                Period::Monthly,
                Audience::default(),
            ),
            GoalKind::ReconnectColleagues => (
                "Reconnect with former colleagues",
                Metric::DistinctContactsReached,
                3,
                Period::Monthly,
                Audience {
                    tags: vec!["former colleague".into()],
                    ..Audience::default()
                },
            ),
            GoalKind::GrowVisibility => (
                "Be known across my organisation",
                Metric::DistinctContactsReached,
                2,
                Period::Weekly,
                Audience::default(),
            ),
            GoalKind::AttendEvents => (
                "Show up at events",
                Metric::EventsAttended,
                2,
                Period::Monthly,
                Audience::default(),
            ),
            GoalKind::Custom => (
                "My networking goal",
                Metric::InteractionsLogged,
                3,
                Period::Weekly,
                Audience::default(),
            ),
        };
        GoalInput {
            kind,
            title: title.into(),
            why: String::new(),
            metric,
            target,
            period,
            deadline: None,
            audience,
            start_date: today,
            status: GoalStatus::Active,
        }
    }
}

/// A goal as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Goal {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: GoalInput,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A goal with where it stands, as the Goals view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GoalView {
    pub goal: Goal,
    pub progress: Progress,
}

/// A goal a contact counts toward, as the contact page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GoalRef {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
}

/// Something that may count toward a goal, as the store loads it for the goal's audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub at: DateTime<Utc>,
    pub contact_id: i64,
    pub what: ActivityKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    /// An interaction (one row per contact it involves).
    Interaction { id: i64, kind: InteractionKind },
    /// The contact's first interaction ever.
    FirstMet,
    /// A follow-up for the contact was completed.
    FollowUpCompleted { id: i64 },
}

/// How the current period is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "state", content = "by")]
#[ts(export)]
pub enum Pace {
    Ahead(u32),
    OnTrack,
    Behind(u32),
    /// The target of the current period is already met.
    Done,
    /// The goal is paused, achieved or abandoned: no pace.
    Inactive,
}

/// One period of a goal and what was counted in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PeriodCount {
    pub start: DateTime<Utc>,
    /// Exclusive.
    pub end: DateTime<Utc>,
    pub count: u32,
    pub met: bool,
}

/// Where a goal stands at `now`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Progress {
    pub current: PeriodCount,
    pub target: u32,
    /// What a steady pace would have reached by now in the current period.
    pub expected: f64,
    pub pace: Pace,
    /// Consecutive periods met, ending with the last finished one (or the current one, once
    /// its target is met).
    pub streak: u32,
    /// The periods so far, oldest first, at most [`HISTORY_PERIODS`].
    pub history: Vec<PeriodCount>,
}

/// The first day of the period that contains `date`.
fn period_start(
    period: Period,
    week_start: Weekday,
    start_date: NaiveDate,
    date: NaiveDate,
) -> NaiveDate {
    match period {
        Period::Weekly => crate::pictures::week_of(week_start, date),
        Period::Monthly => date.with_day(1).unwrap_or(date),
        Period::ByDeadline => start_date,
    }
}

/// Where a new goal of `period` starts counting unless the user picks a date: a weekly
/// goal on the first day of this week (weeks start on `week_start`), a monthly one on the
/// 1st, one by a deadline on `today`.
pub fn first_day(period: Period, week_start: Weekday, today: NaiveDate) -> NaiveDate {
    period_start(period, week_start, today, today)
}

/// The first day after the period that starts on `start`.
fn period_end(period: Period, deadline: Option<NaiveDate>, start: NaiveDate) -> NaiveDate {
    match period {
        Period::Weekly => start + Duration::days(7),
        Period::Monthly => start
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(start + Duration::days(31)),
        Period::ByDeadline => deadline.unwrap_or(start) + Duration::days(1),
    }
}

/// Counts what `metric` counts among `activity` in `[start, end)`.
fn count(metric: Metric, activity: &[Activity], start: DateTime<Utc>, end: DateTime<Utc>) -> u32 {
    let within = activity.iter().filter(|a| a.at >= start && a.at < end);
    let distinct = |ids: &mut dyn Iterator<Item = i64>| ids.collect::<HashSet<_>>().len() as u32;
    match metric {
        Metric::InteractionsLogged => distinct(&mut within.filter_map(|a| match a.what {
            ActivityKind::Interaction { id, .. } => Some(id),
            _ => None,
        })),
        Metric::DistinctContactsReached => distinct(
            &mut within
                .filter(|a| matches!(a.what, ActivityKind::Interaction { .. }))
                .map(|a| a.contact_id),
        ),
        Metric::NewContactsMet => distinct(
            &mut within
                .filter(|a| a.what == ActivityKind::FirstMet)
                .map(|a| a.contact_id),
        ),
        Metric::EventsAttended => distinct(&mut within.filter_map(|a| match a.what {
            ActivityKind::Interaction {
                id,
                kind: InteractionKind::Event,
            } => Some(id),
            _ => None,
        })),
        Metric::FollowUpsCompleted => distinct(&mut within.filter_map(|a| match a.what {
            ActivityKind::FollowUpCompleted { id } => Some(id),
            _ => None,
        })),
    }
}

/// Whether Today should lift the people of `goal` at `now`: it is active, has started,
/// and its current period is not met yet — on pace or behind, from the period's first
/// morning.
pub fn lifts_its_people(goal: &GoalInput, progress: &Progress, today: NaiveDate) -> bool {
    goal.status == GoalStatus::Active
        && today >= goal.start_date
        && !matches!(progress.pace, Pace::Done | Pace::Inactive)
}

/// What a member of a goal's audience is, as far as a touch now would count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// Already counted by this period (an interaction with them in it).
    pub reached: bool,
    /// No touch of their own ever (imported connections aside).
    pub never_met: bool,
    /// Has an open follow-up.
    pub owed_follow_up: bool,
}

/// Whether one touch with `member` now would advance a goal that counts `metric`: every
/// touch counts for interactions; for people reached, only someone not counted yet this
/// period; for new people, someone never met; for follow-ups, someone with one open; an
/// ordinary touch never logs an event.
pub fn touch_advances(metric: Metric, member: Member) -> bool {
    match metric {
        Metric::InteractionsLogged => true,
        Metric::DistinctContactsReached => !member.reached,
        Metric::NewContactsMet => member.never_met,
        Metric::FollowUpsCompleted => member.owed_follow_up,
        Metric::EventsAttended => false,
    }
}

/// The people an interaction in `period` counts for.
pub fn reached_in(activity: &[Activity], period: &PeriodCount) -> HashSet<i64> {
    activity
        .iter()
        .filter(|a| a.at >= period.start && a.at < period.end)
        .filter(|a| matches!(a.what, ActivityKind::Interaction { .. }))
        .map(|a| a.contact_id)
        .collect()
}

/// Where `goal` stands at `now`, with periods in the user's time zone `tz` and weeks
/// starting on `week_start`.
pub fn progress(
    goal: &GoalInput,
    activity: &[Activity],
    tz: Tz,
    week_start: Weekday,
    now: DateTime<Utc>,
) -> Progress {
    let today = now.with_timezone(&tz).date_naive();
    // A goal that has not started yet is measured on its first period.
    let reference = today.max(goal.start_date);
    let reference = match (goal.period, goal.deadline) {
        (Period::ByDeadline, Some(deadline)) => reference.min(deadline),
        _ => reference,
    };

    // Every period from the one holding the start date to the current one.
    let mut periods: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut start = period_start(goal.period, week_start, goal.start_date, goal.start_date);
    loop {
        let end = period_end(goal.period, goal.deadline, start);
        periods.push((start, end));
        if reference < end || goal.period == Period::ByDeadline {
            break;
        }
        start = end;
    }
    // Counting begins on the start date, even mid-period.
    let first_instant = local_midnight(tz, goal.start_date);
    // Only what has happened by `now` counts.
    let counted_until = now + Duration::seconds(1);
    let counts: Vec<PeriodCount> = periods
        .iter()
        .map(|&(s, e)| {
            let start = local_midnight(tz, s).max(first_instant);
            let end = local_midnight(tz, e);
            let n = count(goal.metric, activity, start, end.min(counted_until));
            PeriodCount {
                start,
                end,
                count: n,
                met: n >= goal.target,
            }
        })
        .collect();

    let current = counts.last().cloned().unwrap_or(PeriodCount {
        start: first_instant,
        end: first_instant,
        count: 0,
        met: false,
    });
    let span = (current.end - current.start).num_seconds().max(1) as f64;
    let elapsed = (now - current.start).num_seconds().clamp(0, span as i64) as f64;
    let expected = f64::from(goal.target) * elapsed / span;
    let pace = if goal.status != GoalStatus::Active {
        Pace::Inactive
    } else if current.met {
        Pace::Done
    } else {
        let gap = expected - f64::from(current.count);
        if gap >= 1.0 {
            Pace::Behind(gap.floor() as u32)
        } else if gap <= -1.0 {
            Pace::Ahead((-gap).floor() as u32)
        } else {
            Pace::OnTrack
        }
    };

    let finished = &counts[..counts.len().saturating_sub(1)];
    let mut streak = finished.iter().rev().take_while(|p| p.met).count() as u32;
    if current.met {
        streak += 1;
    }
    let history = counts[counts.len().saturating_sub(HISTORY_PERIODS)..].to_vec();
    Progress {
        current,
        target: goal.target,
        expected,
        pace,
        streak,
        history,
    }
}

#[cfg(test)]
mod tests;
