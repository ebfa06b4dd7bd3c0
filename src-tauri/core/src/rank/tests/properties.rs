//! Properties of the ranking over any network: the order does not depend on the input's,
//! what is owed never lowers a place, a touch never raises the cadence points, snoozed people
//! never appear and the points add up to the score.

use proptest::prelude::*;

use super::*;

fn any_candidate() -> impl Strategy<Value = Candidate> {
    (
        0..4usize,
        prop::sample::select(vec![7u32, 14, 30, 90, 180]),
        prop::option::of(0..400i64),
        0..500i64,
        prop::option::of((1..=12u32, 1..=28u32)),
        prop::option::of((-10..10i64, any::<bool>())),
        prop::sample::select(vec!["Ana", "ana", "Bo", "Zoë", "Émile"]),
        0..12u32,
    )
        .prop_map(
            |(circle, cadence, touched, created, birthday, follow_up, name, count)| Candidate {
                circle: Circle::ALL[circle],
                cadence_days: Some(cadence),
                created_at: days_ago(created),
                last_touch_at: touched.map(days_ago),
                interaction_count: if touched.is_some() { count.max(1) } else { 0 },
                birthday: birthday.map(|(month, day)| Birthday {
                    month,
                    day,
                    year: None,
                }),
                follow_ups: follow_up
                    .map(|(due, done)| FollowUpSignal {
                        id: 1,
                        title: "homework".into(),
                        due_on: Some(now().date_naive() + Duration::days(due)),
                        done_unreported: done,
                    })
                    .into_iter()
                    .collect(),
                ..person(0, name)
            },
        )
}

proptest! {
    #[test]
    fn ranking_is_stable_under_insertion_order(
        (people, shuffled) in prop::collection::vec(any_candidate(), 0..40)
            .prop_map(|people| {
                people.into_iter().enumerate()
                    .map(|(i, c)| Candidate { id: i as i64 + 1, ..c })
                    .collect::<Vec<_>>()
            })
            .prop_flat_map(|people| (Just(people.clone()), Just(people).prop_shuffle()))
    ) {
        let forward = rank(&people, UTC, now());
        prop_assert_eq!(&forward, &rank(&shuffled, UTC, now()));
        // And the order is the documented one.
        for pair in forward.windows(2) {
            prop_assert_ne!(order(&pair[0], &pair[1]), Ordering::Greater);
        }
    }

    #[test]
    fn an_owed_follow_up_never_lowers_anyones_place(
        people in prop::collection::vec(any_candidate(), 1..30)
            .prop_map(|people| {
                people.into_iter().enumerate()
                    .map(|(i, c)| Candidate { id: i as i64 + 1, ..c })
                    .collect::<Vec<_>>()
            }),
        pick in any::<prop::sample::Index>(),
        owed in prop_oneof![
            (-20..=0i64).prop_map(|d| (Some(d), false)),
            Just((None, true)),
        ],
    ) {
        let k = pick.index(people.len());
        let place = |list: &[Candidate]| {
            rank(list, UTC, now())
                .iter()
                .position(|s| s.contact_id == list[k].id)
                .unwrap_or(usize::MAX)
        };
        let before = place(&people);
        let mut owing = people.clone();
        owing[k].follow_ups.push(FollowUpSignal {
            id: 1,
            title: "promised".into(),
            due_on: owed.0.map(|d| now().date_naive() + Duration::days(d)),
            done_unreported: owed.1,
        });
        prop_assert!(place(&owing) <= before);
    }

    #[test]
    fn a_touch_never_raises_the_cadence_points(
        c in any_candidate(),
        touched_hours_ago in 0..24 * 400i64,
    ) {
        let cadence = |c: &Candidate| -> f64 {
            score(c, UTC, now(), &Weights::DEFAULT)
                .map(|s| s.points.iter()
                    .filter(|p| p.signal == Signal::Cadence)
                    .map(|p| p.points)
                    .sum())
                .unwrap_or(0.0)
        };
        let at = now() - Duration::hours(touched_hours_ago);
        let last = c.last_touch_at.unwrap_or(c.created_at);
        prop_assume!(at >= last);
        let touched = Candidate {
            last_touch_at: Some(at),
            interaction_count: c.interaction_count + 1,
            ..c.clone()
        };
        prop_assert!(cadence(&touched) <= cadence(&c));
    }

    #[test]
    fn snoozed_people_never_appear_and_the_points_add_up(
        people in prop::collection::vec(any_candidate(), 1..30),
        snoozed in prop::collection::vec(any::<bool>(), 30),
    ) {
        let people: Vec<Candidate> = people
            .into_iter()
            .enumerate()
            .map(|(i, c)| Candidate {
                id: i as i64 + 1,
                hidden_until: snoozed[i].then(|| now() + Duration::days(1)),
                ..c
            })
            .collect();
        for s in rank(&people, UTC, now()) {
            prop_assert!(!snoozed[(s.contact_id - 1) as usize]);
            // "Why first?" explains the whole score, and `points` agrees with it.
            let total: f64 = s.points.iter().map(|p| p.points).sum();
            prop_assert!((total - s.score).abs() < 0.01, "{total} vs {}", s.score);
            let c = &people[(s.contact_id - 1) as usize];
            prop_assert_eq!(points(c, UTC, now(), &Weights::DEFAULT), Some(s.score));
        }
    }
}
