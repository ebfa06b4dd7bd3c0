use chrono::{Duration, TimeZone};

use super::*;
use crate::history::InteractionKind;
use crate::model::{Circle, ContactInput, LabeledValue};
use crate::store::tests::temp_store;
use crate::testing::person;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn add(store: &mut Store, input: ContactInput) -> i64 {
    store.add_contact(input, now()).unwrap().id
}

fn named(name: &str) -> ContactInput {
    ContactInput {
        display_name: name.into(),
        ..ContactInput::default()
    }
}

fn text(t: &str) -> ContactQuery {
    ContactQuery {
        text: t.into(),
        ..ContactQuery::default()
    }
}

fn names(store: &Store, q: &ContactQuery) -> Vec<String> {
    store
        .search_contacts(q, now())
        .unwrap()
        .into_iter()
        .map(|c| c.display_name)
        .collect()
}

#[test]
fn prefixes_and_accents_match() {
    let (_dir, mut store) = temp_store();
    add(&mut store, named("José Álvarez"));
    add(&mut store, named("Joanna Smith"));
    add(&mut store, named("Zoë Müller"));
    assert_eq!(names(&store, &text("jose")), ["José Álvarez"]);
    assert_eq!(names(&store, &text("JOSÉ alv")), ["José Álvarez"]);
    assert_eq!(names(&store, &text("jo")).len(), 2);
    assert_eq!(names(&store, &text("zoe mull")), ["Zoë Müller"]);
    assert!(names(&store, &text("xavier")).is_empty());
}

#[test]
fn searches_companies_roles_emails_tags_and_notes_with_names_first() {
    let (_dir, mut store) = temp_store();
    add(
        &mut store,
        ContactInput {
            company: Some("Rustacean Labs".into()),
            ..named("Ana Lima")
        },
    );
    add(&mut store, named("Rusty Jones"));
    add(
        &mut store,
        ContactInput {
            emails: vec![LabeledValue {
                label: "work".into(),
                value: "kim@northwind.example".into(),
            }],
            tags: vec!["former colleague".into()],
            notes: Some("Met at the Kubernetes meetup".into()),
            role: Some("Platform engineer".into()),
            ..named("Kim Park")
        },
    );
    assert_eq!(names(&store, &text("rust")), ["Rusty Jones", "Ana Lima"]);
    assert_eq!(names(&store, &text("northwind")), ["Kim Park"]);
    assert_eq!(names(&store, &text("former")), ["Kim Park"]);
    assert_eq!(names(&store, &text("kubern")), ["Kim Park"]);
    assert_eq!(names(&store, &text("platform")), ["Kim Park"]);
}

#[test]
fn the_index_follows_updates_archive_restore_and_purge() {
    let (_dir, mut store) = temp_store();
    let id = add(&mut store, named("Priya Raman"));
    assert_eq!(names(&store, &text("priya")), ["Priya Raman"]);

    store
        .update_contact(id, named("Priya Natarajan"), now())
        .unwrap();
    assert!(names(&store, &text("raman")).is_empty());
    assert_eq!(names(&store, &text("natar")), ["Priya Natarajan"]);

    store.archive_contact(id, now()).unwrap();
    assert!(names(&store, &text("priya")).is_empty());
    assert!(names(&store, &ContactQuery::default()).is_empty());

    store.restore_contact(id, now()).unwrap();
    assert_eq!(names(&store, &text("priya")), ["Priya Natarajan"]);

    store.archive_contact(id, now()).unwrap();
    store.purge_contact(id).unwrap();
    let indexed: i64 = store
        .conn
        .query_row("SELECT count(*) FROM contact_search", [], |r| r.get(0))
        .unwrap();
    assert_eq!(indexed, 0);
}

#[test]
fn filters_by_circle_tag_company_and_due() {
    let (_dir, mut store) = temp_store();
    add(
        &mut store,
        ContactInput {
            circle: Circle::Inner,
            tags: vec!["Family".into()],
            ..named("Mum")
        },
    );
    add(
        &mut store,
        ContactInput {
            company: Some("Acme".into()),
            cadence_days: Some(10),
            ..named("Bob")
        },
    );
    add(
        &mut store,
        ContactInput {
            company: Some("acme".into()),
            ..named("Carol")
        },
    );
    let q = |f: fn(&mut ContactQuery)| {
        let mut q = ContactQuery::default();
        f(&mut q);
        q
    };
    assert_eq!(
        names(&store, &q(|q| q.circle = Some(Circle::Inner))),
        ["Mum"]
    );
    assert_eq!(
        names(&store, &q(|q| q.tag = Some("family".into()))),
        ["Mum"]
    );
    assert_eq!(
        names(&store, &q(|q| q.company = Some("ACME".into()))),
        ["Bob", "Carol"]
    );

    // Added today: Mum (14 days), Bob (10 days), Carol (network, 90 days).
    let at = |days| now() + Duration::days(days);
    let due = ContactQuery {
        due: Some(DueFilter::Due),
        ..ContactQuery::default()
    };
    let overdue = ContactQuery {
        due: Some(DueFilter::Overdue),
        ..ContactQuery::default()
    };
    let found = |q: &ContactQuery, when| -> Vec<String> {
        store
            .search_contacts(q, when)
            .unwrap()
            .into_iter()
            .map(|c| c.display_name)
            .collect()
    };
    assert!(found(&due, at(9)).is_empty());
    assert_eq!(found(&due, at(10)), ["Bob"]);
    assert_eq!(found(&due, at(14)), ["Bob", "Mum"]);
    assert!(found(&overdue, at(15)).is_empty());
    assert_eq!(found(&overdue, at(16)), ["Bob"]);
    assert_eq!(found(&overdue, at(22)), ["Bob", "Mum"]);

    // Never contacted: no touch of one's own; an imported connection is not one.
    let never = ContactQuery {
        due: Some(DueFilter::Never),
        ..ContactQuery::default()
    };
    let ids: Vec<i64> = store
        .list_contacts(now())
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    for (id, kind) in [
        (ids[0], crate::history::InteractionKind::Connected),
        (ids[1], crate::history::InteractionKind::Coffee),
    ] {
        store
            .log_interaction(
                crate::history::InteractionInput {
                    contact_ids: vec![id],
                    kind,
                    occurred_at: now(),
                    direction: None,
                    notes: None,
                },
                now(),
            )
            .unwrap();
    }
    let found_now: Vec<String> = store
        .search_contacts(&never, now())
        .unwrap()
        .into_iter()
        .map(|c| c.display_name)
        .collect();
    assert_eq!(found_now, ["Bob", "Mum"]);
}

#[test]
fn broad_prefixes_rank_a_bounded_set_and_narrower_text_finds_the_rest() {
    let (_dir, mut store) = temp_store();
    for i in 0..(RANKED_CANDIDATES + 100) {
        add(&mut store, named(&format!("Person {i}")));
    }
    add(&mut store, named("Personne Zed"));
    let q = ContactQuery {
        text: "pers".into(),
        limit: Some(10),
        ..ContactQuery::default()
    };
    assert_eq!(store.search_contacts(&q, now()).unwrap().len(), 10);
    assert_eq!(names(&store, &text("personne")), ["Personne Zed"]);
    assert_eq!(names(&store, &text("pers zed")), ["Personne Zed"]);
    // With a filter, every match is ranked.
    let filtered = ContactQuery {
        text: "zed".into(),
        circle: Some(Circle::Network),
        ..ContactQuery::default()
    };
    assert_eq!(names(&store, &filtered), ["Personne Zed"]);
}

/// A network as a LinkedIn import leaves it: hundreds of connections nobody has touched,
/// many sharing a first or last name with the few people the user keeps up with.
fn imported_network(store: &mut Store) {
    let connected = now() - Duration::days(400);
    let first = [
        "Ana",
        "Anabel",
        "Anastasia",
        "Ivan",
        "Ivana",
        "Jon",
        "Jonas",
        "Maria",
        "Marco",
    ];
    let last = [
        "Smith", "Smithson", "Anand", "Ivanova", "Lopes", "Chen", "Okafor", "Novak", "Berg",
        "Costa", "Silva", "Kaur", "Rossi", "Haddad", "Nakamura", "Dubois", "Fischer", "Moreau",
        "Jansen", "Kowalski", "Santos", "Tanaka", "Weber", "Ali", "Park", "Levi", "Quinn", "Ortiz",
        "Byrne", "Holm", "Ivers", "Mendes", "Aziz", "Reyes", "Sato", "Vargas", "Young", "Zhou",
        "Adler", "Brandt", "Cruz", "Dahl", "Engel", "Falk", "Gomez", "Hahn", "Ibsen", "Jung",
    ];
    for f in first {
        for l in last {
            person(&format!("{f} {l}"))
                .touched(InteractionKind::Connected, connected)
                .add(store, connected)
                .unwrap();
        }
    }
    for f in ["Ana", "Jon", "Ivan"] {
        for i in 0..20 {
            person(&format!("{f} Smith{}", "e".repeat(i % 3)))
                .company("Anaconda Systems")
                .touched(InteractionKind::Connected, connected)
                .add(store, connected)
                .unwrap();
        }
    }
}

fn position(found: &[String], name: &str) -> Option<usize> {
    found.iter().position(|n| n == name)
}

#[test]
fn the_people_kept_up_with_come_first_among_hundreds_of_connections_of_the_same_name() {
    let (_dir, mut store) = temp_store();
    imported_network(&mut store);
    let added = now() - Duration::days(300);
    // Kept-up people have more written about them than a bare connection.
    person("Ana Lima")
        .company("Northwind Traders")
        .email("ana.lima@northwind.example")
        .tags(&["Book club"])
        .touched(InteractionKind::Coffee, now() - Duration::days(2))
        .add(&mut store, added)
        .unwrap();
    person("Jon Smith")
        .company("Fabrikam")
        .email("jon@fabrikam.example")
        .cadence(30)
        .touched(InteractionKind::Call, now() - Duration::days(20))
        .add(&mut store, added)
        .unwrap();
    person("Ivan Petrov")
        .company("Contoso")
        .circle(Circle::Close)
        .add(&mut store, added)
        .unwrap();
    // Known through their work, not their name.
    person("Rosa Mendel")
        .company("Anaheim Robotics")
        .touched(InteractionKind::Meeting, now() - Duration::days(5))
        .add(&mut store, added)
        .unwrap();

    let ana = names(&store, &text("ana"));
    assert!(ana.len() > 100, "{} matches", ana.len());
    assert_eq!(ana[0], "Ana Lima");
    // Every name match comes before a match elsewhere, however close the person.
    let rosa = position(&ana, "Rosa Mendel").unwrap();
    assert_eq!(rosa, ana.len() - 41, "{ana:?}");
    assert!(ana[rosa + 1..].iter().all(|n| !n.starts_with("Ana")));

    let smith = names(&store, &text("smith"));
    assert_eq!(smith[0], "Jon Smith", "{:?}", &smith[..5]);
    assert_eq!(names(&store, &text("jon smi"))[0], "Jon Smith");

    // The people picker asks for six.
    let picker = |t: &str| ContactQuery {
        text: t.into(),
        limit: Some(6),
        ..ContactQuery::default()
    };
    assert_eq!(names(&store, &picker("Ivan"))[0], "Ivan Petrov");
    assert_eq!(names(&store, &picker("iva"))[0], "Ivan Petrov");
    assert_eq!(names(&store, &picker("petrov")), ["Ivan Petrov"]);
    // Among the others, a name that starts with the text comes first: "Ivan …" and
    // "Ivana …" before "Ana Ivanova".
    let ivan = names(&store, &text("ivan"));
    let last_first_name = ivan.iter().rposition(|n| n.starts_with("Ivan")).unwrap();
    let first_surname = ivan.iter().position(|n| !n.starts_with("Ivan")).unwrap();
    assert_eq!(
        (last_first_name + 1, ivan.len()),
        (first_surname, first_surname + 7)
    );
}

#[test]
fn counts_every_match_whatever_the_limit() {
    let (_dir, mut store) = temp_store();
    imported_network(&mut store);
    person("Ana Lima")
        .tags(&["Book club"])
        .add(&mut store, now())
        .unwrap();
    let count = |q: &ContactQuery| store.count_contacts(q, now()).unwrap();
    // "Ana", "Anabel" and "Anastasia" with 48 surnames each, 6 others named "… Anand",
    // 20 "Ana Smith…", 40 more at Anaconda Systems, and Ana Lima.
    let ana = ContactQuery {
        limit: Some(8),
        ..text("ana")
    };
    let found = store.search_contacts(&ana, now()).unwrap().len();
    assert_eq!((found, count(&ana)), (8, 3 * 48 + 6 + 20 + 40 + 1));
    assert_eq!(count(&ContactQuery::default()), 9 * 48 + 60 + 1);
    assert_eq!(
        count(&ContactQuery {
            kept: Some(true),
            ..ContactQuery::default()
        }),
        1
    );
    assert_eq!(
        count(&ContactQuery {
            tag: Some("book club".into()),
            ..text("lim")
        }),
        1
    );
    assert_eq!(count(&text("zzz")), 0);
    // Archived people are not counted, with text or without.
    let gone = store.search_contacts(&text("anastasia"), now()).unwrap()[0].id;
    store.archive_contact(gone, now()).unwrap();
    let count = |q: &ContactQuery| store.count_contacts(q, now()).unwrap();
    assert_eq!(count(&text("ana")), 3 * 48 + 6 + 20 + 40);
    assert_eq!(count(&ContactQuery::default()), 9 * 48 + 60);
    assert_eq!(count(&text(" @ ")), 9 * 48 + 60);
}

#[test]
fn sorts_by_name_last_touch_and_next_due_and_narrows_to_the_people_kept_up_with() {
    let (_dir, mut store) = temp_store();
    let day = |d: i64| now() - Duration::days(d);
    // Imported, never touched: no rhythm yet.
    person("Bea Imported")
        .touched(InteractionKind::Connected, day(3))
        .add(&mut store, day(400))
        .unwrap();
    // Added by hand: their circle's rhythm (network, 90 days), due in 80 days.
    person("Cleo Added").add(&mut store, day(10)).unwrap();
    // Touched a month ago, every 14 days: 16 days late.
    person("Abe Touched")
        .cadence(14)
        .touched(InteractionKind::Call, day(30))
        .add(&mut store, day(100))
        .unwrap();
    // An imported connection since called: a history.
    person("Dan Called")
        .touched(InteractionKind::Connected, day(500))
        .touched(InteractionKind::Call, day(1))
        .add(&mut store, day(500))
        .unwrap();
    let sorted = |sort, kept| {
        names(
            &store,
            &ContactQuery {
                sort: Some(sort),
                kept,
                ..ContactQuery::default()
            },
        )
    };
    assert_eq!(
        sorted(ContactSort::Name, None),
        ["Abe Touched", "Bea Imported", "Cleo Added", "Dan Called"]
    );
    assert_eq!(
        sorted(ContactSort::LastTouch, None),
        ["Dan Called", "Bea Imported", "Abe Touched", "Cleo Added"]
    );
    assert_eq!(
        sorted(ContactSort::NextDue, None),
        ["Abe Touched", "Cleo Added", "Dan Called", "Bea Imported"]
    );
    assert_eq!(
        sorted(ContactSort::Name, Some(true)),
        ["Abe Touched", "Cleo Added", "Dan Called"]
    );
    assert_eq!(sorted(ContactSort::Name, Some(false)), ["Bea Imported"]);
    // A sort applies to the matches of a text too, instead of the best match first.
    assert_eq!(names(&store, &text("c")), ["Dan Called", "Cleo Added"]);
    let q = ContactQuery {
        sort: Some(ContactSort::Name),
        ..text("c")
    };
    assert_eq!(names(&store, &q), ["Cleo Added", "Dan Called"]);
    // Unknown fields are still refused; the new ones are optional.
    let json = r#"{"text":"","kept":true,"sort":"nextDue","tag":null}"#;
    let parsed: ContactQuery = serde_json::from_str(json).unwrap();
    assert_eq!(
        (parsed.kept, parsed.sort),
        (Some(true), Some(ContactSort::NextDue))
    );
    assert!(serde_json::from_str::<ContactQuery>(r#"{"sortBy":"name"}"#).is_err());
}

#[test]
fn tags_are_listed_with_how_many_active_people_carry_them() {
    let (_dir, mut store) = temp_store();
    person("A")
        .tags(&["Family", "rust"])
        .add(&mut store, now())
        .unwrap();
    person("B").tags(&["rust"]).add(&mut store, now()).unwrap();
    let gone = person("C")
        .tags(&["Rust", "climbing"])
        .add(&mut store, now())
        .unwrap();
    store.archive_contact(gone, now()).unwrap();
    let tags: Vec<(String, u32)> = store
        .tag_counts()
        .unwrap()
        .into_iter()
        .map(|t| (t.name, t.count))
        .collect();
    assert_eq!(tags, [("Family".into(), 1), ("rust".into(), 2)]);
}

#[test]
fn limits_and_oversized_queries() {
    let (_dir, mut store) = temp_store();
    for i in 0..5 {
        add(&mut store, named(&format!("Person {i}")));
    }
    let q = ContactQuery {
        text: "person".into(),
        limit: Some(2),
        ..ContactQuery::default()
    };
    assert_eq!(store.search_contacts(&q, now()).unwrap().len(), 2);
    let err = store
        .search_contacts(&text(&"a".repeat(201)), now())
        .unwrap_err();
    assert_eq!(err.field(), Some("text"));
}
