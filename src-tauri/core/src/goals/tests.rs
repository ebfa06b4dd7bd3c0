use chrono::TimeZone;

use super::*;

const LISBON: Tz = chrono_tz::Europe::Lisbon;
const NEW_YORK: Tz = chrono_tz::America::New_York;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(tz: Tz, y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn goal(metric: Metric, target: u32, period: Period, start: NaiveDate) -> GoalInput {
    GoalInput {
        metric,
        target,
        period,
        start_date: start,
        ..GoalInput::template(GoalKind::Custom, start)
    }
}

fn touch(id: i64, contact: i64, when: DateTime<Utc>) -> Activity {
    Activity {
        at: when,
        contact_id: contact,
        what: ActivityKind::Interaction {
            id,
            kind: InteractionKind::Call,
        },
    }
}

#[test]
fn each_metric_counts_its_own_thing() {
    let start = date(2026, 3, 2); // a Monday
    let t = |h| at(LISBON, 2026, 3, 3, h);
    let activity = vec![
        touch(1, 10, t(9)),
        touch(1, 11, t(9)), // the same call with two people
        touch(2, 10, t(10)),
        Activity {
            at: t(11),
            contact_id: 12,
            what: ActivityKind::Interaction {
                id: 3,
                kind: InteractionKind::Event,
            },
        },
        Activity {
            at: t(11),
            contact_id: 12,
            what: ActivityKind::FirstMet,
        },
        Activity {
            at: t(12),
            contact_id: 10,
            what: ActivityKind::FollowUpCompleted { id: 7 },
        },
    ];
    let now = at(LISBON, 2026, 3, 4, 12);
    let n = |metric| {
        progress(
            &goal(metric, 10, Period::Weekly, start),
            &activity,
            LISBON,
            Weekday::Mon,
            now,
        )
        .current
        .count
    };
    assert_eq!(n(Metric::InteractionsLogged), 3);
    assert_eq!(n(Metric::DistinctContactsReached), 3);
    assert_eq!(n(Metric::NewContactsMet), 1);
    assert_eq!(n(Metric::EventsAttended), 1);
    assert_eq!(n(Metric::FollowUpsCompleted), 1);
}

#[test]
fn weeks_start_on_the_chosen_day_in_the_users_time_zone() {
    let start = date(2026, 3, 1);
    // Sunday 23:30 in New York is already Monday in UTC.
    let late_sunday = NEW_YORK
        .with_ymd_and_hms(2026, 3, 8, 23, 30, 0)
        .unwrap()
        .with_timezone(&Utc);
    let activity = vec![touch(1, 1, late_sunday)];
    let g = goal(Metric::InteractionsLogged, 1, Period::Weekly, start);
    let monday_noon = at(NEW_YORK, 2026, 3, 9, 12);
    // Weeks from Monday: the call was last week.
    let mon = progress(&g, &activity, NEW_YORK, Weekday::Mon, monday_noon);
    assert_eq!(mon.current.count, 0);
    assert_eq!(mon.history[mon.history.len() - 2].count, 1);
    // Weeks from Sunday: the call is this week.
    let sun = progress(&g, &activity, NEW_YORK, Weekday::Sun, monday_noon);
    assert_eq!(sun.current.count, 1);
}

#[test]
fn pace_compares_with_a_steady_rhythm() {
    let start = date(2026, 3, 1);
    let g = goal(Metric::InteractionsLogged, 4, Period::Monthly, start);
    // Mid-March (31 days): about 2 expected.
    let now = at(LISBON, 2026, 3, 16, 12);
    let p = |n: i64| {
        let activity: Vec<_> = (0..n)
            .map(|i| touch(i, i, at(LISBON, 2026, 3, 2, 9)))
            .collect();
        progress(&g, &activity, LISBON, Weekday::Mon, now)
    };
    assert_eq!(p(0).pace, Pace::Behind(2));
    assert!((p(0).expected - 2.0).abs() < 0.1, "{}", p(0).expected);
    assert_eq!(p(2).pace, Pace::OnTrack);
    assert_eq!(p(4).pace, Pace::Done);
    let early = progress(
        &g,
        &[
            touch(1, 1, at(LISBON, 2026, 3, 2, 9)),
            touch(2, 2, at(LISBON, 2026, 3, 2, 10)),
        ],
        LISBON,
        Weekday::Mon,
        at(LISBON, 2026, 3, 3, 12),
    );
    assert_eq!(early.pace, Pace::Ahead(1));
}

#[test]
fn deadline_goals_count_everything_from_start_to_deadline() {
    let g = GoalInput {
        deadline: Some(date(2026, 3, 31)),
        ..goal(
            Metric::DistinctContactsReached,
            8,
            Period::ByDeadline,
            date(2026, 1, 1),
        )
    };
    let activity = vec![
        touch(1, 1, at(LISBON, 2025, 12, 31, 12)), // before the start
        touch(2, 2, at(LISBON, 2026, 1, 15, 12)),
        touch(3, 3, at(LISBON, 2026, 3, 31, 22)), // last evening counts
        touch(4, 4, at(LISBON, 2026, 4, 1, 9)),   // too late
    ];
    let p = progress(
        &g,
        &activity,
        LISBON,
        Weekday::Mon,
        at(LISBON, 2026, 2, 14, 12),
    );
    assert_eq!(p.current.count, 1);
    assert_eq!(p.history.len(), 1);
    let after = progress(
        &g,
        &activity,
        LISBON,
        Weekday::Mon,
        at(LISBON, 2026, 5, 1, 12),
    );
    assert_eq!(after.current.count, 2);
    assert_eq!(after.current.end, at(LISBON, 2026, 4, 1, 0));
    // Half way through the 90 days: about 4 expected.
    assert!((p.expected - 3.9).abs() < 0.3, "{}", p.expected);
}

#[test]
fn paused_goals_keep_counting_but_have_no_pace() {
    let g = GoalInput {
        status: GoalStatus::Paused,
        ..goal(
            Metric::InteractionsLogged,
            3,
            Period::Weekly,
            date(2026, 3, 2),
        )
    };
    let p = progress(
        &g,
        &[touch(1, 1, at(LISBON, 2026, 3, 3, 9))],
        LISBON,
        Weekday::Mon,
        at(LISBON, 2026, 3, 6, 9),
    );
    assert_eq!(p.current.count, 1);
    assert_eq!(p.pace, Pace::Inactive);
}

#[test]
fn the_streak_counts_periods_met_back_from_the_last_one() {
    let start = date(2026, 1, 5); // Monday
    let g = goal(Metric::InteractionsLogged, 1, Period::Weekly, start);
    let week = |w: i64| at(LISBON, 2026, 1, 6, 9) + Duration::weeks(w);
    // Met in weeks 0, 2, 3, 4; missed week 1.
    let activity = vec![
        touch(1, 1, week(0)),
        touch(2, 1, week(2)),
        touch(3, 1, week(3)),
        touch(4, 1, week(4)),
    ];
    // During week 5, before any touch: weeks 2..=4 make 3.
    let p = progress(&g, &activity, LISBON, Weekday::Mon, week(5));
    assert_eq!(p.streak, 3);
    assert_eq!(
        p.history.iter().map(|h| h.count).collect::<Vec<_>>(),
        [1, 0, 1, 1, 1, 0]
    );
    // Once week 5 is met, it counts too.
    let mut more = activity.clone();
    more.push(touch(5, 1, week(5)));
    assert_eq!(
        progress(
            &g,
            &more,
            LISBON,
            Weekday::Mon,
            week(5) + Duration::hours(1)
        )
        .streak,
        4
    );
}

#[test]
fn history_keeps_the_last_twelve_periods() {
    let g = goal(
        Metric::InteractionsLogged,
        1,
        Period::Weekly,
        date(2025, 1, 6),
    );
    let p = progress(&g, &[], LISBON, Weekday::Mon, at(LISBON, 2026, 3, 4, 9));
    assert_eq!(p.history.len(), HISTORY_PERIODS);
    assert_eq!(p.history.last(), Some(&p.current));
}

#[test]
fn periods_follow_local_midnight_across_dst_changes() {
    // Lisbon moves to summer time on 29 March 2026; the week still starts at local
    // midnight on Monday 30 March, which is 23:00 UTC on the Sunday.
    let g = goal(
        Metric::InteractionsLogged,
        1,
        Period::Weekly,
        date(2026, 3, 23),
    );
    let p = progress(&g, &[], LISBON, Weekday::Mon, at(LISBON, 2026, 4, 1, 12));
    assert_eq!(
        p.current.start,
        Utc.with_ymd_and_hms(2026, 3, 29, 23, 0, 0).unwrap()
    );
    assert_eq!(p.history[0].end - p.history[0].start, Duration::hours(167));
    // In São Paulo-style zones a midnight can be skipped; the day then starts at the
    // first instant it has.
    let skipped = local_midnight(chrono_tz::America::Santiago, date(2026, 9, 6));
    assert_eq!(
        skipped
            .with_timezone(&chrono_tz::America::Santiago)
            .date_naive(),
        date(2026, 9, 6)
    );
}

#[test]
fn a_goal_starting_mid_period_counts_from_its_start_date() {
    let g = goal(
        Metric::InteractionsLogged,
        2,
        Period::Monthly,
        date(2026, 3, 10),
    );
    let activity = vec![
        touch(1, 1, at(LISBON, 2026, 3, 5, 9)),
        touch(2, 1, at(LISBON, 2026, 3, 12, 9)),
    ];
    let p = progress(
        &g,
        &activity,
        LISBON,
        Weekday::Mon,
        at(LISBON, 2026, 3, 20, 9),
    );
    assert_eq!(p.current.count, 1);
    assert_eq!(p.current.start, at(LISBON, 2026, 3, 10, 0));
}

#[test]
fn invalid_goals_are_refused_with_the_field() {
    let ok = goal(
        Metric::InteractionsLogged,
        3,
        Period::Weekly,
        date(2026, 3, 2),
    );
    let field = |g: GoalInput| match g.validated() {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected an error, got {other:?}"),
    };
    assert_eq!(
        field(GoalInput {
            target: 0,
            ..ok.clone()
        }),
        "target"
    );
    assert_eq!(
        field(GoalInput {
            target: MAX_TARGET + 1,
            ..ok.clone()
        }),
        "target"
    );
    assert_eq!(
        field(GoalInput {
            title: "  ".into(),
            ..ok.clone()
        }),
        "title"
    );
    assert_eq!(
        field(GoalInput {
            period: Period::ByDeadline,
            ..ok.clone()
        }),
        "deadline"
    );
    assert_eq!(
        field(GoalInput {
            period: Period::ByDeadline,
            deadline: Some(date(2026, 1, 1)),
            ..ok.clone()
        }),
        "deadline"
    );
    assert_eq!(
        field(GoalInput {
            start_date: date(1066, 10, 14),
            ..ok.clone()
        }),
        "startDate"
    );
    let tidy = GoalInput {
        audience: Audience {
            tags: vec![
                " former colleague".into(),
                "Former Colleague".into(),
                "".into(),
            ],
            contact_ids: vec![3, 1, 3],
            ..Audience::default()
        },
        ..ok
    }
    .validated()
    .unwrap();
    assert_eq!(tidy.audience.tags, ["former colleague"]);
    assert_eq!(tidy.audience.contact_ids, [1, 3]);
}

#[test]
fn every_kind_has_a_valid_template() {
    for kind in [
        GoalKind::SecureRole,
        GoalKind::BuildSkill,
        GoalKind::ChangeField,
        GoalKind::ReconnectColleagues,
        GoalKind::GrowVisibility,
        GoalKind::AttendEvents,
        GoalKind::Custom,
    ] {
        let t = GoalInput::template(kind, date(2026, 3, 2));
        assert!(t.clone().validated().is_ok(), "{kind:?}");
        assert_eq!(t.kind, kind);
    }
    assert_eq!(
        GoalInput::template(GoalKind::ReconnectColleagues, date(2026, 3, 2))
            .audience
            .tags,
        ["former colleague"]
    );
}

#[test]
fn a_weekly_or_monthly_goal_made_mid_period_counts_from_the_period_start() {
    // Made on Thursday 3 December 2026; weeks start on Monday.
    let today = date(2026, 12, 3);
    assert_eq!(
        first_day(Period::Monthly, Weekday::Mon, today),
        date(2026, 12, 1)
    );
    assert_eq!(
        first_day(Period::Weekly, Weekday::Mon, today),
        date(2026, 11, 30)
    );
    assert_eq!(
        first_day(Period::Weekly, Weekday::Sun, today),
        date(2026, 11, 29)
    );
    assert_eq!(first_day(Period::ByDeadline, Weekday::Mon, today), today);

    let offered = GoalInput::offered(GoalKind::BuildSkill, today, Weekday::Mon);
    assert_eq!(offered.period, Period::Monthly);
    assert_eq!(offered.start_date, date(2026, 12, 1));
    assert!(offered.clone().validated().is_ok());
    assert_eq!(
        GoalInput::offered(GoalKind::SecureRole, today, Weekday::Mon).start_date,
        date(2026, 11, 30)
    );

    // Touches of the 1st and the 2nd count in the goal's first month.
    let activity = [
        touch(1, 1, at(LISBON, 2026, 12, 1, 9)),
        touch(2, 2, at(LISBON, 2026, 12, 2, 18)),
        touch(3, 3, at(LISBON, 2026, 11, 30, 9)),
    ];
    let now = at(LISBON, 2026, 12, 3, 10);
    let p = progress(&offered, &activity, LISBON, Weekday::Mon, now);
    assert_eq!(p.current.count, 2, "November's touch is not this month's");
    assert_eq!(p.current.start, at(LISBON, 2026, 12, 1, 0));
    assert_eq!(p.history.len(), 1);

    // A date the user picks still starts the count on that day.
    let picked = GoalInput {
        start_date: today,
        ..offered
    };
    assert_eq!(
        progress(&picked, &activity, LISBON, Weekday::Mon, now)
            .current
            .count,
        0
    );
}
