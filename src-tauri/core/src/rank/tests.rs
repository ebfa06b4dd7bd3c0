use chrono::{Duration, TimeZone};

use super::*;

mod properties;

const UTC: Tz = chrono_tz::UTC;

fn now() -> DateTime<Utc> {
    // Monday 23 November 2026, 10:15 UTC.
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 15, 0).unwrap()
}

fn days_ago(d: i64) -> DateTime<Utc> {
    now() - Duration::days(d)
}

fn person(id: i64, name: &str) -> Candidate {
    Candidate {
        id,
        name: name.into(),
        circle: Circle::Network,
        cadence_days: Some(30),
        created_at: days_ago(400),
        last_touch_at: Some(days_ago(10)),
        last_kind: Some((InteractionKind::Call, Some(Direction::Outbound))),
        interaction_count: 2,
        preferred_channel: None,
        time_zone: None,
        birthday: None,
        follow_ups: Vec::new(),
        goals: Vec::new(),
        events: Vec::new(),
        hidden_until: None,
    }
}

fn names(s: &[Suggestion]) -> Vec<&str> {
    s.iter().map(|s| s.name.as_str()).collect()
}

fn texts(s: &Suggestion) -> Vec<&str> {
    s.reasons.iter().map(|r| r.text.as_str()).collect()
}

#[test]
fn cadence_due_and_overdue_rise_with_time() {
    let fresh = person(1, "Fresh");
    let due = Candidate {
        last_touch_at: Some(days_ago(30)),
        ..person(2, "Due")
    };
    let late = Candidate {
        last_touch_at: Some(days_ago(42)),
        ..person(3, "Late")
    };
    let ranked = rank(&[fresh, due, late], UTC, now());
    assert_eq!(names(&ranked), ["Late", "Due"]);
    assert_eq!(texts(&ranked[0]), ["Due 12 days ago (every 30 days)"]);
    assert_eq!(texts(&ranked[1]), ["Due today (every 30 days)"]);
    assert!(ranked[0].score > ranked[1].score);
}

#[test]
fn follow_ups_late_or_soon_make_someone_a_suggestion() {
    let late = Candidate {
        follow_ups: vec![FollowUpSignal {
            id: 1,
            title: "send the article you promised".into(),
            due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
            done_unreported: false,
        }],
        ..person(1, "Late homework")
    };
    let soon = Candidate {
        follow_ups: vec![FollowUpSignal {
            id: 1,
            title: "book the workshop room".into(),
            due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
            done_unreported: false,
        }],
        ..person(2, "Soon homework")
    };
    let ranked = rank(&[soon, late], UTC, now());
    assert_eq!(names(&ranked), ["Late homework", "Soon homework"]);
    assert_eq!(
        texts(&ranked[0]),
        ["Follow-up 3 days late: send the article you promised"]
    );
    assert_eq!(ranked[0].action, Action::DoFollowUp);
    assert_eq!(
        texts(&ranked[1]),
        ["Follow-up due on Wednesday: book the workshop room"]
    );
}

#[test]
fn finished_homework_not_yet_told_suggests_reporting_back() {
    let c = Candidate {
        follow_ups: vec![FollowUpSignal {
            id: 1,
            title: "read the book she recommended".into(),
            due_on: None,
            done_unreported: true,
        }],
        ..person(1, "Priya")
    };
    let ranked = rank(&[c], UTC, now());
    assert_eq!(ranked[0].action, Action::ReportBack);
    assert_eq!(
        texts(&ranked[0]),
        ["You finished “read the book she recommended”: tell them"]
    );
}

#[test]
fn goals_lift_more_when_behind_and_say_what_one_touch_would_do() {
    let goal = |about_new_people, behind| GoalSignal {
        title: "Reconnect with former colleagues".into(),
        count: 3,
        target: 10,
        behind,
        about_new_people,
        reconnect: false,
    };
    let behind = Candidate {
        goals: vec![goal(false, true)],
        ..person(1, "Colleague")
    };
    let on_pace = Candidate {
        goals: vec![goal(false, false)],
        ..person(2, "On pace")
    };
    let stranger = Candidate {
        interaction_count: 0,
        last_touch_at: None,
        created_at: days_ago(1),
        goals: vec![goal(true, false)],
        ..person(3, "Stranger")
    };
    let ranked = rank(&[on_pace, stranger, behind], UTC, now());
    assert_eq!(names(&ranked), ["Colleague", "On pace", "Stranger"]);
    assert!(ranked[0].score > ranked[1].score);
    // The chip is short; "Why first?" says what one touch would do.
    assert_eq!(texts(&ranked[0]), ["Goal: former colleagues, 3 of 10"]);
    assert_eq!(
        ranked[0].points[0].reason,
        "Counts toward “Reconnect with former colleagues”: would make it 4 of 10, behind pace"
    );
    assert_eq!(texts(&ranked[2]), ["Goal: former colleagues, 3 of 10"]);
    assert_eq!(
        ranked[2].points[0].reason,
        "Someone new for “Reconnect with former colleagues”: would make it 4 of 10"
    );
}

/// A network contact touched 10 days ago (within their rhythm) whose birthday is today.
fn birthday_today() -> Candidate {
    Candidate {
        birthday: Some(Birthday {
            month: 11,
            day: 23,
            year: Some(1990),
        }),
        ..person(2, "Today")
    }
}

#[test]
fn birthdays_this_week_and_today() {
    let friday = Candidate {
        birthday: Some(Birthday {
            month: 11,
            day: 27,
            year: None,
        }),
        ..person(1, "Friday")
    };
    let ranked = rank(&[friday, birthday_today()], UTC, now());
    assert_eq!(names(&ranked), ["Today", "Friday"]);
    assert_eq!(ranked[0].action, Action::WishHappyBirthday);
    assert_eq!(texts(&ranked[1]), ["Birthday on Friday"]);
    // Wished (any touch on the day): the birthday asks nothing more today.
    let wished = Candidate {
        last_touch_at: Some(now() - Duration::hours(1)),
        ..birthday_today()
    };
    assert!(rank(&[wished], UTC, now()).is_empty());
    // 29 February is celebrated on 1 March in other years.
    let leap = Birthday {
        month: 2,
        day: 29,
        year: None,
    };
    assert_eq!(
        next_birthday(leap, NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()),
        NaiveDate::from_ymd_opt(2027, 3, 1)
    );
}

#[test]
fn dormant_strong_ties_resurface() {
    let c = Candidate {
        cadence_days: Some(365),
        interaction_count: 12,
        last_touch_at: Some(days_ago(250)),
        ..person(1, "Old friend")
    };
    let ranked = rank(&[c], UTC, now());
    assert_eq!(
        texts(&ranked[0]),
        ["Quiet for 8 months after 12 conversations"]
    );
}

#[test]
fn closer_circles_win_ties() {
    let a = Candidate {
        circle: Circle::Acquaintance,
        last_touch_at: Some(days_ago(30)),
        ..person(1, "Aaron")
    };
    let b = Candidate {
        circle: Circle::Inner,
        last_touch_at: Some(days_ago(30)),
        ..person(2, "Zoe")
    };
    assert_eq!(names(&rank(&[a, b], UTC, now())), ["Zoe", "Aaron"]);
}

#[test]
fn calls_only_in_their_daytime_and_their_time_is_a_reason() {
    let tokyo = Candidate {
        preferred_channel: Some(Channel::Call),
        time_zone: Some(chrono_tz::Asia::Tokyo), // 19:15 there: still daytime
        last_touch_at: Some(days_ago(31)),
        ..person(1, "Kenji")
    };
    let honolulu = Candidate {
        preferred_channel: Some(Channel::Call),
        time_zone: Some(chrono_tz::Pacific::Honolulu), // 00:15 there
        last_touch_at: Some(days_ago(31)),
        ..person(2, "Leilani")
    };
    let ranked = rank(&[tokyo, honolulu], UTC, now());
    let by_name = |n: &str| ranked.iter().find(|s| s.name == n).unwrap();
    assert_eq!(by_name("Kenji").action, Action::Call);
    assert!(texts(by_name("Kenji")).contains(&"19:15 there"));
    assert_eq!(by_name("Leilani").action, Action::Message);
    assert!(texts(by_name("Leilani")).contains(&"00:15 there — message instead"));
}

#[test]
fn a_contact_thirteen_hours_ahead_gets_a_message_at_their_night_and_a_call_at_their_morning() {
    // The user in Lisbon (UTC+0 in November), the contact in Auckland (UTC+13, NZDT).
    let lisbon: Tz = chrono_tz::Europe::Lisbon;
    let kiri = Candidate {
        preferred_channel: Some(Channel::Call),
        time_zone: Some(chrono_tz::Pacific::Auckland),
        last_touch_at: Some(days_ago(40)),
        ..person(1, "Kiri")
    };
    let at = |h| {
        let s = rank(
            std::slice::from_ref(&kiri),
            lisbon,
            now() + Duration::hours(h),
        )
        .remove(0);
        (s.action, texts(&s).last().map(|t| t.to_string()))
    };
    // 10:15 in Lisbon is 23:15 in Auckland; 20:15 is 09:15 the next day there.
    assert_eq!(
        at(0),
        (
            Action::Message,
            Some("23:15 there — message instead".into())
        )
    );
    assert_eq!(at(10), (Action::Call, Some("09:15 there".into())));
}

#[test]
fn actions_follow_the_situation_and_the_channel() {
    let due = |id, name: &str| Candidate {
        last_touch_at: Some(days_ago(31)),
        ..person(id, name)
    };
    let intro = Candidate {
        last_kind: Some((InteractionKind::Intro, Some(Direction::Inbound))),
        ..due(1, "Introducer")
    };
    let coffee = Candidate {
        preferred_channel: Some(Channel::InPerson),
        ..due(2, "Coffee")
    };
    let email = Candidate {
        preferred_channel: Some(Channel::Email),
        ..due(3, "Email")
    };
    let network = due(4, "Network");
    let acquaintance = Candidate {
        circle: Circle::Acquaintance,
        ..due(5, "Acq")
    };
    let close = Candidate {
        circle: Circle::Close,
        ..due(6, "Close")
    };
    let ranked = rank(
        &[intro, coffee, email, network, acquaintance, close],
        UTC,
        now(),
    );
    let action = |n: &str| ranked.iter().find(|s| s.name == n).unwrap().action;
    assert_eq!(action("Introducer"), Action::SayThanks);
    assert_eq!(action("Coffee"), Action::InviteForCoffee);
    assert_eq!(action("Email"), Action::Email);
    assert_eq!(action("Network"), Action::AskHowTheyAre);
    assert_eq!(action("Acq"), Action::ShareArticle);
    assert_eq!(action("Close"), Action::Call);
}

#[test]
fn penalties_snoozed_dismissed_and_recently_touched() {
    let due = |id, name: &str| Candidate {
        last_touch_at: Some(days_ago(40)),
        ..person(id, name)
    };
    let snoozed = Candidate {
        hidden_until: Some(now() + Duration::days(1)),
        ..due(1, "Snoozed")
    };
    let woke = Candidate {
        hidden_until: Some(now() - Duration::minutes(1)),
        ..due(2, "Woke")
    };
    let just_seen = Candidate {
        last_touch_at: Some(now() - Duration::hours(5)),
        follow_ups: vec![FollowUpSignal {
            id: 1,
            title: "send slides".into(),
            due_on: Some(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            done_unreported: false,
        }],
        ..person(3, "Just seen")
    };
    assert_eq!(
        names(&rank(&[snoozed, woke, just_seen], UTC, now())),
        ["Woke"]
    );
}

#[test]
fn an_event_coming_up_turns_a_due_touch_into_an_invitation() {
    let meetup = || EventSignal {
        title: "Rust Lisbon meetup".into(),
        on: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    };
    let due = Candidate {
        last_touch_at: Some(days_ago(31)),
        events: vec![
            EventSignal {
                title: "RustConf".into(),
                on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            },
            meetup(),
        ],
        ..person(1, "Due member")
    };
    let not_due = Candidate {
        events: vec![meetup()],
        ..person(2, "Seen lately")
    };
    let owed = Candidate {
        last_touch_at: Some(days_ago(31)),
        events: vec![meetup()],
        follow_ups: vec![FollowUpSignal {
            id: 1,
            title: "send the slides".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 11, 20),
            done_unreported: false,
        }],
        ..person(3, "Owed slides")
    };
    let plain = Candidate {
        last_touch_at: Some(days_ago(31)),
        ..person(4, "Plain")
    };
    let ranked = rank(&[due, not_due, owed, plain], UTC, now());
    // Alone, an event is not enough to suggest someone; with a reason, it adds to it.
    assert_eq!(names(&ranked), ["Owed slides", "Due member", "Plain"]);
    assert_eq!(ranked[1].action, Action::InviteToEvent);
    assert_eq!(
        texts(&ranked[1]),
        [
            "Due 1 day ago (every 30 days)",
            "Rust Lisbon meetup tomorrow: invite them"
        ]
    );
    // A promise comes first; the event is still a reason.
    assert_eq!(ranked[0].action, Action::DoFollowUp);
    assert!(texts(&ranked[0]).contains(&"Rust Lisbon meetup tomorrow: invite them"));
    assert_eq!(ranked[2].action, Action::AskHowTheyAre);
    assert_eq!(
        day_words(
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            now().date_naive()
        ),
        "on 4 December"
    );
}

#[test]
fn lateness_rises_ever_more_slowly_past_three_cadences() {
    let w = Weights::DEFAULT;
    assert_eq!(cadence_points(0.99, &w), 0.0);
    assert_eq!(cadence_points(1.0, &w), 10.0);
    assert_eq!(cadence_points(3.0, &w), 30.0);
    assert!(
        (cadence_points(3.000_001, &w) - 30.0).abs() < 1e-4,
        "continuous"
    );
    assert_eq!(cadence_points(6.0, &w), 35.0);
    let mut last = 0.0;
    for tenth in 10..2_000 {
        let p = cadence_points(f64::from(tenth) / 10.0, &w);
        assert!(p > last && p < 40.0, "{tenth}: {p}");
        last = p;
    }
    // So two people years overdue are still told apart by how late they are.
    let years = Candidate {
        last_touch_at: Some(days_ago(3 * 365)),
        ..person(1, "Three years")
    };
    let months = Candidate {
        last_touch_at: Some(days_ago(120)),
        ..person(2, "Four months")
    };
    assert_eq!(
        names(&rank(&[months, years], UTC, now())),
        ["Three years", "Four months"]
    );
}

#[test]
fn the_users_day_and_their_daytime_follow_daylight_saving() {
    let berlin: Tz = chrono_tz::Europe::Berlin;
    let new_york = chrono_tz::America::New_York;
    let spring = Candidate {
        birthday: Some(Birthday {
            month: 3,
            day: 29,
            year: None,
        }),
        follow_ups: vec![FollowUpSignal {
            id: 1,
            title: "send the deck".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, 28),
            done_unreported: false,
        }],
        preferred_channel: Some(Channel::Call),
        time_zone: Some(new_york),
        last_touch_at: Some(Utc.with_ymd_and_hms(2026, 3, 20, 12, 0, 0).unwrap()),
        ..person(1, "Sam")
    };
    // 23:30 UTC on 28 March is already 29 March in Berlin (00:30 CET): birthday today,
    // and the follow-up due on the 28th is late.
    let night = Utc.with_ymd_and_hms(2026, 3, 28, 23, 30, 0).unwrap();
    let s = &rank(std::slice::from_ref(&spring), berlin, night)[0];
    assert!(texts(s).contains(&"Birthday today"), "{:?}", texts(s));
    assert!(texts(s).contains(&"Follow-up 1 day late: send the deck"));
    // Berlin moves to CEST at 01:00 UTC on 29 March: 22:30 UTC is 00:30 on the 30th.
    let next_night = Utc.with_ymd_and_hms(2026, 3, 29, 22, 30, 0).unwrap();
    let s = &rank(std::slice::from_ref(&spring), berlin, next_night)[0];
    assert!(!texts(s).iter().any(|t| t.starts_with("Birthday")));
    // New York springs forward on 8 March: 13:30 UTC is 08:30 EST the day before (too
    // early to call) but 09:30 EDT that day.
    let call = |at: DateTime<Utc>| {
        let c = Candidate {
            birthday: None,
            follow_ups: Vec::new(),
            last_touch_at: Some(at - Duration::days(40)),
            ..spring.clone()
        };
        let s = rank(&[c], berlin, at).remove(0);
        (s.action, texts(&s).last().map(|t| t.to_string()))
    };
    assert_eq!(
        call(Utc.with_ymd_and_hms(2026, 3, 7, 13, 30, 0).unwrap()),
        (
            Action::Message,
            Some("08:30 there — message instead".into())
        )
    );
    assert_eq!(
        call(Utc.with_ymd_and_hms(2026, 3, 8, 13, 30, 0).unwrap()),
        (Action::Call, Some("09:30 there".into()))
    );
}

#[test]
fn a_suggestion_names_the_follow_up_it_is_owed_for() {
    let owed = |id, due: i64| FollowUpSignal {
        id,
        title: format!("promise {id}"),
        due_on: Some(now().date_naive() + Duration::days(due)),
        done_unreported: false,
    };
    let c = Candidate {
        follow_ups: vec![owed(7, 2), owed(8, 0), owed(9, -3), owed(10, -1)],
        ..person(1, "Owed")
    };
    assert_eq!(
        score(&c, UTC, now(), &Weights::DEFAULT)
            .unwrap()
            .follow_up_id,
        Some(9)
    );
    let today_only = Candidate {
        follow_ups: vec![owed(7, 2), owed(8, 0)],
        ..person(2, "Today")
    };
    let s = score(&today_only, UTC, now(), &Weights::DEFAULT).unwrap();
    assert_eq!(s.follow_up_id, Some(8));
    // Soon, or done and to report back: nothing owed to do.
    let soon = Candidate {
        follow_ups: vec![
            owed(7, 2),
            FollowUpSignal {
                done_unreported: true,
                ..owed(11, -5)
            },
        ],
        ..person(3, "Soon")
    };
    let s = score(&soon, UTC, now(), &Weights::DEFAULT).unwrap();
    assert_eq!(s.follow_up_id, None);
}

#[test]
fn a_birthday_a_week_away_is_next_weekday_not_this_one() {
    // Monday 23 November: next Monday is 30 November, a week away; further is a date.
    let born = |month, day| Candidate {
        birthday: Some(Birthday {
            month,
            day,
            year: None,
        }),
        last_touch_at: Some(days_ago(95)),
        ..person(1, "Ana")
    };
    let said = |c: Candidate| {
        score(&c, UTC, now(), &Weights::DEFAULT)
            .map(|s| texts(&s).iter().map(|t| t.to_string()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert!(said(born(11, 30)).contains(&"Birthday next Monday".to_string()));
    assert!(said(born(11, 29)).contains(&"Birthday on Sunday".to_string()));
    assert!(said(born(11, 25)).contains(&"Birthday on Wednesday".to_string()));
    assert!(!said(born(12, 1)).iter().any(|t| t.starts_with("Birthday")));
    // The same words for an event a week or more away.
    let today = now().date_naive();
    assert_eq!(day_words(today + Duration::days(7), today), "next Monday");
    assert_eq!(day_words(today + Duration::days(6), today), "on Sunday");
    assert_eq!(day_words(today + Duration::days(8), today), "on 1 December");
}

#[test]
fn their_local_time_is_said_only_when_it_is_not_the_users() {
    let due = |zone| Candidate {
        preferred_channel: Some(Channel::Call),
        time_zone: Some(zone),
        last_touch_at: Some(days_ago(31)),
        ..person(1, "Ana")
    };
    let local = |zone, user: Tz, at: DateTime<Utc>| {
        let s = score(&due(zone), user, at, &Weights::DEFAULT).unwrap();
        let time: Vec<String> = s
            .reasons
            .iter()
            .filter(|r| r.signal == Signal::LocalTime)
            .map(|r| r.text.clone())
            .collect();
        (s.action, time)
    };
    // Same zone, or another zone with the same offset now: nothing to say.
    assert_eq!(
        local(chrono_tz::Europe::Lisbon, chrono_tz::Europe::Lisbon, now()),
        (Action::Call, vec![])
    );
    assert_eq!(
        local(chrono_tz::Europe::London, chrono_tz::Europe::Lisbon, now()),
        (Action::Call, vec![])
    );
    // Berlin is an hour ahead of Lisbon: 11:15 there.
    assert_eq!(
        local(chrono_tz::Europe::Berlin, chrono_tz::Europe::Lisbon, now()),
        (Action::Call, vec!["11:15 there".to_string()])
    );
    // 03:53 in Los Angeles: a call becomes a message, and the chip says why.
    let night = Utc.with_ymd_and_hms(2026, 11, 23, 11, 53, 0).unwrap();
    assert_eq!(
        local(chrono_tz::America::Los_Angeles, UTC, night),
        (
            Action::Message,
            vec!["03:53 there — message instead".to_string()]
        )
    );
    // An email at their night: no call to swap, still a hint.
    let emailer = Candidate {
        preferred_channel: Some(Channel::Email),
        ..due(chrono_tz::America::Los_Angeles)
    };
    let s = score(&emailer, UTC, night, &Weights::DEFAULT).unwrap();
    assert_eq!(s.action, Action::Email);
    assert!(texts(&s).contains(&"03:53 there — outside their day"));
}

#[test]
fn the_goal_chip_is_short_and_a_reconnect_goal_skips_someone_seen_this_week() {
    let goal = |title: &str, reconnect| GoalSignal {
        title: title.into(),
        count: 1,
        target: 5,
        behind: true,
        about_new_people: false,
        reconnect,
    };
    let chip = |c: &Candidate| {
        score(c, UTC, now(), &Weights::DEFAULT).map(|s| {
            s.reasons
                .iter()
                .filter(|r| r.signal == Signal::Goal)
                .map(|r| r.text.clone())
                .collect::<Vec<_>>()
        })
    };
    let colleague = Candidate {
        goals: vec![goal("Reconnect with former colleagues", true)],
        last_touch_at: Some(days_ago(40)),
        ..person(1, "Ana")
    };
    assert_eq!(
        chip(&colleague),
        Some(vec!["Goal: former colleagues, 1 of 5".to_string()])
    );
    // Seen three days ago (last month, so not counted yet): not someone to reconnect with.
    let seen = Candidate {
        last_touch_at: Some(days_ago(3)),
        ..colleague.clone()
    };
    assert_eq!(chip(&seen), None);
    // A week ago is long enough; another kind of goal lifts them whenever.
    let week = Candidate {
        last_touch_at: Some(days_ago(7)),
        ..colleague.clone()
    };
    assert_eq!(
        chip(&week),
        Some(vec!["Goal: former colleagues, 1 of 5".to_string()])
    );
    let learn = Candidate {
        goals: vec![goal("Learn from designers", false)],
        ..seen.clone()
    };
    assert_eq!(
        chip(&learn),
        Some(vec!["Goal: designers, 1 of 5".to_string()])
    );
    // Titles without a lead are kept; long ones are cut.
    assert_eq!(short_goal_title("Rust community"), "Rust community");
    assert_eq!(short_goal_title("Meet"), "Meet");
    assert_eq!(
        short_goal_title("Talk to people who can open doors in the industry"),
        "people who can open doors i…"
    );
}

#[test]
fn what_can_only_be_done_today_outranks_all_that_can_wait() {
    let w = Weights::DEFAULT;
    // The most that can wait: an inner friend years late, a strong tie gone quiet, behind on
    // two goals, an event, a birthday tomorrow and homework to report back.
    let goal = GoalSignal {
        title: "Stay close".into(),
        count: 0,
        target: 5,
        behind: true,
        about_new_people: false,
        reconnect: false,
    };
    let everything = Candidate {
        circle: Circle::Inner,
        cadence_days: Some(14),
        last_touch_at: Some(days_ago(3 * 365)),
        interaction_count: 40,
        goals: vec![goal.clone(), goal],
        events: vec![EventSignal {
            title: "Meetup".into(),
            on: now().date_naive() + Duration::days(2),
        }],
        birthday: Some(Birthday {
            month: 11,
            day: 24,
            year: None,
        }),
        follow_ups: vec![FollowUpSignal {
            id: 1,
            title: "read the book".into(),
            due_on: None,
            done_unreported: true,
        }],
        ..person(1, "Everything")
    };
    let most = score(&everything, UTC, now(), &w).unwrap();
    assert_eq!(most.score, Weights::WAIT_CAP + 3.0);
    assert!(most
        .points
        .iter()
        .any(|p| p.signal == Signal::CanWait && p.points < 0.0));
    // An acquaintance's birthday today, or a promise due today to one, is above it.
    let birthday = Candidate {
        circle: Circle::Acquaintance,
        last_touch_at: Some(days_ago(1)),
        birthday: Some(Birthday {
            month: 11,
            day: 23,
            year: None,
        }),
        ..person(2, "Birthday")
    };
    let promise = Candidate {
        circle: Circle::Acquaintance,
        last_touch_at: Some(days_ago(1)),
        follow_ups: vec![FollowUpSignal {
            id: 2,
            title: "send it".into(),
            due_on: Some(now().date_naive()),
            done_unreported: false,
        }],
        ..person(3, "Promise")
    };
    let ranked = rank(&[everything, birthday, promise], UTC, now());
    assert_eq!(names(&ranked)[2], "Everything");
    assert!(ranked[1].score > ranked[2].score);
}

#[test]
fn actions_are_said_in_the_words_todays_cards_use() {
    // `actions` in ui/src/lib/format.ts: `name: { label: "…", …`, one line each.
    let format_ts = include_str!("../../../../ui/src/lib/format.ts");
    let all = [
        Action::Call,
        Action::VideoCall,
        Action::Email,
        Action::Message,
        Action::InviteForCoffee,
        Action::ShareArticle,
        Action::SayThanks,
        Action::AskHowTheyAre,
        Action::ReportBack,
        Action::DoFollowUp,
        Action::WishHappyBirthday,
        Action::InviteToEvent,
    ];
    for action in all {
        let name = serde_json::to_value(action).unwrap();
        let line = format!(
            "  {}: {{ label: \"{}\"",
            name.as_str().unwrap(),
            action.label()
        );
        assert!(format_ts.contains(&line), "format.ts has no `{line}`");
    }
    assert_eq!(Action::DoFollowUp.label(), "Do what you promised");
}
