//! Reminders and when they fire (PRODUCT.md §5): the daily digest at the nudge time on
//! working days, one-off and recurring reminders (RFC 5545 rules), follow-ups on their due
//! date, birthdays, and event starts — each moved out of quiet hours — plus the rules for
//! catching up after the app was closed or the machine slept. Pure functions over plain
//! data and instants; the store loads their inputs and keeps the delivery log, the app's
//! scheduler supplies the real clock. Nothing here sleeps, reads the clock or runs SQL.

mod due;
mod source;
pub use due::{due_between, BirthdayOn, CallStarted, FollowUpDue, Sources, Window};
pub use source::{Source, UnknownSource};

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::local_instant;

/// The scheduler looks at the wall clock at least this often, so a suspend, a resume or a
/// clock change is noticed within a minute even when nothing is due for hours (monotonic
/// timers stop while the machine sleeps, so one long sleep alone would fire late).
pub const CLOCK_CHECK: std::time::Duration = std::time::Duration::from_secs(60);

/// How long before an event starts its reminder comes: time to get there.
pub const EVENT_LEAD: Duration = Duration::hours(1);

/// How long after Call on a nudge Kith asks "Did you reach them?": time for a call.
pub const CALL_CHECK_AFTER: Duration = Duration::minutes(30);

/// Where "now" comes from: the system clock in the app, a hand-moved one in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// A clock that only moves when told to, for tests of anything that waits.
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(std::sync::Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut now) = self.0.lock() {
            *now = at;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut now) = self.0.lock() {
            *now += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|now| *now).unwrap_or_default()
    }
}

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReminderKind {
    /// Today's plan, at the nudge time on working days: how contacts due by their cadence
    /// reach the user — one digest within the daily budget rather than a nudge each (§5).
    Digest,
    /// Once, at a chosen time.
    OneOff,
    /// On a rule: "call Bob every first Monday".
    Recurring,
    /// An open follow-up on its due date, at the nudge time.
    FollowUp,
    /// A birthday, at the nudge time.
    Birthday,
    /// An hour before an event starts.
    EventStart,
    /// A while after the user chose Call on a nudge: "Did you reach them?"
    CallCheck,
}

/// The user's rules for when nudges may come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRules {
    pub tz: Tz,
    /// When the digest comes, in `tz`.
    pub nudge_time: NaiveTime,
    /// No nudge between these times (may span midnight: 22:00–07:00); one that falls inside
    /// waits for the end.
    pub quiet: Option<(NaiveTime, NaiveTime)>,
    /// The days the digest comes (networking is work for most people).
    pub working_days: Vec<Weekday>,
}

impl DayRules {
    /// Whether `t` falls in quiet hours.
    pub fn is_quiet(&self, t: DateTime<Utc>) -> bool {
        let Some((from, to)) = self.quiet else {
            return false;
        };
        let local = t.with_timezone(&self.tz).time();
        if from <= to {
            from <= local && local < to
        } else {
            local >= from || local < to
        }
    }

    /// `t`, or the end of the quiet hours it falls in.
    pub fn allowed(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let Some((_, to)) = self.quiet else { return t };
        if !self.is_quiet(t) {
            return t;
        }
        let local = t.with_timezone(&self.tz);
        let day = if local.time() < to {
            local.date_naive()
        } else {
            local.date_naive() + Duration::days(1)
        };
        local_instant(self.tz, day.and_time(to)).max(t)
    }

    /// The longest a nudge can wait for the end of quiet hours.
    pub fn longest_wait(&self) -> Duration {
        match self.quiet {
            None => Duration::zero(),
            // A DST change can stretch a night by an hour.
            Some((from, to)) => {
                let span = (to - from).num_minutes().rem_euclid(24 * 60);
                Duration::minutes(span) + Duration::hours(1)
            }
        }
    }

    /// The digest's times in `(from, to]`: the nudge time on each working day.
    pub fn digests(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        self.daily(from, to, self.nudge_time)
            .into_iter()
            .filter(|t| {
                let day = t.with_timezone(&self.tz).weekday();
                self.working_days.contains(&day)
            })
            .collect()
    }

    /// `at` on every day, in `(from, to]`.
    fn daily(&self, from: DateTime<Utc>, to: DateTime<Utc>, at: NaiveTime) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut day = from.with_timezone(&self.tz).date_naive() - Duration::days(1);
        let last = to.with_timezone(&self.tz).date_naive() + Duration::days(1);
        while day <= last {
            let t = local_instant(self.tz, day.and_time(at));
            if t > from && t <= to {
                out.push(t);
            }
            day += Duration::days(1);
        }
        out
    }

    /// The nudge time on `date`.
    pub fn nudge_on(&self, date: NaiveDate) -> DateTime<Utc> {
        local_instant(self.tz, date.and_time(self.nudge_time))
    }

    /// Every day in `(from, to]` as seen in the user's zone (with a day's margin either
    /// side, for nudges whose time of day is not midnight).
    pub fn days_around(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<NaiveDate> {
        let first = from.with_timezone(&self.tz).date_naive() - Duration::days(1);
        let last = to.with_timezone(&self.tz).date_naive() + Duration::days(1);
        first.iter_days().take_while(|d| *d <= last).collect()
    }
}

/// One occurrence the store found due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// What it comes from. With `due_at`, it names the occurrence once and for all.
    pub source: Source,
    pub kind: ReminderKind,
    pub contact_id: Option<i64>,
    pub title: String,
    pub due_at: DateTime<Utc>,
}

/// Of the occurrences found due at one check, those to deliver and those only to log as
/// missed: after days away there is one digest (the latest), and one occurrence of each
/// recurring reminder (the latest), not a pile of stale ones.
pub fn catch_up(mut dues: Vec<Due>) -> (Vec<Due>, Vec<Due>) {
    // Ties in the order of their stored text, as the log lists them.
    dues.sort_by_cached_key(|d| (d.due_at, d.source.to_string()));
    let mut latest: HashMap<Source, DateTime<Utc>> = HashMap::new();
    for d in &dues {
        let key = stale_key(d);
        latest.insert(key, d.due_at);
    }
    let keep: Vec<bool> = dues
        .iter()
        .map(|d| latest.get(&stale_key(d)) == Some(&d.due_at))
        .collect();
    let mut deliver = Vec::new();
    let mut missed = Vec::new();
    for (d, keep) in dues.into_iter().zip(keep) {
        if keep {
            deliver.push(d);
        } else {
            missed.push(d);
        }
    }
    (deliver, missed)
}

/// Occurrences with the same key replace one another when several are due at once.
fn stale_key(d: &Due) -> Source {
    match d.kind {
        ReminderKind::Digest => Source::Digest,
        _ => d.source,
    }
}

/// How long the scheduler may sleep at `now` when the next occurrence is due at `next`:
/// until then, but never past the next wall-clock check.
pub fn sleep_for(next: Option<DateTime<Utc>>, now: DateTime<Utc>) -> std::time::Duration {
    let until = next
        .map(|t| (t - now).to_std().unwrap_or_default())
        .unwrap_or(CLOCK_CHECK);
    until.min(CLOCK_CHECK)
}

/// Rules for tests: nudges at 09:00 on weekdays in `tz`, quiet from `quiet.0` to `quiet.1`
/// o'clock.
#[cfg(test)]
pub(crate) fn weekday_rules(tz: Tz, quiet: (u32, u32)) -> DayRules {
    let hour = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    DayRules {
        tz,
        nudge_time: hour(9),
        quiet: Some((hour(quiet.0), hour(quiet.1))),
        working_days: vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const BERLIN: Tz = chrono_tz::Europe::Berlin;

    fn rules() -> DayRules {
        weekday_rules(BERLIN, (21, 8))
    }

    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        BERLIN
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn local(t: DateTime<Utc>) -> String {
        t.with_timezone(&BERLIN)
            .format("%a %d %b %H:%M")
            .to_string()
    }

    #[test]
    fn the_digest_comes_at_the_nudge_time_on_working_days_across_dst() {
        let r = rules();
        // Friday 27 March to Tuesday 31 March 2026: the clocks go forward on Sunday 29.
        let times: Vec<String> = r
            .digests(berlin(2026, 3, 27, 0, 0), berlin(2026, 3, 31, 23, 0))
            .into_iter()
            .map(local)
            .collect();
        assert_eq!(
            times,
            ["Fri 27 Mar 09:00", "Mon 30 Mar 09:00", "Tue 31 Mar 09:00"]
        );
        // 09:00 in Berlin is 08:00 UTC before the change and 07:00 after.
        assert_eq!(
            r.digests(berlin(2026, 3, 27, 0, 0), berlin(2026, 3, 27, 23, 0)),
            [Utc.with_ymd_and_hms(2026, 3, 27, 8, 0, 0).unwrap()]
        );
        assert_eq!(
            r.digests(berlin(2026, 3, 30, 0, 0), berlin(2026, 3, 30, 23, 0)),
            [Utc.with_ymd_and_hms(2026, 3, 30, 7, 0, 0).unwrap()]
        );
        // The window is open at its start and closed at its end.
        let nine = berlin(2026, 3, 27, 9, 0);
        assert!(r.digests(nine, nine + Duration::hours(1)).is_empty());
        assert_eq!(r.digests(nine - Duration::seconds(1), nine), [nine]);
    }

    #[test]
    fn quiet_hours_hold_a_nudge_until_they_end() {
        let r = rules();
        assert!(r.is_quiet(berlin(2026, 3, 27, 23, 30)));
        assert!(r.is_quiet(berlin(2026, 3, 27, 7, 59)));
        assert!(!r.is_quiet(berlin(2026, 3, 27, 8, 0)));
        assert_eq!(
            local(r.allowed(berlin(2026, 3, 27, 23, 30))),
            "Sat 28 Mar 08:00"
        );
        assert_eq!(
            local(r.allowed(berlin(2026, 3, 28, 6, 0))),
            "Sat 28 Mar 08:00"
        );
        let noon = berlin(2026, 3, 27, 12, 0);
        assert_eq!(r.allowed(noon), noon);
        // Across the spring change the night is an hour shorter, and still ends at 08:00.
        assert_eq!(
            local(r.allowed(berlin(2026, 3, 28, 22, 0))),
            "Sun 29 Mar 08:00"
        );
        // Quiet hours within a day (a lunch break) work the same way.
        let lunch = DayRules {
            quiet: Some((
                NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
            )),
            ..rules()
        };
        assert_eq!(
            local(lunch.allowed(berlin(2026, 3, 27, 12, 30))),
            "Fri 27 Mar 13:00"
        );
        assert!(!lunch.is_quiet(berlin(2026, 3, 27, 23, 0)));
        assert!(r.longest_wait() >= Duration::hours(11));
    }

    fn due(source: &str, kind: ReminderKind, at: DateTime<Utc>) -> Due {
        Due {
            source: source.parse().unwrap(),
            kind,
            contact_id: None,
            title: source.into(),
            due_at: at,
        }
    }

    #[test]
    fn after_days_away_one_digest_and_one_of_each_recurring_reminder_remain() {
        let monday = berlin(2026, 3, 30, 9, 0);
        let dues = vec![
            due("digest", ReminderKind::Digest, monday),
            due("digest", ReminderKind::Digest, monday + Duration::days(1)),
            due("digest", ReminderKind::Digest, monday + Duration::days(2)),
            due("reminder:1", ReminderKind::Recurring, monday),
            due(
                "reminder:1",
                ReminderKind::Recurring,
                monday + Duration::days(1),
            ),
            due("followUp:4", ReminderKind::FollowUp, monday),
            due(
                "birthday:7:2026",
                ReminderKind::Birthday,
                monday + Duration::days(1),
            ),
        ];
        let (deliver, missed) = catch_up(dues);
        let sources: Vec<(String, String)> = deliver
            .iter()
            .map(|d| (d.source.to_string(), local(d.due_at)))
            .collect();
        assert_eq!(
            sources,
            [
                ("followUp:4".to_string(), "Mon 30 Mar 09:00".to_string()),
                (
                    "birthday:7:2026".to_string(),
                    "Tue 31 Mar 09:00".to_string()
                ),
                ("reminder:1".to_string(), "Tue 31 Mar 09:00".to_string()),
                ("digest".to_string(), "Wed 01 Apr 09:00".to_string()),
            ]
        );
        assert_eq!(missed.len(), 3);
    }

    #[test]
    fn the_scheduler_sleeps_until_the_next_occurrence_or_the_clock_check() {
        let now = berlin(2026, 3, 30, 9, 0);
        assert_eq!(sleep_for(None, now), CLOCK_CHECK);
        assert_eq!(sleep_for(Some(now + Duration::hours(5)), now), CLOCK_CHECK);
        assert_eq!(
            sleep_for(Some(now + Duration::seconds(20)), now),
            std::time::Duration::from_secs(20)
        );
        assert_eq!(
            sleep_for(Some(now - Duration::seconds(5)), now),
            std::time::Duration::ZERO
        );
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(berlin(2026, 3, 30, 9, 0));
        let before = clock.now();
        clock.advance(Duration::minutes(5));
        assert_eq!(clock.now() - before, Duration::minutes(5));
        clock.set(before);
        assert_eq!(clock.now(), before);
    }
}
