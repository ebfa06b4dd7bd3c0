//! The pictures Kith draws where people would rather look than read (PRODUCT.md §9): the
//! touches of each week (the last 26, by kind), the network by circle and by where each
//! person stands against their cadence, and one contact's year of touches with the weeks
//! they went past their cadence. Pure: the store loads the touches and the contacts.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cadence::DueState;
use crate::history::InteractionKind;
use crate::model::Circle;

/// Weeks in the activity chart.
pub const ACTIVITY_WEEKS: usize = 26;
/// Weeks in a contact's strip: a year.
pub const STRIP_WEEKS: usize = 52;

/// The first day of the week (starting on `week_start`) that holds `date`.
pub fn week_of(week_start: Weekday, date: NaiveDate) -> NaiveDate {
    let back = (7 + date.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
    date - Duration::days(i64::from(back))
}

/// The first days of the `n` weeks up to the one holding `today`, oldest first.
pub fn week_starts(week_start: Weekday, today: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let this = week_of(week_start, today);
    (0..n)
        .rev()
        .map(|back| this - Duration::weeks(back as i64))
        .collect()
}

/// One week of touches, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WeekTouches {
    pub start: NaiveDate,
    /// Calls and video calls.
    pub calls: u32,
    /// Emails and messages.
    pub messages: u32,
    /// Coffees, meetings and events.
    pub in_person: u32,
    /// Introductions, shared articles, thank-you notes and the rest.
    pub other: u32,
}

impl WeekTouches {
    fn add(&mut self, kind: InteractionKind) {
        use InteractionKind::*;
        match kind {
            Call | VideoCall => self.calls += 1,
            Email | Message => self.messages += 1,
            Coffee | Meeting | Event => self.in_person += 1,
            Intro | SharedArticle | ThankYouNote | Other => self.other += 1,
            // The day a connection was made is not a touch the user made.
            Connected => {}
        }
    }
}

/// `touches` (the local day and kind of each) counted in the weeks starting on `starts`.
pub fn weekly(touches: &[(NaiveDate, InteractionKind)], starts: &[NaiveDate]) -> Vec<WeekTouches> {
    let mut weeks: Vec<WeekTouches> = starts
        .iter()
        .map(|&start| WeekTouches {
            start,
            ..WeekTouches::default()
        })
        .collect();
    for &(day, kind) in touches {
        let at = starts.partition_point(|s| *s <= day);
        if at == 0 || day >= starts[at - 1] + Duration::weeks(1) {
            continue;
        }
        weeks[at - 1].add(kind);
    }
    weeks
}

/// People in one circle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CircleCount {
    pub circle: Circle,
    pub count: u32,
}

/// People by where they stand against their cadence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DueCounts {
    pub upcoming: u32,
    pub due: u32,
    pub overdue: u32,
    /// No cadence applies yet (imported connections only): not "within their rhythm".
    pub no_rhythm: u32,
}

impl DueCounts {
    pub fn count(states: impl IntoIterator<Item = DueState>) -> DueCounts {
        let mut counts = DueCounts::default();
        for s in states {
            match s {
                DueState::Upcoming => counts.upcoming += 1,
                DueState::Due => counts.due += 1,
                DueState::Overdue => counts.overdue += 1,
                DueState::NoRhythm => counts.no_rhythm += 1,
            }
        }
        counts
    }
}

/// Today's pictures of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NetworkPicture {
    /// The last [`ACTIVITY_WEEKS`] weeks, oldest first; the last is this week so far.
    pub weeks: Vec<WeekTouches>,
    /// Active people by circle, closest first (circles nobody is in included).
    pub circles: Vec<CircleCount>,
    pub due: DueCounts,
}

/// One week of a contact's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StripWeek {
    pub start: NaiveDate,
    pub touches: u32,
    /// By the week's end (or today), longer than the cadence had passed since the last touch
    /// (or since they were added), and none came that week.
    pub late: bool,
    /// Before they were in Kith.
    pub before: bool,
}

/// A contact's weeks starting on `starts` (their touches on the local days `touched`, added
/// on `added`, keeping in touch every `cadence` days, if at all), up to `today`.
pub fn strip(
    touched: &[NaiveDate],
    added: NaiveDate,
    cadence: Option<u32>,
    starts: &[NaiveDate],
    today: NaiveDate,
) -> Vec<StripWeek> {
    let mut days = touched.to_vec();
    days.sort_unstable();
    starts
        .iter()
        .map(|&start| {
            let end = (start + Duration::days(6)).min(today);
            let touches = days.iter().filter(|d| **d >= start && **d <= end).count();
            let before = end < added;
            let since = days
                .iter()
                .rev()
                .find(|d| **d <= end)
                .copied()
                .unwrap_or(added)
                .max(added.min(end));
            let late = touches == 0
                && !before
                && cadence.is_some_and(|c| (end - since).num_days() > i64::from(c));
            StripWeek {
                start,
                touches: u32::try_from(touches).unwrap_or(u32::MAX),
                late,
                before,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn weeks_start_on_the_users_day_and_end_with_this_one() {
        // Wednesday 2 December 2026.
        assert_eq!(week_of(Weekday::Mon, d(12, 2)), d(11, 30));
        assert_eq!(week_of(Weekday::Sun, d(12, 2)), d(11, 29));
        assert_eq!(week_of(Weekday::Sat, d(12, 2)), d(11, 28));
        assert_eq!(week_of(Weekday::Mon, d(11, 30)), d(11, 30));
        let starts = week_starts(Weekday::Mon, d(12, 2), 3);
        assert_eq!(starts, [d(11, 16), d(11, 23), d(11, 30)]);
    }

    #[test]
    fn touches_count_in_their_week_by_kind_and_connections_do_not_count() {
        let starts = week_starts(Weekday::Mon, d(12, 2), 2);
        let weeks = weekly(
            &[
                (d(11, 23), InteractionKind::Call),
                (d(11, 29), InteractionKind::VideoCall),
                (d(11, 30), InteractionKind::Coffee),
                (d(12, 1), InteractionKind::Email),
                (d(12, 2), InteractionKind::ThankYouNote),
                (d(12, 2), InteractionKind::Connected),
                // Too early, and not yet.
                (d(11, 22), InteractionKind::Call),
                (d(12, 7), InteractionKind::Call),
            ],
            &starts,
        );
        assert_eq!(
            weeks,
            [
                WeekTouches {
                    start: d(11, 23),
                    calls: 2,
                    ..WeekTouches::default()
                },
                WeekTouches {
                    start: d(11, 30),
                    in_person: 1,
                    messages: 1,
                    other: 1,
                    ..WeekTouches::default()
                },
            ]
        );
    }

    #[test]
    fn a_contacts_year_marks_the_weeks_past_their_cadence() {
        let today = d(12, 2);
        let starts = week_starts(Weekday::Mon, today, 8);
        // Added 1 October, touched 12 October, every 14 days.
        let year = strip(&[d(10, 12)], d(10, 1), Some(14), &starts, today);
        let weeks: Vec<(NaiveDate, u32, bool, bool)> = year
            .iter()
            .map(|w| (w.start, w.touches, w.late, w.before))
            .collect();
        assert_eq!(
            weeks,
            [
                (d(10, 12), 1, false, false),
                (d(10, 19), 0, false, false),
                // 14 days after 12 October had passed by the end of this week.
                (d(10, 26), 0, true, false),
                (d(11, 2), 0, true, false),
                (d(11, 9), 0, true, false),
                (d(11, 16), 0, true, false),
                (d(11, 23), 0, true, false),
                (d(11, 30), 0, true, false),
            ]
        );
        // Before they were added nothing is late; without a cadence nothing ever is.
        let early = week_starts(Weekday::Mon, d(10, 5), 2);
        assert!(strip(&[], d(10, 5), Some(7), &early, d(10, 5))[0].before);
        assert!(strip(&[], d(1, 1), None, &starts, today)
            .iter()
            .all(|w| !w.late));
    }
}
