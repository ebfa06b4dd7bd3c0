use chrono::TimeZone;

use super::*;

const BERLIN: Tz = chrono_tz::Europe::Berlin;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn series(first: NaiveDate, time: &str, repeat: Repeat) -> Series {
    Series {
        first,
        time: NaiveTime::parse_from_str(time, "%H:%M").unwrap(),
        repeat,
        tz: BERLIN,
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&BERLIN)
        .format("%a %Y-%m-%d %H:%M")
        .to_string()
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// Every kind of rhythm, with the "every N" of the interval ones.
fn every_kind() -> Vec<Repeat> {
    vec![
        Repeat::Never,
        Repeat::EveryDays { days: 1 },
        Repeat::EveryDays { days: 3 },
        Repeat::EveryWeeks { weeks: 1 },
        Repeat::EveryWeeks { weeks: 6 },
        Repeat::MonthlyOnWeekday,
        Repeat::Yearly,
    ]
}

#[test]
fn each_rhythm_is_said_in_words_from_its_first_date() {
    let tuesday = date(2026, 2, 3);
    let words: Vec<String> = every_kind().into_iter().map(|r| r.words(tuesday)).collect();
    assert_eq!(
        words,
        [
            "once",
            "every day",
            "every 3 days",
            "every week on Tuesday",
            "every 6 weeks on Tuesday",
            "every first Tuesday",
            "every year on 3 February",
        ]
    );
    let monthly = |d| Repeat::MonthlyOnWeekday.words(d);
    assert_eq!(monthly(date(2030, 12, 2)), "every first Monday");
    assert_eq!(monthly(date(2026, 2, 19)), "every third Thursday");
    // 22 June 2026 is the fourth Monday, and June has a fifth (the 29th).
    assert_eq!(monthly(date(2026, 6, 22)), "every fourth Monday");
    // 30 January 2026 is the last Friday; so is 27 February (the fourth, and the last).
    assert_eq!(monthly(date(2026, 1, 30)), "every last Friday");
    assert_eq!(monthly(date(2026, 2, 27)), "every last Friday");
    assert_eq!(
        Repeat::Yearly.words(date(2028, 2, 29)),
        "every year on the last day of February"
    );
}

#[test]
fn each_rhythm_is_one_rfc_5545_rule_that_starts_on_its_first_date() {
    let tuesday = date(2026, 2, 3);
    let rules: Vec<Option<String>> = every_kind().into_iter().map(|r| r.rule(tuesday)).collect();
    assert_eq!(
        rules,
        [
            None,
            Some("FREQ=DAILY".into()),
            Some("FREQ=DAILY;INTERVAL=3".into()),
            Some("FREQ=WEEKLY;BYDAY=TU".into()),
            Some("FREQ=WEEKLY;INTERVAL=6;BYDAY=TU".into()),
            Some("FREQ=MONTHLY;BYDAY=1TU".into()),
            Some("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=3".into()),
        ]
    );
    assert_eq!(
        Repeat::MonthlyOnWeekday.rule(date(2026, 1, 30)).as_deref(),
        Some("FREQ=MONTHLY;BYDAY=-1FR")
    );
    assert_eq!(
        Repeat::Yearly.rule(date(2028, 2, 29)).as_deref(),
        Some("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1")
    );
    // Whatever the first date, it is the first of the series, and a rule read back from
    // its text is the same rhythm from the same date.
    for first in date(2027, 12, 20).iter_days().take(800) {
        for repeat in every_kind() {
            let dates = repeat.dates(first, first - Duration::days(3), first + Duration::days(40));
            assert_eq!(dates.first(), Some(&first), "{repeat:?} from {first}");
            if let Some(rule) = repeat.rule(first) {
                assert_eq!(
                    from_rule(&rule, first),
                    Some((repeat, first)),
                    "{rule} from {first}"
                );
            }
        }
    }
}

#[test]
fn dates_follow_the_rhythm_however_far_from_the_first() {
    // Every 3 days from 1 January 2001, counted by hand, against the dates 25 years on.
    let first = date(2001, 1, 1);
    let (from, to) = (date(2026, 3, 1), date(2026, 3, 20));
    let by_hand: Vec<NaiveDate> = first
        .iter_days()
        .step_by(3)
        .skip_while(|d| *d < from)
        .take_while(|d| *d <= to)
        .collect();
    assert_eq!(
        Repeat::EveryDays { days: 3 }.dates(first, from, to),
        by_hand
    );
    assert_eq!(by_hand.len(), 6);
    // Nothing before the first date, nothing in an empty span.
    assert_eq!(
        Repeat::EveryDays { days: 1 }.dates(first, date(2000, 12, 1), date(2001, 1, 2)),
        [first, date(2001, 1, 2)]
    );
    assert!(Repeat::Yearly.dates(first, to, from).is_empty());
    // 29 February: the last day of February in common years.
    assert_eq!(
        Repeat::Yearly.dates(date(2028, 2, 29), date(2028, 1, 1), date(2033, 1, 1)),
        [
            date(2028, 2, 29),
            date(2029, 2, 28),
            date(2030, 2, 28),
            date(2031, 2, 28),
            date(2032, 2, 29)
        ]
    );
    assert_eq!(
        Repeat::Never.dates(first, date(2000, 1, 1), date(2030, 1, 1)),
        [first]
    );
}

#[test]
fn a_group_every_six_weeks_keeps_its_wall_clock_time_across_dst() {
    // Tuesday 3 February 2026, 18:30 in Berlin, every 6 weeks.
    let e = series(date(2026, 2, 3), "18:30", Repeat::EveryWeeks { weeks: 6 });
    let next = |from| local(e.next(from).unwrap());
    assert_eq!(next(utc(2026, 1, 1, 0)), "Tue 2026-02-03 18:30");
    assert_eq!(next(utc(2026, 2, 4, 0)), "Tue 2026-03-17 18:30");
    // After the spring change (29 March) still 18:30 local, now 16:30 UTC.
    let april = e.next(utc(2026, 3, 18, 0)).unwrap();
    assert_eq!(local(april), "Tue 2026-04-28 18:30");
    assert_eq!(april, Utc.with_ymd_and_hms(2026, 4, 28, 16, 30, 0).unwrap());
    // Exactly at the start counts as next; a second later the one after.
    assert_eq!(e.next(april), Some(april));
    assert_eq!(
        local(e.next(april + Duration::seconds(1)).unwrap()),
        "Tue 2026-06-09 18:30"
    );
    assert_eq!(e.last(april), Some(april));
    assert_eq!(
        e.last(april - Duration::seconds(1)).map(local).as_deref(),
        Some("Tue 2026-03-17 18:30")
    );
    // Years ahead, still on a Tuesday.
    assert!(next(utc(2030, 1, 1, 0)).starts_with("Tue 2030-01"));
}

#[test]
fn monthly_series_keep_their_weekday_of_the_month() {
    let first_thursday = series(date(2026, 2, 5), "19:00", Repeat::MonthlyOnWeekday);
    assert_eq!(
        local(first_thursday.next(utc(2026, 2, 6, 0)).unwrap()),
        "Thu 2026-03-05 19:00"
    );
    assert_eq!(
        local(first_thursday.next(utc(2026, 3, 6, 0)).unwrap()),
        "Thu 2026-04-02 19:00"
    );
    let last_friday = series(date(2026, 1, 30), "17:00", Repeat::MonthlyOnWeekday);
    assert_eq!(
        local(last_friday.next(utc(2026, 2, 1, 0)).unwrap()),
        "Fri 2026-02-27 17:00"
    );
    assert_eq!(
        local(last_friday.next(utc(2026, 5, 1, 0)).unwrap()),
        "Fri 2026-05-29 17:00"
    );
    let fourth_monday = series(date(2026, 6, 22), "12:00", Repeat::MonthlyOnWeekday);
    assert_eq!(
        local(fourth_monday.next(utc(2026, 6, 23, 0)).unwrap()),
        "Mon 2026-07-27 12:00"
    );
    // "Call Bob every first Monday" at 10:00: February to April.
    let bob = series(date(2026, 1, 5), "10:00", Repeat::MonthlyOnWeekday);
    let times: Vec<String> = bob
        .between(utc(2026, 2, 1, 0), utc(2026, 5, 1, 0))
        .into_iter()
        .map(local)
        .collect();
    assert_eq!(
        times,
        [
            "Mon 2026-02-02 10:00",
            "Mon 2026-03-02 10:00",
            "Mon 2026-04-06 10:00"
        ]
    );
}

#[test]
fn a_time_skipped_by_the_clock_change_comes_just_after_and_one_off_series_end() {
    // Every day at 02:30 in Berlin: on 29 March 2026 there is no 02:30; it comes at 03:00.
    let night = series(date(2026, 3, 27), "02:30", Repeat::EveryDays { days: 1 });
    let times: Vec<String> = night
        .between(utc(2026, 3, 27, 12), utc(2026, 3, 30, 12))
        .into_iter()
        .map(local)
        .collect();
    assert_eq!(
        times,
        [
            "Sat 2026-03-28 02:30",
            "Sun 2026-03-29 03:00",
            "Mon 2026-03-30 02:30"
        ]
    );
    let once = series(date(2026, 5, 20), "09:00", Repeat::Never);
    assert!(once.next(utc(2026, 5, 19, 0)).is_some());
    assert_eq!(once.next(utc(2026, 5, 21, 0)), None);
    assert_eq!(once.last(utc(2026, 5, 19, 0)), None);
    assert_eq!(
        once.last(utc(2026, 6, 1, 0)).map(local).as_deref(),
        Some("Wed 2026-05-20 09:00")
    );
    assert_eq!(
        once.between(utc(2026, 5, 1, 0), utc(2026, 6, 1, 0)).len(),
        1
    );
    let weekly = series(date(2026, 1, 6), "18:00", Repeat::EveryWeeks { weeks: 1 });
    assert_eq!(
        weekly.last(utc(2026, 11, 23, 12)).map(local).as_deref(),
        Some("Tue 2026-11-17 18:00")
    );
}

#[test]
fn rhythms_out_of_range_are_refused() {
    let field = |r: Repeat| r.validated().unwrap_err().field();
    assert_eq!(field(Repeat::EveryWeeks { weeks: 0 }), Some("repeat"));
    assert_eq!(field(Repeat::EveryWeeks { weeks: 53 }), Some("repeat"));
    assert_eq!(field(Repeat::EveryDays { days: 0 }), Some("repeat"));
    assert_eq!(field(Repeat::EveryDays { days: 366 }), Some("repeat"));
    for ok in every_kind() {
        assert_eq!(ok.validated().unwrap(), ok);
    }
}

#[test]
fn choices_offer_every_rhythm_with_its_words() {
    let choices = Repeat::choices(date(2030, 12, 2), 2);
    let words: Vec<&str> = choices.iter().map(|c| c.words.as_str()).collect();
    assert_eq!(
        words,
        [
            "once",
            "every 2 days",
            "every 2 weeks on Monday",
            "every first Monday",
            "every year on 2 December"
        ]
    );
    assert_eq!(choices[2].repeat, Repeat::EveryWeeks { weeks: 2 });
    // "Every 0" is read as every 1.
    assert_eq!(
        Repeat::choices(date(2030, 12, 2), 0)[1].repeat,
        Repeat::EveryDays { days: 1 }
    );
}

#[test]
fn rules_stored_as_text_become_the_rhythm_they_mean() {
    let wednesday = date(2026, 1, 7);
    // Weekly on Tuesdays from a Wednesday: the first is the Tuesday after.
    assert_eq!(
        from_rule("FREQ=WEEKLY;BYDAY=TU", wednesday),
        Some((Repeat::EveryWeeks { weeks: 1 }, date(2026, 1, 13)))
    );
    assert_eq!(
        from_rule("RRULE:FREQ=WEEKLY;INTERVAL=2", wednesday),
        Some((Repeat::EveryWeeks { weeks: 2 }, wednesday))
    );
    assert_eq!(
        from_rule("FREQ=MONTHLY;BYDAY=1MO", wednesday),
        Some((Repeat::MonthlyOnWeekday, date(2026, 2, 2)))
    );
    assert_eq!(
        from_rule("FREQ=MONTHLY;BYDAY=-1FR", wednesday),
        Some((Repeat::MonthlyOnWeekday, date(2026, 1, 30)))
    );
    assert_eq!(
        from_rule("FREQ=DAILY;INTERVAL=10", wednesday),
        Some((Repeat::EveryDays { days: 10 }, wednesday))
    );
    assert_eq!(
        from_rule("FREQ=YEARLY", wednesday),
        Some((Repeat::Yearly, wednesday))
    );
    // What no rhythm says.
    for other in [
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=DAILY;COUNT=5",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
        "FREQ=HOURLY",
        "EVERY=MONDAY",
        "",
    ] {
        assert_eq!(from_rule(other, wednesday), None, "{other}");
    }
}
