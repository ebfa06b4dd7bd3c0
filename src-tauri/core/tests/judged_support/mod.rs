//! The builder behind the judged scenarios: people, goals and expectations written the way
//! one would describe a small network, turned into a real store and judged against
//! `Store::today`. Every failing expectation of every scenario is reported, not only the
//! first.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kith_core::events::EventInput;
use kith_core::goals::{Audience, GoalInput, GoalKind, GoalStatus, Metric, Period};
use kith_core::history::{Direction, FollowUpInput, InteractionInput, InteractionKind};
use kith_core::model::{Birthday, Channel, Circle, ContactInput};
use kith_core::rank::{Action, Suggestion};
use kith_core::repeat::Repeat;
use kith_core::Store;

/// Monday 23 November 2026, 10:00 UTC: the "now" of a scenario that names none.
const DEFAULT_NOW: &str = "2026-11-23T10:00:00Z";

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

/// When something happened, relative to the scenario's now or at a given instant.
#[derive(Debug, Clone, Copy)]
enum When {
    DaysAgo(i64),
    HoursAgo(i64),
    At(&'static str),
}

impl When {
    fn at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            When::DaysAgo(d) => now - Duration::days(d),
            When::HoursAgo(h) => now - Duration::hours(h),
            When::At(text) => instant(text),
        }
    }
}

#[derive(Debug, Clone)]
enum Due {
    /// Days from the user's today (negative: late).
    In(i64),
    On(&'static str),
}

#[derive(Debug, Clone)]
struct Promise {
    title: String,
    due: Option<Due>,
    done: bool,
}

/// One person of a scenario's network.
#[derive(Debug, Clone)]
pub struct Person {
    name: String,
    circle: Circle,
    cadence: Option<u32>,
    tags: Vec<String>,
    added_days_ago: i64,
    touches: Vec<When>,
    connections: Vec<i64>,
    promises: Vec<Promise>,
    birthday: Option<Birthday>,
    birthday_in: Option<i64>,
    channel: Option<Channel>,
    zone: Option<String>,
    snoozed: Option<u32>,
    dismissed: bool,
    archived: bool,
    event_in: Option<i64>,
}

/// A person in the network circle, added 400 days ago, never touched.
pub fn p(name: &str) -> Person {
    Person {
        name: name.into(),
        circle: Circle::Network,
        cadence: None,
        tags: Vec::new(),
        added_days_ago: 400,
        touches: Vec::new(),
        connections: Vec::new(),
        promises: Vec::new(),
        birthday: None,
        birthday_in: None,
        channel: None,
        zone: None,
        snoozed: None,
        dismissed: false,
        archived: false,
        event_in: None,
    }
}

impl Person {
    pub fn circle(mut self, circle: Circle) -> Self {
        self.circle = circle;
        self
    }
    /// Their own cadence, in days.
    pub fn every(mut self, days: u32) -> Self {
        self.cadence = Some(days);
        self
    }
    pub fn tag(mut self, tag: &str) -> Self {
        self.tags.push(tag.into());
        self
    }
    pub fn added(mut self, days_ago: i64) -> Self {
        self.added_days_ago = days_ago;
        self
    }
    /// A call, `days` ago.
    pub fn touched(mut self, days: i64) -> Self {
        self.touches.push(When::DaysAgo(days));
        self
    }
    pub fn touched_hours(mut self, hours: i64) -> Self {
        self.touches.push(When::HoursAgo(hours));
        self
    }
    pub fn touched_at(mut self, at: &'static str) -> Self {
        self.touches.push(When::At(at));
        self
    }
    /// `n` more calls before the latest touch (give that first), `gap` days apart.
    pub fn history(mut self, n: i64, gap: i64) -> Self {
        let latest = match self.touches.last() {
            Some(When::DaysAgo(d)) => *d,
            _ => 0,
        };
        for i in 1..=n {
            self.touches.push(When::DaysAgo(latest + i * gap));
        }
        self
    }
    /// A connection (as an import records it), `days` ago.
    pub fn connected(mut self, days: i64) -> Self {
        self.connections.push(days);
        self
    }
    /// An open follow-up due `days` from today (negative: late).
    pub fn promise(mut self, title: &str, days: i64) -> Self {
        self.promises.push(Promise {
            title: title.into(),
            due: Some(Due::In(days)),
            done: false,
        });
        self
    }
    pub fn promise_on(mut self, title: &str, on: &'static str) -> Self {
        self.promises.push(Promise {
            title: title.into(),
            due: Some(Due::On(on)),
            done: false,
        });
        self
    }
    /// Homework done since the last touch, not yet reported back.
    pub fn reported_nothing(mut self, title: &str) -> Self {
        self.promises.push(Promise {
            title: title.into(),
            due: None,
            done: true,
        });
        self
    }
    pub fn birthday(mut self, month: u32, day: u32) -> Self {
        self.birthday = Some(Birthday {
            month,
            day,
            year: None,
        });
        self
    }
    /// A birthday `days` after the user's today.
    pub fn birthday_in(mut self, days: i64) -> Self {
        self.birthday_in = Some(days);
        self
    }
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }
    pub fn lives_in(mut self, zone: &str) -> Self {
        self.zone = Some(zone.into());
        self
    }
    pub fn snoozed(mut self, days: u32) -> Self {
        self.snoozed = Some(days);
        self
    }
    pub fn dismissed(mut self) -> Self {
        self.dismissed = true;
        self
    }
    pub fn archived(mut self) -> Self {
        self.archived = true;
        self
    }
    /// Goes to an event `days` from today.
    pub fn goes_to_event_in(mut self, days: i64) -> Self {
        self.event_in = Some(days);
        self
    }
}

/// A goal of a scenario, started sixty days ago, its audience given by tags.
#[derive(Debug, Clone)]
pub struct Goal {
    kind: GoalKind,
    title: String,
    metric: Metric,
    target: u32,
    period: Period,
    tags: Vec<String>,
    status: GoalStatus,
}

pub fn goal(title: &str, metric: Metric, target: u32, period: Period) -> Goal {
    Goal {
        kind: GoalKind::Custom,
        title: title.into(),
        metric,
        target,
        period,
        tags: Vec::new(),
        status: GoalStatus::Active,
    }
}

impl Goal {
    pub fn tag(mut self, tag: &str) -> Self {
        self.tags.push(tag.into());
        self
    }
    pub fn status(mut self, status: GoalStatus) -> Self {
        self.status = status;
        self
    }
    pub fn kind(mut self, kind: GoalKind) -> Self {
        self.kind = kind;
        self
    }
}

#[derive(Debug, Clone)]
enum Expect {
    First(String),
    Top3(Vec<String>),
    Absent(Vec<String>),
    Empty,
    Reason(String, String),
    /// A line of "Why first?" holds the text.
    Why(String, String),
    /// With a daily budget of n, today's plan holds these people.
    Plan(usize, Vec<String>),
    /// The first is listed, above the second (listed lower or not at all).
    Above(String, String),
    Action(String, Action),
}

/// A small network, a moment, and what a thoughtful friend would say Today must show.
#[derive(Debug, Clone)]
pub struct Scenario {
    name: String,
    now: &'static str,
    zone: &'static str,
    people: Vec<Person>,
    goals: Vec<Goal>,
    rules: Vec<(&'static str, u32)>,
    expect: Vec<Expect>,
}

impl Scenario {
    pub fn new(name: &str) -> Scenario {
        Scenario {
            name: name.into(),
            now: DEFAULT_NOW,
            zone: "Europe/Lisbon",
            people: Vec::new(),
            goals: Vec::new(),
            rules: Vec::new(),
            expect: Vec::new(),
        }
    }
    /// A keep-in-touch rule: people with `tag` every `days` days.
    pub fn rule(mut self, tag: &'static str, days: u32) -> Self {
        self.rules.push((tag, days));
        self
    }
    pub fn at(mut self, now: &'static str) -> Self {
        self.now = now;
        self
    }
    /// The user's time zone.
    pub fn zone(mut self, zone: &'static str) -> Self {
        self.zone = zone;
        self
    }
    pub fn person(mut self, person: Person) -> Self {
        self.people.push(person);
        self
    }
    pub fn people(mut self, people: impl IntoIterator<Item = Person>) -> Self {
        self.people.extend(people);
        self
    }
    pub fn goal(mut self, goal: Goal) -> Self {
        self.goals.push(goal);
        self
    }
    /// Obviously the first suggestion.
    pub fn first(mut self, name: &str) -> Self {
        self.expect.push(Expect::First(name.into()));
        self
    }
    /// Each of them in the first three.
    pub fn top3(mut self, names: &[&str]) -> Self {
        self.expect
            .push(Expect::Top3(names.iter().map(|n| (*n).into()).collect()));
        self
    }
    /// None of them anywhere in the list.
    pub fn absent(mut self, names: &[&str]) -> Self {
        self.expect
            .push(Expect::Absent(names.iter().map(|n| (*n).into()).collect()));
        self
    }
    /// Nothing to suggest.
    pub fn empty(mut self) -> Self {
        self.expect.push(Expect::Empty);
        self
    }
    /// `name` is suggested with a reason containing `text`.
    pub fn reason(mut self, name: &str, text: &str) -> Self {
        self.expect.push(Expect::Reason(name.into(), text.into()));
        self
    }
    /// With a daily budget of `budget`, today's plan (the first `budget`) holds `names`.
    pub fn plan(mut self, budget: usize, names: &[&str]) -> Self {
        self.expect.push(Expect::Plan(
            budget,
            names.iter().map(|n| (*n).into()).collect(),
        ));
        self
    }
    /// `higher` is listed above `lower`.
    pub fn above(mut self, higher: &str, lower: &str) -> Self {
        self.expect.push(Expect::Above(higher.into(), lower.into()));
        self
    }
    /// A line of `name`'s "Why first?" holds `text`.
    pub fn why(mut self, name: &str, text: &str) -> Self {
        self.expect.push(Expect::Why(name.into(), text.into()));
        self
    }
    pub fn action(mut self, name: &str, action: Action) -> Self {
        self.expect.push(Expect::Action(name.into(), action));
        self
    }

    /// Builds the network in a fresh store and ranks it: the whole list, in order.
    fn today(&self) -> Vec<Suggestion> {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let now = instant(self.now);
        let prefs = store.preferences().unwrap();
        store
            .set_preferences(kith_core::preferences::Preferences {
                time_zone: self.zone.into(),
                ..prefs
            })
            .unwrap();
        store
            .set_cadence_rules(
                self.rules
                    .iter()
                    .map(|(tag, days)| kith_core::cadence::CadenceRule {
                        tag: (*tag).into(),
                        days: *days,
                    })
                    .collect(),
            )
            .unwrap();
        let (tz, _) = store.calendar().unwrap();
        let today = now.with_timezone(&tz).date_naive();
        let mut event_people = Vec::new();
        let mut event_day = None;
        for person in &self.people {
            let birthday = person.birthday.or_else(|| {
                person.birthday_in.map(|days| {
                    let day = today + Duration::days(days);
                    Birthday {
                        month: chrono::Datelike::month(&day),
                        day: chrono::Datelike::day(&day),
                        year: None,
                    }
                })
            });
            let id = store
                .add_contact(
                    ContactInput {
                        display_name: person.name.clone(),
                        circle: person.circle,
                        cadence_days: person.cadence,
                        tags: person.tags.clone(),
                        birthday,
                        preferred_channel: person.channel,
                        time_zone: person.zone.clone(),
                        ..ContactInput::default()
                    },
                    now - Duration::days(person.added_days_ago),
                )
                .unwrap()
                .id;
            let log = |store: &mut Store, kind, at: DateTime<Utc>| {
                store
                    .log_interaction(
                        InteractionInput {
                            contact_ids: vec![id],
                            kind,
                            occurred_at: at,
                            direction: (kind != InteractionKind::Connected)
                                .then_some(Direction::Outbound),
                            notes: None,
                        },
                        now,
                    )
                    .unwrap();
            };
            for days in &person.connections {
                log(
                    &mut store,
                    InteractionKind::Connected,
                    now - Duration::days(*days),
                );
            }
            for touch in &person.touches {
                log(&mut store, InteractionKind::Call, touch.at(now));
            }
            for promise in &person.promises {
                let due_on = promise.due.as_ref().map(|due| match due {
                    Due::In(days) => today + Duration::days(*days),
                    Due::On(text) => text.parse::<NaiveDate>().unwrap(),
                });
                let f = store
                    .add_follow_up(
                        FollowUpInput {
                            contact_id: id,
                            interaction_id: None,
                            title: promise.title.clone(),
                            due_on,
                        },
                        now - Duration::days(20),
                    )
                    .unwrap();
                if promise.done {
                    store
                        .set_follow_up_done(f.id, true, now - Duration::hours(1))
                        .unwrap();
                }
            }
            if let Some(days) = person.snoozed {
                store.snooze_suggestion(id, days, now).unwrap();
            }
            if person.dismissed {
                store.dismiss_suggestion(id, now).unwrap();
            }
            if let Some(days) = person.event_in {
                event_people.push(id);
                event_day = Some(today + Duration::days(days));
            }
            if person.archived {
                store.archive_contact(id, now).unwrap();
            }
        }
        if let Some(day) = event_day {
            store
                .add_event(
                    EventInput {
                        title: "Meetup".into(),
                        start_date: day,
                        start_time: "18:30".into(),
                        repeat: Repeat::Never,
                        time_zone: None,
                        location: None,
                        link: None,
                        notes: None,
                        attendee_ids: event_people,
                    },
                    now,
                )
                .unwrap();
        }
        for g in &self.goals {
            store
                .add_goal(
                    GoalInput {
                        title: g.title.clone(),
                        metric: g.metric,
                        target: g.target,
                        period: g.period,
                        audience: Audience {
                            tags: g.tags.clone(),
                            ..Audience::default()
                        },
                        start_date: today - Duration::days(60),
                        status: g.status,
                        kind: g.kind,
                        ..GoalInput::template(GoalKind::Custom, today)
                    },
                    now,
                )
                .unwrap();
        }
        store.today(now, 100).unwrap()
    }

    /// What is wrong with Today on this network, in words; empty when it is judged right.
    fn judge(&self) -> Vec<String> {
        let list = self.today();
        let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
        let find = |name: &str| list.iter().find(|s| s.name == name);
        let mut wrong = Vec::new();
        for e in &self.expect {
            match e {
                Expect::First(name) => {
                    if names.first() != Some(&name.as_str()) {
                        wrong.push(format!("{name} should come first"));
                    }
                }
                Expect::Top3(want) => {
                    for name in want {
                        if !names.iter().take(3).any(|n| n == name) {
                            wrong.push(format!("{name} should be in the top 3"));
                        }
                    }
                }
                Expect::Absent(gone) => {
                    for name in gone {
                        if names.contains(&name.as_str()) {
                            wrong.push(format!("{name} should not be listed"));
                        }
                    }
                }
                Expect::Empty => {
                    if !list.is_empty() {
                        wrong.push("nothing should be suggested".into());
                    }
                }
                Expect::Reason(name, text) => match find(name) {
                    Some(s) if s.reasons.iter().any(|r| r.text.contains(text.as_str())) => {}
                    Some(s) => wrong.push(format!(
                        "{name} should have a reason with “{text}”, has {:?}",
                        s.reasons.iter().map(|r| &r.text).collect::<Vec<_>>()
                    )),
                    None => wrong.push(format!("{name} should be listed (reason “{text}”)")),
                },
                Expect::Why(name, text) => match find(name) {
                    Some(s) if s.points.iter().any(|p| p.reason.contains(text.as_str())) => {}
                    Some(s) => wrong.push(format!(
                        "{name}'s “Why first?” should have “{text}”, has {:?}",
                        s.points.iter().map(|p| &p.reason).collect::<Vec<_>>()
                    )),
                    None => wrong.push(format!("{name} should be listed (why “{text}”)")),
                },
                Expect::Plan(budget, want) => {
                    for name in want {
                        if !names.iter().take(*budget).any(|n| n == name) {
                            wrong.push(format!("{name} should be in a plan of {budget}"));
                        }
                    }
                }
                Expect::Above(higher, lower) => {
                    let at = |n: &str| names.iter().position(|x| *x == n);
                    match (at(higher), at(lower)) {
                        (Some(h), Some(l)) if h < l => {}
                        (Some(_), None) => {}
                        _ => wrong.push(format!("{higher} should be listed above {lower}")),
                    }
                }
                Expect::Action(name, action) => match find(name) {
                    Some(s) if s.action == *action => {}
                    Some(s) => wrong.push(format!(
                        "{name} should be asked to {action:?}, not {:?}",
                        s.action
                    )),
                    None => wrong.push(format!("{name} should be listed (action {action:?})")),
                },
            }
        }
        if !wrong.is_empty() {
            let shown: Vec<String> = list
                .iter()
                .map(|s| format!("{} {:.2}", s.name, s.score))
                .collect();
            wrong.push(format!("Today was: {}", shown.join(", ")));
        }
        wrong
    }
}

/// Judges every scenario and fails with all that are judged wrong.
pub fn run_all(scenarios: Vec<Scenario>) {
    assert!(scenarios.len() >= 40, "{} scenarios", scenarios.len());
    let mut failed = Vec::new();
    for s in &scenarios {
        assert!(!s.expect.is_empty(), "“{}” expects nothing", s.name);
        let wrong = s.judge();
        if !wrong.is_empty() {
            failed.push(format!("✗ {}\n    {}", s.name, wrong.join("\n    ")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} scenarios judged wrong:\n{}",
        failed.len(),
        scenarios.len(),
        failed.join("\n")
    );
}
