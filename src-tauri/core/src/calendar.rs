//! Wall-clock times in a time zone, as instants: the one place that decides what a local
//! time skipped or repeated by a daylight-saving change means.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
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
}
