use chrono::TimeZone;

use super::*;
use crate::events::EventInput;
use crate::goals::{Audience, GoalInput, GoalKind, Period};
use crate::history::{Direction, InteractionKind};
use crate::history::{FollowUpInput, InteractionInput};
use crate::model::ContactInput;
use crate::rank::Action;
use crate::repeat::Repeat;
use crate::store::tests::temp_store;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
}

fn add(store: &mut Store, name: &str, circle: Circle, tags: &[&str]) -> i64 {
    store
        .add_contact(
            ContactInput {
                display_name: name.into(),
                circle,
                tags: tags.iter().map(|t| (*t).into()).collect(),
                ..ContactInput::default()
            },
            now() - Duration::days(200),
        )
        .unwrap()
        .id
}

fn touch(store: &mut Store, id: i64, days_ago: i64) {
    store
        .log_interaction(
            InteractionInput {
                contact_ids: vec![id],
                kind: InteractionKind::Call,
                occurred_at: now() - Duration::days(days_ago),
                direction: Some(Direction::Outbound),
                notes: None,
            },
            now(),
        )
        .unwrap();
}

/// Reconnect with 10 former colleagues a month, nothing logged late in the month:
/// behind pace.
fn reconnect_goal(store: &mut Store) {
    store
        .add_goal(
            GoalInput {
                target: 10,
                period: Period::Monthly,
                audience: Audience {
                    tags: vec!["former colleague".into()],
                    ..Audience::default()
                },
                start_date: now().date_naive() - Duration::days(30),
                ..GoalInput::template(GoalKind::ReconnectColleagues, now().date_naive())
            },
            now(),
        )
        .unwrap();
}

fn names(s: &[Suggestion]) -> Vec<&str> {
    s.iter().map(|s| s.name.as_str()).collect()
}

#[test]
fn today_ranks_the_seeded_network_and_skips_the_archived() {
    let (_dir, mut store) = temp_store();
    let priya = add(&mut store, "Priya", Circle::Close, &[]); // 30 days
    touch(&mut store, priya, 40);
    let bob = add(&mut store, "Bob", Circle::Network, &[]); // 90 days
    touch(&mut store, bob, 95);
    let fresh = add(&mut store, "Fresh", Circle::Inner, &[]);
    touch(&mut store, fresh, 1);
    let gone = add(&mut store, "Gone", Circle::Inner, &[]);
    touch(&mut store, gone, 100);
    store.archive_contact(gone, now()).unwrap();

    let today = store.today(now(), 10).unwrap();
    assert_eq!(names(&today), ["Priya", "Bob"]);
    assert_eq!(today[0].reasons[0].text, "Due 10 days ago (every 30 days)");
    assert_eq!(today[0].action, Action::Call);
    assert_eq!(store.today(now(), 1).unwrap().len(), 1);
}

/// `introducer` made an introduction, 100 days ago.
fn introduced_by(store: &mut Store, introducer: i64) {
    store
        .log_interaction(
            InteractionInput {
                contact_ids: vec![introducer],
                kind: InteractionKind::Intro,
                occurred_at: now() - Duration::days(100),
                direction: Some(Direction::Inbound),
                notes: None,
            },
            now(),
        )
        .unwrap();
}

#[test]
fn the_latest_touch_picks_the_action_of_the_suggestions_kept() {
    let (_dir, mut store) = temp_store();
    let introducer = add(&mut store, "Introducer", Circle::Network, &[]);
    introduced_by(&mut store, introducer);
    let today = store.today(now(), 10).unwrap();
    assert_eq!(today[0].action, Action::SayThanks);
}

#[test]
fn a_suggestion_whose_action_the_latest_touch_changed_logs_what_the_new_action_is() {
    let (_dir, mut store) = temp_store();
    let introducer = add(&mut store, "Introducer", Circle::Network, &[]);
    let other = add(&mut store, "Other", Circle::Network, &[]);
    introduced_by(&mut store, introducer);
    let today = store.today(now(), 10).unwrap();
    let logs = |id: i64| {
        let s = today.iter().find(|s| s.contact_id == id).unwrap();
        (s.action, s.logs)
    };
    // Thanks for an intro is a note; asking a network contact how they are, a message.
    assert_eq!(
        logs(introducer),
        (Action::SayThanks, InteractionKind::ThankYouNote)
    );
    assert_eq!(
        logs(other),
        (Action::AskHowTheyAre, InteractionKind::Message)
    );
}

#[test]
fn snooze_and_dismiss_hide_until_later() {
    let (_dir, mut store) = temp_store();
    let priya = add(&mut store, "Priya", Circle::Close, &[]);
    touch(&mut store, priya, 40);
    store.dismiss_suggestion(priya, now()).unwrap();
    assert!(store.today(now(), 10).unwrap().is_empty());
    // Back the next day (UTC until a time zone is set).
    let tomorrow = Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 1).unwrap();
    assert_eq!(names(&store.today(tomorrow, 10).unwrap()), ["Priya"]);

    store.snooze_suggestion(priya, 7, now()).unwrap();
    assert!(store
        .today(now() + Duration::days(6), 10)
        .unwrap()
        .is_empty());
    assert_eq!(store.today(now() + Duration::days(7), 10).unwrap().len(), 1);
    assert_eq!(
        store
            .snooze_suggestion(priya, 0, now())
            .unwrap_err()
            .field(),
        Some("days")
    );
    assert_eq!(
        store.dismiss_suggestion(999, now()).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );

    // Undo: a snoozed or dismissed card is back at once.
    store.unhide_suggestion(priya).unwrap();
    assert_eq!(names(&store.today(now(), 10).unwrap()), ["Priya"]);
    store.dismiss_suggestion(priya, now()).unwrap();
    store.unhide_suggestion(priya).unwrap();
    assert_eq!(names(&store.today(now(), 10).unwrap()), ["Priya"]);
    assert_eq!(
        store.unhide_suggestion(999).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn follow_ups_report_backs_and_goals_lift_people_who_are_not_due() {
    let (_dir, mut store) = temp_store();
    let owed = add(&mut store, "Owed", Circle::Network, &[]);
    touch(&mut store, owed, 5);
    store
        .add_follow_up(
            FollowUpInput {
                contact_id: owed,
                interaction_id: None,
                title: "send the article".into(),
                due_on: Some(now().date_naive() - Duration::days(1)),
            },
            now(),
        )
        .unwrap();
    // Of two promises owed, the suggestion names the later one.
    let latest = store
        .add_follow_up(
            FollowUpInput {
                contact_id: owed,
                interaction_id: None,
                title: "send the slides".into(),
                due_on: Some(now().date_naive() - Duration::days(4)),
            },
            now(),
        )
        .unwrap();
    let told = add(&mut store, "Told", Circle::Network, &[]);
    touch(&mut store, told, 5);
    let f = store
        .add_follow_up(
            FollowUpInput {
                contact_id: told,
                interaction_id: None,
                title: "read the book".into(),
                due_on: None,
            },
            now(),
        )
        .unwrap();
    store.set_follow_up_done(f.id, true, now()).unwrap();
    let colleague = add(
        &mut store,
        "Colleague",
        Circle::Network,
        &["former colleague"],
    );
    // Last reached before this month: reaching them would count.
    touch(&mut store, colleague, 40);
    reconnect_goal(&mut store);
    let today = store.today(now(), 10).unwrap();
    let by = |n: &str| today.iter().find(|s| s.name == n).unwrap();
    assert_eq!(by("Owed").action, Action::DoFollowUp);
    assert_eq!(by("Owed").follow_up_id, Some(latest.id));
    assert_eq!(by("Told").action, Action::ReportBack);
    assert_eq!(by("Told").follow_up_id, None);
    assert_eq!(by("Colleague").follow_up_id, None);
    assert!(by("Colleague").reasons[0].text.starts_with("Goal: "));

    // Telling them clears the report-back.
    store.report_back(f.id, now()).unwrap();
    assert!(store
        .today(now(), 10)
        .unwrap()
        .iter()
        .all(|s| s.name != "Told"));
}

/// One contact of a generated network.
#[derive(Debug, Clone)]
struct Person {
    name: &'static str,
    circle: usize,
    cadence: Option<u32>,
    created: i64,
    touches: Vec<i64>,
    birthday: Option<(u32, u32)>,
    follow_up: Option<(i64, bool)>,
    snoozed: Option<u32>,
    tagged: bool,
    goes_to_event: bool,
    archived: bool,
}

fn any_person() -> impl proptest::strategy::Strategy<Value = Person> {
    use proptest::prelude::*;
    (
        (
            prop::sample::select(vec!["Ana", "ana", "Bo", "Zoë", "Émile"]),
            0..4usize,
            prop::option::weighted(0.3, prop::sample::select(vec![3u32, 10, 45, 200])),
            // Few distinct days, so many people are exactly as late (ties).
            prop::sample::select(vec![200i64, 450, 600]),
            prop::collection::vec(prop::sample::select(vec![1i64, 20, 40, 100, 300]), 0..4),
        ),
        (
            prop::option::weighted(0.2, (11..=12u32, 1..=28u32)),
            prop::option::weighted(0.2, (-6..6i64, any::<bool>())),
            prop::option::weighted(0.25, 1..3u32),
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.1),
        ),
    )
        .prop_map(
            |(
                (name, circle, cadence, created, touches),
                (birthday, follow_up, snoozed, tagged, goes_to_event, archived),
            )| Person {
                name,
                circle,
                cadence,
                created,
                touches: touches.into_iter().filter(|t| *t < created).collect(),
                birthday,
                follow_up,
                snoozed,
                tagged,
                goes_to_event,
                archived,
            },
        )
}

fn build(store: &mut Store, people: &[Person], goal: bool) {
    let mut event_people = Vec::new();
    for p in people {
        let id = store
            .add_contact(
                ContactInput {
                    display_name: p.name.into(),
                    circle: Circle::ALL[p.circle],
                    cadence_days: p.cadence,
                    tags: if p.tagged {
                        vec!["former colleague".into()]
                    } else {
                        vec![]
                    },
                    birthday: p.birthday.map(|(month, day)| Birthday {
                        month,
                        day,
                        year: None,
                    }),
                    ..ContactInput::default()
                },
                now() - Duration::days(p.created),
            )
            .unwrap()
            .id;
        for t in &p.touches {
            touch(store, id, *t);
        }
        if let Some((due, done)) = p.follow_up {
            let f = store
                .add_follow_up(
                    FollowUpInput {
                        contact_id: id,
                        interaction_id: None,
                        title: "homework".into(),
                        due_on: Some(now().date_naive() + Duration::days(due)),
                    },
                    now() - Duration::days(3),
                )
                .unwrap();
            if done {
                store.set_follow_up_done(f.id, true, now()).unwrap();
            }
        }
        if let Some(days) = p.snoozed {
            store.snooze_suggestion(id, days, now()).unwrap();
        }
        if p.goes_to_event {
            event_people.push(id);
        }
        if p.archived {
            store.archive_contact(id, now()).unwrap();
        }
    }
    // A meetup in three days, with its people (archived ones are not listed).
    let active: Vec<i64> = store
        .list_contacts(now())
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    event_people.retain(|id| active.contains(id));
    store
        .add_event(
            EventInput {
                title: "Meetup".into(),
                start_date: now().date_naive() + Duration::days(3),
                start_time: "18:30".into(),
                repeat: Repeat::Never,
                time_zone: None,
                location: None,
                link: None,
                notes: None,
                attendee_ids: event_people,
            },
            now(),
        )
        .unwrap();
    if goal {
        reconnect_goal(store);
    }
}

/// Today the plain way: every active contact loaded and ranked.
fn rank_everyone(store: &Store, limit: usize) -> Vec<(i64, f64)> {
    let (tz, _) = store.calendar().unwrap();
    let ids: Vec<i64> = store
        .list_contacts(now())
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    let follow_ups = store.follow_up_signals().unwrap();
    let mut lifts = Lifts {
        goals: store.goal_signals(now(), &follow_ups).unwrap(),
        follow_ups,
        events: store
            .upcoming_events_by_contact(now(), tz, Weights::EVENT_DAYS)
            .unwrap(),
        hidden: store.hidden_suggestions(now()).unwrap(),
    };
    let all = store.candidates(&ids, &mut lifts).unwrap();
    rank::rank(&all, tz, now())
        .into_iter()
        .take(limit)
        .map(|s| (s.contact_id, s.score))
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]
    #[test]
    fn today_is_the_top_of_ranking_everyone(
        people in proptest::collection::vec(any_person(), 1..50),
        goal in proptest::bool::ANY,
        limit in 1..6usize,
    ) {
        let (_dir, mut store) = temp_store();
        build(&mut store, &people, goal);
        let today: Vec<(i64, f64)> = store
            .today(now(), limit)
            .unwrap()
            .into_iter()
            .map(|s| (s.contact_id, s.score))
            .collect();
        proptest::prop_assert_eq!(today, rank_everyone(&store, limit));
    }
}

#[test]
fn a_long_queue_of_equally_late_people_is_cut_by_name() {
    // Twenty people exactly as late, in the same circle: their scores tie, so the
    // names decide, whatever order they were added in.
    let (_dir, mut store) = temp_store();
    let first = [
        "Tess", "Abe", "Mia", "Carl", "Zed", "Bea", "Lou", "Dan", "Ivy", "Eve",
    ];
    for round in 0..2 {
        for n in first {
            let id = add(&mut store, &format!("{n} {round}"), Circle::Network, &[]);
            touch(&mut store, id, 100);
        }
    }
    let today = store.today(now(), 3).unwrap();
    assert_eq!(names(&today), ["Abe 0", "Abe 1", "Bea 0"]);
    assert_eq!(today, store.today(now(), 20).unwrap()[..3]);
}

#[test]
fn today_and_the_birthday_nudge_agree_on_a_29_february_birthday_in_2027_and_2028() {
    use chrono::Datelike;

    use crate::schedule::Source;
    use crate::store::reminders::tests::{at, lisbon_store};

    let (_dir, mut store) = lisbon_store();
    let leap = crate::testing::person("Leap Day")
        .circle(Circle::Close)
        .birthday(2, 29)
        .add(&mut store, at((2026, 1, 5), 9, 0))
        .unwrap();
    for (year, expected) in [(2027, (3, 1)), (2028, (2, 29))] {
        let mut today_says = Vec::new();
        let mut nudge_says = Vec::new();
        let mut lifted = Vec::new();
        let first = NaiveDate::from_ymd_opt(year, 2, 25).unwrap();
        for day in first.iter_days().take(8) {
            let noon = at((year, day.month(), day.day()), 12, 0);
            let birthday_today = store
                .today(noon, 50)
                .unwrap()
                .iter()
                .filter(|s| s.contact_id == leap)
                .flat_map(|s| s.reasons.iter())
                .any(|r| r.text == "Birthday today");
            if birthday_today {
                today_says.push(day);
            }
            // The contacts Today weighs for a birthday that day, ahead of ranking.
            if store.birthdays_between(day, 0).unwrap() == [leap] {
                lifted.push(day);
            }
            let midnight = at((year, day.month(), day.day()), 0, 0);
            let nudges = store
                .due_between(midnight, midnight + Duration::days(1))
                .unwrap();
            let birthday = Source::Birthday {
                contact_id: leap,
                year,
            };
            for _ in nudges.iter().filter(|d| d.source == birthday) {
                nudge_says.push(day);
            }
        }
        let expected = NaiveDate::from_ymd_opt(year, expected.0, expected.1).unwrap();
        assert_eq!(today_says, [expected], "Today in {year}");
        assert_eq!(nudge_says, [expected], "the nudge in {year}");
        assert_eq!(lifted, [expected], "Today's birthday lift in {year}");
    }
}
