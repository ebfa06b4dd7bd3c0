use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::history::InteractionKind;
use crate::model::Circle;
use crate::store::tests::temp_store;
use crate::testing::person;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap()
}

fn names(people: &[ContactSummary]) -> Vec<&str> {
    people.iter().map(|p| p.display_name.as_str()).collect()
}

/// `n` connections at `company`, tagged `tag`, connected `days_ago` and one day apart after.
fn connections(store: &mut Store, prefix: &str, n: usize, company: &str, tag: &str, days_ago: i64) {
    for i in 0..n {
        person(&format!("{prefix} {i}"))
            .circle(Circle::Network)
            .company(company)
            .tags(&[tag])
            .touched(
                InteractionKind::Connected,
                now() - Duration::days(days_ago + i as i64),
            )
            .add(store, now() - Duration::days(1))
            .unwrap();
    }
}

#[test]
fn only_connections_are_offered_newest_first_with_the_companies_and_tags_most_share() {
    let (_dir, mut store) = temp_store();
    connections(&mut store, "Acme", 12, "Acme", "linkedin", 10);
    connections(&mut store, "Globex", 5, "Globex", "linkedin", 3);
    connections(&mut store, "Initech", 2, "Initech", "meetup", 400);
    // Kept up with already: a rhythm of their own, a real touch, or no connection at all.
    person("Own Rhythm")
        .company("Acme")
        .cadence(30)
        .touched(InteractionKind::Connected, now())
        .add(&mut store, now())
        .unwrap();
    person("Had Coffee")
        .company("Acme")
        .touched(InteractionKind::Connected, now())
        .touched(InteractionKind::Coffee, now() - Duration::days(2))
        .add(&mut store, now())
        .unwrap();
    person("Added By Hand")
        .company("Acme")
        .add(&mut store, now())
        .unwrap();

    let choices = store.keep_up_choices(now()).unwrap();
    assert_eq!(choices.not_yet, 19);
    assert_eq!(choices.kept, 3);
    assert!(choices.offer);
    assert_eq!(
        names(&choices.recent),
        [
            "Globex 0", "Globex 1", "Globex 2", "Globex 3", "Globex 4", "Acme 0", "Acme 1",
            "Acme 2"
        ]
    );
    let companies: Vec<(&str, u32)> = choices
        .companies
        .iter()
        .map(|g| (g.name.as_str(), g.count))
        .collect();
    assert_eq!(companies, [("Acme", 12), ("Globex", 5), ("Initech", 2)]);
    assert_eq!(choices.companies[0].people.len(), KEEP_UP_PEOPLE as usize);
    assert!(choices.companies[0]
        .people
        .iter()
        .all(|p| p.display_name.starts_with("Acme ")));
    let tags: Vec<(&str, u32)> = choices
        .tags
        .iter()
        .map(|g| (g.name.as_str(), g.count))
        .collect();
    assert_eq!(tags, [("linkedin", 17), ("meetup", 2)]);
    assert_eq!(names(&choices.tags[1].people), ["Initech 0", "Initech 1"]);
}

#[test]
fn a_rhythm_given_or_an_archive_takes_a_connection_out_of_the_offer() {
    let (_dir, mut store) = temp_store();
    connections(&mut store, "Acme", 3, "Acme", "linkedin", 10);
    let first = store.keep_up_choices(now()).unwrap().recent[0].id;
    store
        .bulk_edit(&[first], crate::store::BulkEdit::Cadence(Some(90)), now())
        .unwrap();
    let second = store.keep_up_choices(now()).unwrap();
    assert_eq!((second.kept, second.not_yet), (1, 2));
    assert!(second.recent.iter().all(|p| p.id != first));
    store.archive_contact(second.recent[0].id, now()).unwrap();
    let third = store.keep_up_choices(now()).unwrap();
    assert_eq!((third.kept, third.not_yet), (1, 1));
    assert!(third.offer);
}

#[test]
fn the_offer_stops_once_enough_people_are_kept_up_with() {
    let (_dir, mut store) = temp_store();
    connections(&mut store, "Acme", 20, "Acme", "linkedin", 10);
    let ids: Vec<i64> = store.keep_up_choices(now()).unwrap().companies[0]
        .people
        .iter()
        .map(|p| p.id)
        .collect();
    store
        .bulk_edit(&ids, crate::store::BulkEdit::Cadence(Some(90)), now())
        .unwrap();
    let choices = store.keep_up_choices(now()).unwrap();
    assert_eq!((choices.kept, choices.not_yet), (8, 12));
    assert!(choices.offer, "8 kept is still few");
    let more: Vec<i64> = choices.recent.iter().take(2).map(|p| p.id).collect();
    store
        .bulk_edit(&more, crate::store::BulkEdit::Cadence(Some(30)), now())
        .unwrap();
    let choices = store.keep_up_choices(now()).unwrap();
    assert_eq!(choices.kept, FEW_KEPT);
    assert!(
        !choices.offer,
        "ten people kept up with: Today has its own work"
    );
}

#[test]
fn an_empty_network_offers_nothing() {
    let (_dir, store) = temp_store();
    let choices = store.keep_up_choices(now()).unwrap();
    assert_eq!((choices.kept, choices.not_yet), (0, 0));
    assert!(!choices.offer, "nothing to offer");
    assert!(choices.recent.is_empty() && choices.companies.is_empty() && choices.tags.is_empty());
}
