//! How things repeat — events and reminders alike: one typed [`Repeat`], always read against
//! the first date (the weekday, the week of the month and the day of the year come from it).
//! It becomes an RFC 5545 rule here and nowhere else (the `rrule` crate finds the dates; the
//! calendar export writes the same rule), and it is put into words here, so the window never
//! derives a rule or a phrase of its own. Pure: no SQL, no clock.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::local_instant;
use crate::{Error, Result};

/// Most days between two occurrences of an "every N days" rhythm.
pub const MAX_EVERY_DAYS: u32 = 365;
/// Most weeks between two occurrences of an "every N weeks" rhythm (a group that meets
/// every six weeks).
pub const MAX_EVERY_WEEKS: u32 = 52;

/// How something repeats, from its first date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum Repeat {
    /// Once.
    Never,
    /// Every `days` days.
    EveryDays { days: u32 },
    /// Every `weeks` weeks, on the first date's weekday.
    EveryWeeks { weeks: u32 },
    /// Each month on the first date's weekday of the month: the first Tuesday, the third
    /// Thursday, or the last Friday when the first date is in the last seven days of its
    /// month (and not one of its first three weeks).
    MonthlyOnWeekday,
    /// Every year on the first date's day (29 February: the last day of February).
    Yearly,
}

/// One way a date can repeat, with its words, as a form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RepeatChoice {
    pub repeat: Repeat,
    /// "every first Monday", "every 6 weeks on Tuesday", …
    pub words: String,
}

impl Repeat {
    /// The same rhythm if it is one Kith keeps, else the rule broken (field `repeat`).
    pub fn validated(self) -> Result<Repeat> {
        let refuse = |why: String| Err(Error::invalid("repeat", why));
        match self {
            Repeat::EveryDays { days } if !(1..=MAX_EVERY_DAYS).contains(&days) => {
                refuse(format!("Repeat every 1 to {MAX_EVERY_DAYS} days."))
            }
            Repeat::EveryWeeks { weeks } if !(1..=MAX_EVERY_WEEKS).contains(&weeks) => {
                refuse(format!("Repeat every 1 to {MAX_EVERY_WEEKS} weeks."))
            }
            _ => Ok(self),
        }
    }

    /// The RFC 5545 rule (without `RRULE:`) for a series starting on `first`; `None` once.
    pub fn rule(self, first: NaiveDate) -> Option<String> {
        let day = weekday_code(first.weekday());
        match self {
            Repeat::Never => None,
            Repeat::EveryDays { days: 1 } => Some("FREQ=DAILY".into()),
            Repeat::EveryDays { days } => Some(format!("FREQ=DAILY;INTERVAL={days}")),
            Repeat::EveryWeeks { weeks: 1 } => Some(format!("FREQ=WEEKLY;BYDAY={day}")),
            Repeat::EveryWeeks { weeks } => {
                Some(format!("FREQ=WEEKLY;INTERVAL={weeks};BYDAY={day}"))
            }
            Repeat::MonthlyOnWeekday => {
                Some(format!("FREQ=MONTHLY;BYDAY={}{day}", week_of_month(first)))
            }
            Repeat::Yearly if is_last_of_february(first) => {
                Some("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1".into())
            }
            Repeat::Yearly => Some(format!(
                "FREQ=YEARLY;BYMONTH={};BYMONTHDAY={}",
                first.month(),
                first.day()
            )),
        }
    }

    /// The rhythm in words, for a series starting on `first`: "once", "every day",
    /// "every 3 days", "every week on Tuesday", "every 6 weeks on Tuesday",
    /// "every first Monday", "every last Friday", "every year on 3 February".
    pub fn words(self, first: NaiveDate) -> String {
        let weekday = first.format("%A");
        match self {
            Repeat::Never => "once".into(),
            Repeat::EveryDays { days: 1 } => "every day".into(),
            Repeat::EveryDays { days } => format!("every {days} days"),
            Repeat::EveryWeeks { weeks: 1 } => format!("every week on {weekday}"),
            Repeat::EveryWeeks { weeks } => format!("every {weeks} weeks on {weekday}"),
            Repeat::MonthlyOnWeekday => {
                let which = match week_of_month(first) {
                    1 => "first",
                    2 => "second",
                    3 => "third",
                    4 => "fourth",
                    _ => "last",
                };
                format!("every {which} {weekday}")
            }
            Repeat::Yearly if is_last_of_february(first) => {
                "every year on the last day of February".into()
            }
            Repeat::Yearly => format!("every year on {}", first.format("%-d %B")),
        }
    }

    /// What a form offers for a series starting on `first`, "every N" set to `every`.
    pub fn choices(first: NaiveDate, every: u32) -> Vec<RepeatChoice> {
        let every = every.max(1);
        [
            Repeat::Never,
            Repeat::EveryDays { days: every },
            Repeat::EveryWeeks { weeks: every },
            Repeat::MonthlyOnWeekday,
            Repeat::Yearly,
        ]
        .into_iter()
        .map(|repeat| RepeatChoice {
            repeat,
            words: repeat.words(first),
        })
        .collect()
    }

    /// Longest gap between two occurrences, in days (`None` once).
    fn longest_gap(self) -> Option<i64> {
        match self {
            Repeat::Never => None,
            Repeat::EveryDays { days } => Some(i64::from(days)),
            Repeat::EveryWeeks { weeks } => Some(7 * i64::from(weeks)),
            // The same weekday of the month is four or five weeks after the last.
            Repeat::MonthlyOnWeekday => Some(35),
            Repeat::Yearly => Some(366),
        }
    }

    /// The dates of a series starting on `first` that fall in `[from, to]`, in order.
    pub fn dates(self, first: NaiveDate, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let Some(rule) = self.rule(first) else {
            return [first]
                .into_iter()
                .filter(|d| (from..=to).contains(d))
                .collect();
        };
        if to < from || to < first {
            return Vec::new();
        }
        // A steady rhythm can start close to `from` without changing a date: iterating from
        // a first date decades back costs time on every check.
        let step = match self {
            Repeat::EveryDays { .. } | Repeat::EveryWeeks { .. } => self.longest_gap(),
            _ => None,
        };
        let start = match step {
            Some(step) if from > first => {
                let periods = ((from - first).num_days() / step).max(1) - 1;
                first + Duration::days(periods * step)
            }
            _ => first,
        };
        let Ok(set) = rule_set(&rule, start) else {
            return Vec::new();
        };
        let midnight = |d: NaiveDate| rrule::Tz::UTC.from_utc_datetime(&d.and_time(NaiveTime::MIN));
        let days = (to - from).num_days().clamp(0, i64::from(u16::MAX - 1));
        set.after(midnight(from.max(start)))
            .before(midnight(to))
            .all(u16::try_from(days + 1).unwrap_or(u16::MAX))
            .dates
            .into_iter()
            .map(|d| d.date_naive())
            .collect()
    }
}

/// A series of occurrences at one wall-clock time in one zone: an event's meetings, a
/// reminder's times. Skipped and repeated local times follow [`local_instant`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Series {
    pub first: NaiveDate,
    pub time: NaiveTime,
    pub repeat: Repeat,
    pub tz: Tz,
}

impl Series {
    fn at(&self, date: NaiveDate) -> DateTime<Utc> {
        local_instant(self.tz, date.and_time(self.time))
    }

    /// The starts in `(from, to]`, in order.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let day = |t: DateTime<Utc>| t.with_timezone(&self.tz).date_naive();
        self.repeat
            .dates(
                self.first,
                day(from) - Duration::days(1),
                day(to) + Duration::days(1),
            )
            .into_iter()
            .map(|d| self.at(d))
            .filter(|t| *t > from && *t <= to)
            .collect()
    }

    /// The first start at or after `from`; `None` once it is over.
    pub fn next(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let gap = self.repeat.longest_gap().unwrap_or(0);
        let day = from.with_timezone(&self.tz).date_naive();
        let first = self.at(self.first);
        if first >= from {
            return Some(first);
        }
        self.repeat
            .dates(
                self.first,
                day - Duration::days(1),
                day + Duration::days(gap + 1),
            )
            .into_iter()
            .map(|d| self.at(d))
            .find(|t| *t >= from)
    }

    /// The latest start at or before `now`; `None` before the first.
    pub fn last(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let gap = self.repeat.longest_gap().unwrap_or(0);
        let day = now.with_timezone(&self.tz).date_naive();
        let first = self.at(self.first);
        if first > now {
            return None;
        }
        self.repeat
            .dates(
                self.first,
                day - Duration::days(gap + 1),
                day + Duration::days(1),
            )
            .into_iter()
            .map(|d| self.at(d))
            .rfind(|t| *t <= now)
            .or(Some(first))
    }
}

/// Which week of its month `date` is in, as RFC 5545 counts it for BYDAY: 1 to 4, or -1 for
/// the last seven days when it is not in the first three weeks (so the 29th is "last", and
/// the 22nd of a 28-day February is too).
fn week_of_month(date: NaiveDate) -> i8 {
    let ordinal = (date.day() - 1) / 7; // 0 = first
    let in_last_week = date
        .checked_add_signed(Duration::days(7))
        .is_none_or(|d| d.month() != date.month());
    match ordinal {
        n if n >= 3 && in_last_week => -1,
        n => i8::try_from(n + 1).unwrap_or(-1),
    }
}

fn is_last_of_february(date: NaiveDate) -> bool {
    date.month() == 2 && date.day() == 29
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// `rule` as `rrule` reads it, its dates at midnight UTC from `first` (times of day and
/// zones are [`Series`]' business).
fn rule_set(rule: &str, first: NaiveDate) -> Result<rrule::RRuleSet> {
    let parsed: rrule::RRule<rrule::Unvalidated> = rule
        .parse()
        .map_err(|e| Error::invalid("repeat", format!("“{rule}”: {e}.")))?;
    parsed
        .build(rrule::Tz::UTC.from_utc_datetime(&first.and_time(NaiveTime::MIN)))
        .map_err(|e| Error::invalid("repeat", format!("“{rule}”: {e}.")))
}

/// A rule written before rhythms were typed (an RFC 5545 RRULE, as reminders once kept) as
/// the rhythm it means, with the first date it starts on (moved forward to the first date
/// the rule names, when `first` was not one): `None` for a rule no [`Repeat`] says.
pub fn from_rule(rule: &str, first: NaiveDate) -> Option<(Repeat, NaiveDate)> {
    let text = rule.trim().trim_start_matches("RRULE:");
    let parsed: rrule::RRule<rrule::Unvalidated> = text.parse().ok()?;
    if parsed.get_count().is_some()
        || parsed.get_until().is_some()
        || !parsed.get_by_set_pos().is_empty()
        || !parsed.get_by_year_day().is_empty()
        || !parsed.get_by_week_no().is_empty()
        || !parsed.get_by_hour().is_empty()
        || !parsed.get_by_minute().is_empty()
    {
        return None;
    }
    let interval = u32::from(parsed.get_interval());
    let days = parsed.get_by_weekday();
    let month_days = parsed.get_by_month_day();
    let months = parsed.get_by_month();
    let plain = days.is_empty() && month_days.is_empty() && months.is_empty();
    // The first date from `first` on that `fits`, within four years.
    let moved = |fits: &dyn Fn(NaiveDate) -> bool| first.iter_days().take(1500).find(|d| fits(*d));
    let repeat = match parsed.get_freq() {
        rrule::Frequency::Daily if plain => Repeat::EveryDays { days: interval },
        rrule::Frequency::Weekly if month_days.is_empty() && months.is_empty() => {
            let repeat = Repeat::EveryWeeks { weeks: interval };
            return match days {
                [] => Some((repeat, first)),
                [rrule::NWeekday::Every(day)] => Some((repeat, moved(&|d| d.weekday() == *day)?)),
                _ => None,
            };
        }
        rrule::Frequency::Monthly
            if interval == 1 && month_days.is_empty() && months.is_empty() =>
        {
            let [rrule::NWeekday::Nth(n, day)] = days else {
                return None;
            };
            let n = i8::try_from(*n).ok()?;
            let at = moved(&|d| d.weekday() == *day && week_of_month(d) == n)?;
            return Some((Repeat::MonthlyOnWeekday, at));
        }
        rrule::Frequency::Yearly if interval == 1 && days.is_empty() => {
            let on = |d: NaiveDate| match (months, month_days) {
                ([], []) => d == first,
                ([2], [-1]) => is_last_of_february(d),
                ([m], [md]) => d.month() == u32::from(*m) && i64::from(d.day()) == i64::from(*md),
                _ => false,
            };
            return Some((Repeat::Yearly, moved(&on)?));
        }
        _ => return None,
    };
    Some((repeat, first))
}

#[cfg(test)]
mod tests;
