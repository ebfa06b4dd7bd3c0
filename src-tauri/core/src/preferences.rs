//! The preferences of the user's day: when nudges come and in which zone, how many people a
//! day, which days the digest comes, when weeks start and when it is quiet. Plain data that
//! crosses IPC; the store keeps it as settings rows.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The user's day: when nudges come, in which time zone, how many people a day, and when
/// weeks start. The onboarding asks for the first two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Preferences {
    /// "HH:MM" in the user's time zone.
    pub nudge_time: String,
    /// An IANA zone name.
    pub time_zone: String,
    /// The user has been through the first-start onboarding.
    pub onboarded: bool,
    /// How many people Today plans for each day, and at most how many a day's nudges name.
    #[serde(default = "default_daily_budget")]
    pub daily_budget: u32,
    /// The first day of a week, for weekly goals.
    #[serde(default)]
    pub week_start: WeekStart,
    /// No nudges from this time ("HH:MM")…
    #[serde(default = "default_quiet_from")]
    #[ts(optional = nullable)]
    pub quiet_from: Option<String>,
    /// … until this one (may be the next morning). Both absent: no quiet hours.
    #[serde(default = "default_quiet_to")]
    #[ts(optional = nullable)]
    pub quiet_to: Option<String>,
    /// The days the daily digest comes.
    #[serde(default = "default_working_days")]
    pub working_days: Vec<Day>,
    /// Light or dark, or as the desktop is.
    #[serde(default)]
    pub theme: Theme,
}

/// How the window looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Theme {
    /// As the desktop is (its light or dark preference).
    #[default]
    System,
    Light,
    Dark,
}

pub(crate) fn default_quiet_from() -> Option<String> {
    Some("21:00".into())
}

pub(crate) fn default_quiet_to() -> Option<String> {
    Some("08:00".into())
}

pub(crate) fn default_working_days() -> Vec<Day> {
    vec![
        Day::Monday,
        Day::Tuesday,
        Day::Wednesday,
        Day::Thursday,
        Day::Friday,
    ]
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Day {
    /// The week in order.
    pub const ALL: [Day; 7] = [
        Day::Monday,
        Day::Tuesday,
        Day::Wednesday,
        Day::Thursday,
        Day::Friday,
        Day::Saturday,
        Day::Sunday,
    ];

    pub fn weekday(self) -> chrono::Weekday {
        match self {
            Day::Monday => chrono::Weekday::Mon,
            Day::Tuesday => chrono::Weekday::Tue,
            Day::Wednesday => chrono::Weekday::Wed,
            Day::Thursday => chrono::Weekday::Thu,
            Day::Friday => chrono::Weekday::Fri,
            Day::Saturday => chrono::Weekday::Sat,
            Day::Sunday => chrono::Weekday::Sun,
        }
    }
}

/// The daily outreach budget until the user sets one (PRODUCT.md §3).
pub const DEFAULT_DAILY_BUDGET: u32 = 3;
/// A budget above this is no longer a plan for one day.
pub const MAX_DAILY_BUDGET: u32 = 20;

fn default_daily_budget() -> u32 {
    DEFAULT_DAILY_BUDGET
}

/// The day weeks start on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
    Saturday,
}

impl WeekStart {
    pub fn weekday(self) -> chrono::Weekday {
        match self {
            WeekStart::Monday => chrono::Weekday::Mon,
            WeekStart::Sunday => chrono::Weekday::Sun,
            WeekStart::Saturday => chrono::Weekday::Sat,
        }
    }
}
