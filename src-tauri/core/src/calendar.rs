//! Wall-clock times in a time zone, as instants: the one place that decides what a local
//! time skipped or repeated by a daylight-saving change means, and which day a birthday
//! falls on in a year without 29 February.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// `local` in `tz` as an instant. A time skipped by a DST change moves forward to the first
/// time that exists (02:30 on a spring-forward night becomes 03:00 or so); a repeated one is
/// the earlier of the two.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut time = local;
    // Gaps are at most a few hours (most are one); step over them a quarter-hour at a time.
    for _ in 0..16 {
        match tz.from_local_datetime(&time) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
            LocalResult::None => time += Duration::minutes(15),
        }
    }
    Utc.from_utc_datetime(&local)
}

/// Midnight at the start of `date` in `tz` (see [`local_instant`]).
pub fn local_midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_instant(tz, date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The day a birthday on `month`/`day` falls on in `year`: that day, and for 29 February
/// in a year without one, 1 March (the day after 28 February, as most people born then
/// keep it). `None` for a day no year has.
pub fn birthday_in(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| match (month, day) {
        (2, 29) => NaiveDate::from_ymd_opt(year, 3, 1),
        _ => None,
    })
}

/// The birthdays that fall on `date`, as the "MM-DD" stored birthdays end in: its own, and
/// on 1 March of a year without 29 February, "02-29" too (see [`birthday_in`]).
pub fn birthdays_falling_on(date: NaiveDate) -> Vec<String> {
    let mut days = vec![date.format("%m-%d").to_string()];
    if birthday_in(date.year(), 2, 29) == Some(date) && date.month() == 3 {
        days.push("02-29".into());
    }
    days
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn at(date: (i32, u32, u32), time: (u32, u32)) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(date.0, date.1, date.2)
            .unwrap()
            .and_time(NaiveTime::from_hms_opt(time.0, time.1, 0).unwrap())
    }

    #[test]
    fn skipped_times_move_forward_and_repeated_ones_take_the_first() {
        let berlin = chrono_tz::Europe::Berlin;
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
        assert_eq!(
            local_instant(berlin, at((2026, 3, 29), (2, 30))),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()
        );
        // 25 October 2026: 02:30 happens twice; the first is still CEST (00:30 UTC).
        assert_eq!(
            local_instant(berlin, at((2026, 10, 25), (2, 30))),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        // Chile skips midnight itself (America/Santiago, 6 September 2026).
        let santiago = chrono_tz::America::Santiago;
        let midnight = local_midnight(santiago, NaiveDate::from_ymd_opt(2026, 9, 6).unwrap());
        assert_eq!(
            midnight.with_timezone(&santiago).date_naive(),
            NaiveDate::from_ymd_opt(2026, 9, 6).unwrap()
        );
    }

    #[test]
    fn a_29_february_birthday_falls_on_1_march_outside_leap_years_only() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(birthday_in(2027, 2, 29), Some(day(2027, 3, 1)));
        assert_eq!(birthday_in(2028, 2, 29), Some(day(2028, 2, 29)));
        assert_eq!(birthday_in(2027, 7, 14), Some(day(2027, 7, 14)));
        assert_eq!(birthday_in(2027, 2, 30), None);
        assert_eq!(birthdays_falling_on(day(2027, 3, 1)), ["03-01", "02-29"]);
        assert_eq!(birthdays_falling_on(day(2028, 3, 1)), ["03-01"]);
        assert_eq!(birthdays_falling_on(day(2028, 2, 29)), ["02-29"]);
        assert_eq!(birthdays_falling_on(day(2027, 2, 28)), ["02-28"]);
    }
}
