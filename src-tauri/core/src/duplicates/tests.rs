use super::*;
use crate::model::{Channel, LabeledValue};

fn lv(v: &str) -> LabeledValue {
    LabeledValue {
        label: String::new(),
        value: v.into(),
    }
}

fn person(id: i64, name: &str, values: &[&str]) -> Candidate {
    let mut c = ContactInput {
        display_name: name.into(),
        ..Default::default()
    };
    for v in values {
        if v.contains("linkedin.com") {
            c.links.push(lv(v));
        } else if v.contains('@') {
            c.emails.push(lv(v));
        } else {
            c.phones.push(lv(v));
        }
    }
    Candidate { id, person: c }
}

fn pairs(people: &[Candidate]) -> Vec<(i64, i64, SameBy, String)> {
    likely_pairs(people, &HashSet::new())
        .into_iter()
        .map(|l| (l.a, l.b, l.by, l.value))
        .collect()
}

#[test]
fn the_same_profile_email_or_phone_makes_a_pair_by_its_strongest_reason() {
    let people = [
        person(1, "Priya Raman", &["priya@acme.example", "+44 7700 900123"]),
        person(2, "P. Raman", &["PRIYA@acme.example", "+44 (7700) 900-123"]),
        person(
            3,
            "Jonas Berg",
            &["https://www.linkedin.com/in/jonas-berg/"],
        ),
        person(
            4,
            "Jonas B",
            &["https://de.linkedin.com/in/Jonas-Berg?trk=1"],
        ),
        person(5, "Ana Lima", &["+351 912 345 678"]),
        person(6, "Rui Lima", &["00351912345678"]),
        person(7, "Tom Okafor", &["tom@home.example"]),
    ];
    assert_eq!(
        pairs(&people),
        [
            (
                3,
                4,
                SameBy::LinkedIn,
                "https://www.linkedin.com/in/jonas-berg/".into()
            ),
            (1, 2, SameBy::Email, "priya@acme.example".into()),
        ],
        "one pair each, by the strongest key; other digits are another number"
    );
}

#[test]
fn a_key_many_share_identifies_nobody() {
    // A switchboard seven people list, and a team's mailbox.
    let mut people: Vec<Candidate> = (1..=7)
        .map(|i| person(i, &format!("Colleague {i}"), &["+49 30 123456"]))
        .collect();
    people.push(person(8, "Ops", &["ops@acme.example"]));
    people.push(person(9, "Ops team", &["ops@acme.example"]));
    assert_eq!(
        pairs(&people),
        [(8, 9, SameBy::Email, "ops@acme.example".into())]
    );
}

#[test]
fn the_same_name_is_a_pair_unless_what_they_have_tells_them_apart() {
    let people = [
        person(1, "José Núñez", &[]),
        person(2, "nunez, jose", &["jose@one.example"]),
        person(3, "Priya Raman", &["p@one.example"]),
        person(4, "Priya Raman", &["p@two.example"]),
    ];
    assert_eq!(
        pairs(&people),
        [(1, 2, SameBy::Name, "nunez, jose".into())],
        "two Priyas with different emails are two people"
    );
}

#[test]
fn names_one_letter_apart_are_a_pair_short_ones_are_not() {
    let people = [
        person(1, "Priya Raman", &[]),
        person(2, "Priya Ramen", &[]), // a letter changed
        person(3, "Marcus Webb", &[]),
        person(4, "Marcus Web", &[]), // a letter less
        person(5, "Siobhan Kelly", &[]),
        person(6, "Siobahn Kelly", &[]), // two letters swapped
        person(7, "Ana Lima", &[]),
        person(8, "Ana Lime", &[]), // "ana lima" is 8: long enough
        person(9, "Jo Li", &[]),
        person(10, "Jo Lu", &[]), // too short to call it a typo
        person(11, "Sarah Connor", &[]),
        person(12, "Sarah Cannon", &[]), // two letters apart: two people
    ];
    let found: Vec<(i64, i64)> = pairs(&people)
        .into_iter()
        .inspect(|p| assert_eq!(p.2, SameBy::SimilarName))
        .map(|p| (p.0, p.1))
        .collect();
    assert_eq!(found, [(1, 2), (3, 4), (5, 6), (7, 8)]);
}

#[test]
fn pairs_the_user_said_are_two_people_stay_apart() {
    let people = [
        person(1, "Priya Raman", &["priya@acme.example"]),
        person(2, "Priya Raman", &["priya@acme.example"]),
        person(3, "Priya Ramen", &[]),
    ];
    let apart = HashSet::from([(1, 2), (1, 3)]);
    let found: Vec<(i64, i64, SameBy)> = likely_pairs(&people, &apart)
        .into_iter()
        .map(|l| (l.a, l.b, l.by))
        .collect();
    assert_eq!(found, [(2, 3, SameBy::SimilarName)]);
}

#[test]
fn one_edit_is_a_letter_added_removed_changed_or_two_swapped() {
    let e = |a: &str, b: &str| {
        one_edit(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    };
    assert!(e("raman", "ramen") && e("raman", "ramn") && e("raman", "ramana"));
    assert!(e("raman", "rmaan"), "two neighbours swapped");
    assert!(!e("raman", "armna") && !e("raman", "remen") && !e("raman", "ram"));
    assert!(!e("raman", "raman"), "the same is no edit");
    assert!(e("é", "e") && !e("ab", "cd"));
    assert!(!e("colleague 1", "colleague 2") && !e("room 12", "room 1"));
}

/// Four letters spelling `i` in base 26: names two letters apart at least.
fn word(mut i: i64) -> String {
    (0..4)
        .map(|_| {
            let c = char::from(b'a' + (i % 26) as u8);
            i /= 26;
            c
        })
        .collect()
}

#[test]
fn a_hundred_thousand_people_are_searched_by_keys_not_pairwise() {
    // Names two letters apart at least ("abcd abcd"), and one planted typo.
    let mut people: Vec<Candidate> = (0..100_000)
        .map(|i| person(i, &format!("{0} {0}", word(i)), &[]))
        .collect();
    people.push(person(100_000, "Priya Raman", &[]));
    people.push(person(100_001, "Priya Ramen", &[]));
    let started = std::time::Instant::now();
    let found = pairs(&people);
    println!("likely_pairs over 100,002 names: {:?}", started.elapsed());
    assert_eq!(
        found,
        [(100_000, 100_001, SameBy::SimilarName, "Priya Ramen".into())]
    );
}

fn input(name: &str) -> ContactInput {
    ContactInput {
        display_name: name.into(),
        ..Default::default()
    }
}

#[test]
fn two_people_merge_into_one_keeping_everything_either_wrote() {
    let keep = ContactInput {
        company: Some("Acme".into()),
        notes: Some("Met at RustConf.".into()),
        how_we_met: None,
        emails: vec![lv("priya@acme.example")],
        tags: vec!["Rust".into()],
        circle: Circle::Network,
        ..input("Priya Raman")
    };
    let other = ContactInput {
        company: Some("Globex".into()),
        role: Some("CTO".into()),
        notes: Some("Has two kids; likes hiking.".into()),
        how_we_met: Some("Her talk on async".into()),
        emails: vec![lv("PRIYA@acme.example"), lv("p@home.example")],
        tags: vec!["rust".into(), "Mentors".into()],
        circle: Circle::Close,
        cadence_days: Some(30),
        preferred_channel: Some(Channel::Email),
        ..input("Priya R.")
    };
    let merged = merge_people(&keep, &other, &[]);
    assert_eq!(merged.display_name, "Priya Raman");
    assert_eq!(
        merged.company.as_deref(),
        Some("Acme"),
        "the kept one's value stays"
    );
    assert_eq!(
        merged.role.as_deref(),
        Some("CTO"),
        "an empty field is filled"
    );
    assert_eq!(
        merged.notes.as_deref(),
        Some("Met at RustConf.\n\nHas two kids; likes hiking."),
        "both notes are kept"
    );
    assert_eq!(merged.how_we_met.as_deref(), Some("Her talk on async"));
    assert_eq!(merged.emails.len(), 2);
    assert_eq!(merged.tags, ["Rust", "Mentors"]);
    assert_eq!(merged.circle, Circle::Close, "the closer circle");
    assert_eq!(merged.cadence_days, Some(30));
    assert_eq!(merged.preferred_channel, Some(Channel::Email));

    let taken = merge_people(
        &keep,
        &other,
        &[ContactField::Company, ContactField::DisplayName],
    );
    assert_eq!(taken.company.as_deref(), Some("Globex"));
    assert_eq!(taken.display_name, "Priya R.");

    // Notes one already holds are not written twice.
    let again = merge_people(&merged, &other, &[]);
    assert_eq!(again.notes, merged.notes);
    assert_eq!(again.how_we_met, merged.how_we_met);
}

/// `c` at `company`, with `tags`.
fn at(mut c: Candidate, company: &str, tags: &[&str]) -> Candidate {
    c.person.company = Some(company.into());
    c.person.tags = tags.iter().map(|t| t.to_string()).collect();
    c
}

/// A pair's ids, whether it is a maybe, and the company and tags shared.
type Found = (i64, i64, bool, Option<String>, Vec<String>);

fn maybes(people: &[Candidate]) -> Vec<Found> {
    likely_pairs(people, &HashSet::new())
        .into_iter()
        .map(|l| (l.a, l.b, l.maybe, l.same_company, l.same_tags))
        .collect()
}

#[test]
fn a_work_email_and_a_personal_one_at_one_company_are_a_maybe_below_the_sure_pairs() {
    let people = [
        at(
            person(1, "Marcus Johnson", &["marcus.johnson@acme.example"]),
            "Acme",
            &["Former colleague"],
        ),
        at(
            person(2, "Marcus Jonson", &["marcus.j@gmail.example"]),
            "ACME ",
            &["former colleague", "rust"],
        ),
        person(3, "Priya Raman", &["priya@one.example"]),
        person(4, "Priya Raman", &["priya@one.example"]),
    ];
    assert_eq!(
        maybes(&people),
        [
            (3, 4, false, None, vec![]),
            (
                1,
                2,
                true,
                Some("Acme".into()),
                vec!["Former colleague".into()]
            ),
        ],
        "the sure pair first, then the maybe with what they share"
    );
    // A tag alone is enough; nothing shared is not.
    let tag_only = [
        at(
            person(1, "Marcus Johnson", &["m@acme.example"]),
            "Acme",
            &["rust"],
        ),
        at(
            person(2, "Marcus Johnson", &["m@home.example"]),
            "Globex",
            &["rust"],
        ),
    ];
    assert_eq!(maybes(&tag_only), [(1, 2, true, None, vec!["rust".into()])]);
    let nothing_shared = [
        at(
            person(1, "Marcus Johnson", &["m@acme.example"]),
            "Acme",
            &[],
        ),
        at(
            person(2, "Marcus Johnson", &["m@home.example"]),
            "Globex",
            &[],
        ),
    ];
    assert_eq!(maybes(&nothing_shared), []);
}

#[test]
fn what_tells_two_people_apart_keeps_them_apart_even_at_one_company() {
    let people = [
        // Two mailboxes at one domain are two people.
        at(
            person(1, "Marcus Johnson", &["marcus@acme.example"]),
            "Acme",
            &["team"],
        ),
        at(
            person(2, "Marcus Jonson", &["mjonson@acme.example"]),
            "Acme",
            &["team"],
        ),
        // Two different LinkedIn profiles are two people.
        at(
            person(
                3,
                "Lena Fischer",
                &["https://linkedin.com/in/lena-f", "lena@x.example"],
            ),
            "Globex",
            &[],
        ),
        at(
            person(
                4,
                "Lena Fisher",
                &["https://linkedin.com/in/lena-fisher", "l@y.example"],
            ),
            "Globex",
            &[],
        ),
        // Different names at one company, the same tag: colleagues, not one person.
        at(
            person(5, "Maria Johnson", &["maria@acme.example"]),
            "Acme",
            &["team"],
        ),
        at(person(6, "Anna Berg", &[]), "Acme", &["team"]),
        at(person(7, "Anna Lind", &[]), "Acme", &["team"]),
        at(person(8, "Ngozi Okafor", &[]), "Acme", &["team"]),
        at(person(9, "Chidi Okafor", &[]), "Acme", &["team"]),
    ];
    assert_eq!(maybes(&people), []);
}

#[test]
fn a_given_name_that_starts_the_other_at_one_company_is_a_maybe() {
    let people = [
        at(
            person(1, "Dan Whitfield", &["dan@acme.example"]),
            "Acme",
            &[],
        ),
        at(
            person(2, "Daniel Whitfield", &["daniel.w@mail.example"]),
            "acme",
            &[],
        ),
        // The same at another company is no pair: the company is what joins them.
        person(3, "Daniel Whitfield", &[]),
        at(person(4, "Christopher Lane", &[]), "Initech", &[]),
        at(person(5, "Chris Lane", &[]), "Initech", &[]),
        at(person(6, "Chris Laneway", &[]), "Initech", &[]),
    ];
    let found: Vec<(i64, i64, SameBy, bool)> = likely_pairs(&people, &HashSet::new())
        .into_iter()
        .map(|l| (l.a, l.b, l.by, l.maybe))
        .collect();
    assert_eq!(
        found,
        [
            (2, 3, SameBy::Name, false),
            (1, 2, SameBy::SimilarName, true),
            (4, 5, SameBy::SimilarName, true),
        ]
    );
}

#[test]
fn a_hundred_thousand_people_at_a_few_hundred_companies_are_bucketed_not_compared() {
    // 100,000 distinct names (two letters apart at least) at 300 companies, each with one
    // of 40 tags; one planted work/personal duplicate.
    let mut people: Vec<Candidate> = (0..100_000)
        .map(|i| {
            let email = format!("{}@co{}.example", word(i), i % 300);
            at(
                person(i, &format!("{0} {0}", word(i)), &[email.as_str()]),
                &format!("Company {}", i % 300),
                &[&format!("tag {}", i % 40)],
            )
        })
        .collect();
    people.push(at(
        person(100_000, "Marcus Johnson", &["marcus@acme.example"]),
        "Acme",
        &[],
    ));
    people.push(at(
        person(100_001, "Marcus Jonson", &["marcus@home.example"]),
        "Acme",
        &[],
    ));
    let started = std::time::Instant::now();
    let found = maybes(&people);
    let took = started.elapsed();
    assert_eq!(
        found,
        [(100_000, 100_001, true, Some("Acme".into()), vec![])]
    );
    println!("likely_pairs over 100,002 people at 300 companies: {took:?}");
}
