//! Two Kiths (two data folders) sharing one network through a real CardDAV server, as a
//! laptop and a desktop would: what one does, the other sees after a round on each.

#[allow(dead_code)]
mod support;

use chrono::{NaiveDate, Utc};
use kith_core::model::Circle;
use kith_core::reminder::ReminderInput;
use kith_core::repeat::Repeat;
use kith_core::testing::person;
use support::{Device, Kind, OtherApp};

async fn create_edit_and_delete_travel_both_ways(kind: Kind, slug: &str) {
    let mut laptop = Device::new(kind, slug).await;
    let mut desktop = Device::new(kind, slug).await;
    // Radicale says it takes vCard 3.0 only (and gets 3.0 cards); Xandikos takes 4.0.
    assert_eq!(
        laptop.server.takes_only_vcard3(&book(&laptop)).await,
        kind == Kind::Radicale
    );

    person("Priya Raman")
        .company("Acme")
        .email("priya@acme.example")
        .circle(Circle::Close)
        .add(&mut laptop.store, Utc::now())
        .unwrap();
    let sent = laptop.sync().await;
    assert_eq!(sent.created, 1, "{sent:?}");
    let got = desktop.sync().await;
    assert_eq!(got.pulled.added, 1, "{got:?}");
    assert_eq!(desktop.names(), ["Priya Raman"]);
    let priya = desktop
        .store
        .get_contact(desktop.id("Priya Raman"))
        .unwrap();
    assert_eq!(priya.circle, Circle::Close, "X-KITH-CIRCLE travels");
    // A second round on each: nothing to do.
    assert_eq!(desktop.sync().await.updated, 0);
    assert_eq!(laptop.sync().await.pulled.updated, 0);

    // The desktop edits; the laptop sees it.
    let mut edit = priya.to_input();
    edit.company = Some("Globex".into());
    desktop
        .store
        .update_contact(priya.id, edit, Utc::now())
        .unwrap();
    assert_eq!(desktop.sync().await.updated, 1);
    assert_eq!(laptop.sync().await.pulled.updated, 1);
    let on_laptop = laptop.store.get_contact(laptop.id("Priya Raman")).unwrap();
    assert_eq!(on_laptop.company.as_deref(), Some("Globex"));

    // The laptop deletes for good; the desktop archives (her history stays there).
    laptop
        .store
        .archive_contact(on_laptop.id, Utc::now())
        .unwrap();
    laptop.store.purge_contact(on_laptop.id).unwrap();
    assert_eq!(laptop.sync().await.deleted, 1);
    let got = desktop.sync().await;
    assert_eq!(got.pulled.archived, 1, "{got:?}");
    assert!(desktop.names().is_empty());
    assert!(desktop
        .store
        .get_contact(priya.id)
        .unwrap()
        .archived_at
        .is_some());
}

on_both_servers!(
    create_edit_and_delete,
    create_edit_and_delete_travel_both_ways
);

/// Both devices know Priya (made on the laptop).
async fn both_know_priya(kind: Kind, slug: &str) -> (Device, Device) {
    let mut laptop = Device::new(kind, slug).await;
    let mut desktop = Device::new(kind, slug).await;
    person("Priya Raman")
        .company("Acme")
        .email("priya@acme.example")
        .add(&mut laptop.store, Utc::now())
        .unwrap();
    laptop.sync().await;
    desktop.sync().await;
    (laptop, desktop)
}

impl Device {
    /// `name`'s follow-ups: title, due date, done.
    fn follow_ups(&self, name: &str) -> Vec<(String, Option<NaiveDate>, bool)> {
        let mut all: Vec<_> = self
            .store
            .follow_ups_for(self.id(name))
            .unwrap()
            .into_iter()
            .map(|f| (f.title, f.due_on, f.completed_at.is_some()))
            .collect();
        all.sort();
        all
    }
}

async fn follow_ups_travel_as_tasks_and_done_on_either_side_is_done_on_both(
    kind: Kind,
    slug: &str,
) {
    let (mut laptop, mut desktop) = both_know_priya(kind, slug).await;
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, d);
    let deck = laptop.follow_up("Priya Raman", "Send the deck", day(9));
    assert_eq!(laptop.sync().await.tasks.created, 1);

    // The phone's tasks app sees one task naming Priya's card; it moves the date and flags it.
    let phone = OtherApp::new(kind);
    let known = laptop.store.sync_known_tasks().unwrap();
    let href = known.keys().next().unwrap().clone();
    let (text, etag) = phone.get(&href).await;
    assert!(text.contains("SUMMARY:Send the deck"), "{text}");
    assert!(text.contains("X-KITH-CONTACT-UID:"), "{text}");
    assert!(!text.contains("RRULE"), "{text}");
    let moved = text
        .replace("DUE;VALUE=DATE:20261209", "DUE;VALUE=DATE:20261211")
        .replace("END:VTODO", "X-PHONE-FLAG:red\r\nEND:VTODO");
    assert_ne!(moved, text);
    phone.put(&href, &moved, &etag).await;

    // The desktop gets it as a follow-up of its Priya, moved.
    assert_eq!(desktop.sync().await.tasks.added, 1);
    let open = ("Send the deck".to_owned(), day(11), false);
    assert_eq!(
        desktop.follow_ups("Priya Raman"),
        std::slice::from_ref(&open)
    );
    // The laptop sees the move; done there, the task is done on the server with the flag kept.
    assert_eq!(laptop.sync().await.tasks.updated, 1);
    assert_eq!(laptop.follow_ups("Priya Raman"), [open]);
    laptop
        .store
        .set_follow_up_done(deck, true, Utc::now())
        .unwrap();
    assert_eq!(laptop.sync().await.tasks.sent, 1);
    let (text, _) = phone.get(&href).await;
    assert!(text.contains("STATUS:COMPLETED"), "{text}");
    assert!(text.contains("X-PHONE-FLAG:red"), "{text}");
    desktop.sync().await;
    let done = ("Send the deck".to_owned(), day(11), true);
    assert_eq!(
        desktop.follow_ups("Priya Raman"),
        std::slice::from_ref(&done)
    );

    // One made on the desktop, completed on the phone: done on both.
    desktop.follow_up("Priya Raman", "Ask about the move", None);
    desktop.sync().await;
    laptop.sync().await;
    let known = desktop.store.sync_known_tasks().unwrap();
    let second = known.keys().find(|h| **h != href).unwrap().clone();
    let (text, etag) = phone.get(&second).await;
    phone
        .put(
            &second,
            &text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
            &etag,
        )
        .await;
    laptop.sync().await;
    desktop.sync().await;
    let both = [("Ask about the move".to_owned(), None, true), done];
    assert_eq!(laptop.follow_ups("Priya Raman"), both);
    assert_eq!(desktop.follow_ups("Priya Raman"), both);
}

on_both_servers!(
    follow_ups_as_tasks,
    follow_ups_travel_as_tasks_and_done_on_either_side_is_done_on_both
);

async fn a_reminder_is_one_task_that_moves_on_when_ticked_off_elsewhere(kind: Kind, slug: &str) {
    let (mut laptop, mut desktop) = both_know_priya(kind, slug).await;
    let priya = laptop.id("Priya Raman");
    let first = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    laptop
        .store
        .add_reminder(
            ReminderInput {
                contact_id: Some(priya),
                title: "Call Priya".into(),
                date: first,
                time: "10:00".into(),
                repeat: Repeat::EveryWeeks { weeks: 2 },
            },
            Utc::now(),
        )
        .unwrap();
    assert_eq!(laptop.sync().await.tasks.created, 1);
    let href = laptop
        .store
        .sync_known_tasks()
        .unwrap()
        .into_keys()
        .next()
        .unwrap();
    let phone = OtherApp::new(kind);
    let (text, etag) = phone.get(&href).await;
    assert!(text.contains("DUE;VALUE=DATE:20261207"), "{text}");
    phone
        .put(
            &href,
            &text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
            &etag,
        )
        .await;
    // Ticked off: the laptop settles that time and moves the task on two weeks, open again.
    let round = laptop.sync().await;
    assert_eq!((round.tasks.updated, round.tasks.sent), (1, 1), "{round:?}");
    let (text, _) = phone.get(&href).await;
    assert!(text.contains("DUE;VALUE=DATE:20261221"), "{text}");
    assert!(text.contains("STATUS:NEEDS-ACTION"), "{text}");
    assert!(!text.contains("RRULE"), "{text}");
    // The desktop has reminders of its own: the laptop's task is not a follow-up there.
    desktop.sync().await;
    assert!(desktop.follow_ups("Priya Raman").is_empty());
}

on_both_servers!(
    reminder_as_task,
    a_reminder_is_one_task_that_moves_on_when_ticked_off_elsewhere
);

async fn the_same_field_changed_on_both_sides_goes_to_the_server_and_the_log(
    kind: Kind,
    slug: &str,
) {
    let (mut laptop, mut desktop) = both_know_priya(kind, slug).await;
    // Offline on both: each changes something, and both change the company.
    laptop.edit("Priya Raman", |c| {
        c.company = Some("Initech".into());
        c.notes = Some("Speaks at RustConf".into());
    });
    desktop.edit("Priya Raman", |c| {
        c.company = Some("Globex".into());
        c.role = Some("CTO".into());
    });
    desktop.sync().await;
    let joined = laptop.sync().await;
    assert_eq!(
        (joined.pulled.merged, joined.pulled.conflicts),
        (1, 1),
        "{joined:?}"
    );
    desktop.sync().await;
    for device in [&laptop, &desktop] {
        let p = device.store.get_contact(device.id("Priya Raman")).unwrap();
        assert_eq!(
            p.company.as_deref(),
            Some("Globex"),
            "the server's value wins"
        );
        assert_eq!(p.role.as_deref(), Some("CTO"));
        assert_eq!(p.notes.as_deref(), Some("Speaks at RustConf"));
    }
}

on_both_servers!(
    same_field_both_sides,
    the_same_field_changed_on_both_sides_goes_to_the_server_and_the_log
);

async fn an_edit_beats_a_delete_made_elsewhere(kind: Kind, slug: &str) {
    let (mut laptop, mut desktop) = both_know_priya(kind, slug).await;
    let id = laptop.id("Priya Raman");
    laptop.store.archive_contact(id, Utc::now()).unwrap();
    laptop.store.purge_contact(id).unwrap();
    desktop.edit("Priya Raman", |c| c.notes = Some("Moved to Porto".into()));
    laptop.sync().await;
    desktop.sync().await;
    laptop.sync().await;
    assert_eq!(desktop.names(), ["Priya Raman"]);
    assert_eq!(laptop.names(), ["Priya Raman"], "the edit brought her back");
    let back = laptop.store.get_contact(laptop.id("Priya Raman")).unwrap();
    assert_eq!(back.notes.as_deref(), Some("Moved to Porto"));
}

on_both_servers!(edit_beats_delete, an_edit_beats_a_delete_made_elsewhere);

/// The UID line of a card.
fn uid_of(card: &str) -> String {
    card.lines()
        .find(|l| l.starts_with("UID"))
        .unwrap_or_default()
        .to_owned()
}

async fn a_card_an_edit_brings_back_is_the_same_person_everywhere(kind: Kind, slug: &str) {
    let (mut laptop, mut desktop) = both_know_priya(kind, slug).await;
    let phone = OtherApp::new(kind);
    let href = laptop.only_href();
    let (card, _) = phone.get(&href).await;
    let priya_on_desktop = desktop.id("Priya Raman");
    // The phone deletes her; the desktop archives her, her history kept.
    phone.delete(&href).await;
    assert_eq!(desktop.sync().await.pulled.archived, 1);
    // The laptop had edited her meanwhile: the edit wins, and her card comes back under the
    // name it had.
    laptop.edit("Priya Raman", |c| c.role = Some("CTO".into()));
    laptop.sync().await;
    assert_eq!(laptop.only_href(), href);
    let (back, _) = phone.get(&href).await;
    assert_eq!(uid_of(&back), uid_of(&card));
    // The desktop takes the same contact back, with the edit: one Priya, none archived.
    let got = desktop.sync().await;
    assert_eq!(got.pulled.restored, 1, "{got:?}");
    assert_eq!(got.pulled.added, 0, "{got:?}");
    assert_eq!(desktop.names(), ["Priya Raman"]);
    assert_eq!(desktop.id("Priya Raman"), priya_on_desktop);
    let priya = desktop.store.get_contact(priya_on_desktop).unwrap();
    assert_eq!(priya.role.as_deref(), Some("CTO"));
    assert!(desktop.store.list_archived(Utc::now()).unwrap().is_empty());
}

on_both_servers!(
    edit_brings_back_the_same_card,
    a_card_an_edit_brings_back_is_the_same_person_everywhere
);

async fn archiving_travels_and_restoring_brings_the_person_back(kind: Kind, slug: &str) {
    let (mut laptop, mut desktop) = both_know_priya(kind, slug).await;
    let phone = OtherApp::new(kind);
    let href = laptop.only_href();
    let on_laptop = laptop.id("Priya Raman");
    let on_desktop = desktop.id("Priya Raman");
    // Archived on the laptop: her card leaves the server (the phone no longer lists her),
    // and the desktop archives her too, her history kept on both.
    laptop.store.archive_contact(on_laptop, Utc::now()).unwrap();
    assert_eq!(laptop.sync().await.deleted, 1);
    let gone = reqwest::Client::new()
        .get(format!(
            "{}{href}",
            support::server(kind).url.trim_end_matches('/')
        ))
        .basic_auth(support::USER, Some(support::PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), reqwest::StatusCode::NOT_FOUND);
    assert_eq!(desktop.sync().await.pulled.archived, 1);
    assert!(desktop.names().is_empty());
    // Restored on the laptop: the same card comes back, and the desktop restores her.
    laptop.store.restore_contact(on_laptop, Utc::now()).unwrap();
    assert_eq!(laptop.sync().await.created, 1);
    assert_eq!(laptop.only_href(), href);
    phone.get(&href).await;
    let got = desktop.sync().await;
    assert_eq!(got.pulled.restored, 1, "{got:?}");
    assert_eq!(desktop.names(), ["Priya Raman"]);
    assert_eq!(desktop.id("Priya Raman"), on_desktop);
    // Nothing left to do on either side.
    let again = laptop.sync().await;
    assert_eq!((again.created, again.updated, again.deleted), (0, 0, 0));
}

on_both_servers!(
    archive_travels,
    archiving_travels_and_restoring_brings_the_person_back
);

async fn a_made_up_token_falls_back_to_listing_every_card(kind: Kind, slug: &str) {
    let (mut laptop, mut desktop) = both_know_priya(kind, slug).await;
    person("Ana Lima")
        .add(&mut laptop.store, Utc::now())
        .unwrap();
    laptop.sync().await;
    desktop
        .store
        .set_sync_token(Some("http://example.invalid/made-up/1"))
        .unwrap();
    let got = desktop.sync().await;
    assert_eq!(got.pulled.added, 1, "{got:?}");
    assert_eq!(desktop.names(), ["Ana Lima", "Priya Raman"]);
    // And the token is a real one again.
    assert_eq!(desktop.sync().await, Default::default());
}

on_both_servers!(
    made_up_token,
    a_made_up_token_falls_back_to_listing_every_card
);

async fn a_card_another_app_changed_keeps_its_photo_through_a_kith_edit(kind: Kind, slug: &str) {
    let (mut laptop, _desktop) = both_know_priya(kind, slug).await;
    let href = laptop.only_href();
    let other = OtherApp::new(kind);
    let (card, etag) = other.get(&href).await;
    // The other app (as Apple Contacts does) writes it back as vCard 3.0 with the properties
    // in its own order, without Kith's own, and with a photo and a property of its own.
    // (A vCard 4.0 `data:` photo would not do: Radicale's parser cuts it at its comma.)
    let mut lines: Vec<&str> = card
        .lines()
        .filter(|l| !l.starts_with("X-KITH-"))
        .filter(|l| !["BEGIN:VCARD", "END:VCARD"].contains(l) && !l.starts_with("VERSION:"))
        .collect();
    lines.reverse();
    let photo = "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAA=";
    let rewritten = format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n{photo}\r\nX-OTHER-APP:kept\r\n{}\r\nEND:VCARD\r\n",
        lines.join("\r\n")
    );
    other.put(&href, &rewritten, &etag).await;
    laptop.sync().await;
    laptop.edit("Priya Raman", |c| c.role = Some("Head of DevRel".into()));
    laptop.sync().await;
    let (card, _) = other.get(&href).await;
    for kept in [
        "PHOTO",
        "/9j/4AAQSkZJRgABAQAAAQABAAA=",
        "X-OTHER-APP:kept",
        "X-KITH-CIRCLE",
        "Head of DevRel",
    ] {
        assert!(card.contains(kept), "{kept} missing from\n{card}");
    }
}

on_both_servers!(
    other_apps_card,
    a_card_another_app_changed_keeps_its_photo_through_a_kith_edit
);

async fn a_write_over_a_newer_version_pulls_joins_and_writes_again(kind: Kind, slug: &str) {
    let (mut laptop, _desktop) = both_know_priya(kind, slug).await;
    let href = laptop.only_href();
    // The laptop has pulled; then another app changes the card before the laptop pushes.
    laptop.edit("Priya Raman", |c| c.notes = Some("Owes me a coffee".into()));
    let other = OtherApp::new(kind);
    let (card, etag) = other.get(&href).await;
    other
        .put(&href, &card.replace("Acme", "Globex"), &etag)
        .await;
    let book = book(&laptop);
    let mut report = kith_core::sync::RoundReport::default();
    kith_sync::push(
        &mut laptop.store,
        &laptop.server,
        &book,
        Utc::now(),
        &mut report,
    )
    .await
    .unwrap();
    assert_eq!((report.retried, report.updated), (1, 1), "{report:?}");
    let (card, _) = other.get(&href).await;
    assert!(
        card.contains("Globex") && card.contains("Owes me a coffee"),
        "{card}"
    );
}

fn book(device: &Device) -> String {
    device
        .store
        .sync_account()
        .unwrap()
        .and_then(|a| a.address_book)
        .unwrap()
}

on_both_servers!(
    retry_on_412,
    a_write_over_a_newer_version_pulls_joins_and_writes_again
);

async fn a_thousand_contacts_make_their_first_trip(kind: Kind, slug: &str) {
    let mut laptop = Device::new(kind, slug).await;
    let mut desktop = Device::new(kind, slug).await;
    for n in 0..1000 {
        person(&format!("Person {n:04}"))
            .email(&format!("p{n}@example.org"))
            .add(&mut laptop.store, Utc::now())
            .unwrap();
    }
    assert_eq!(laptop.sync().await.created, 1000);
    let got = desktop.sync().await;
    assert_eq!(got.pulled.added, 1000, "{:?}", got.pulled.skipped);
    assert_eq!(desktop.names().len(), 1000);
    // Nothing changed: a round sends and fetches nothing.
    assert_eq!(laptop.sync().await, Default::default());
    assert_eq!(desktop.sync().await, Default::default());
}

on_both_servers!(a_thousand, a_thousand_contacts_make_their_first_trip);

/// The card's content lines, each with its folded continuation lines.
fn content_lines(card: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in card.split("\r\n").filter(|l| !l.is_empty()) {
        match out.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => {
                last.push_str("\r\n");
                last.push_str(line);
            }
            _ => out.push(line.to_owned()),
        }
    }
    out
}

#[test]
fn lines_kith_did_not_change_go_back_byte_for_byte() {
    support::runtime().block_on(async {
        let kind = Kind::Xandikos;
        let mut laptop = Device::new(kind, "byte_for_byte").await;
        let book = book(&laptop);
        let other = OtherApp::new(kind);
        // Another app's forms: lower-case parameters, grouped labels, a date with dashes, a
        // 3.0 NOTE without a charset, a long line folded where that app folds it.
        let original = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Other App//EN\r\n\
            UID:other-1\r\nN:Raman;Priya;;;\r\nFN:Priya Raman\r\n\
            item1.EMAIL;type=INTERNET;type=pref:priya@acme.example\r\n\
            item1.X-ABLabel:_$!<Work>!$_\r\ntel;type=cell:+44 20 7946 0000\r\n\
            BDAY:1990-04-01\r\nNOTE:Met at the conference\\, second day\r\nORG:Acme;Research\r\n\
            X-OTHER-APP;x-flag=1:a value long enough that the other app folds it somewhere in th\r\n e middle\r\n\
            END:VCARD\r\n";
        let href = format!("{book}other-1.vcf");
        assert!(other.create(&href, original.as_bytes()).await.is_success());
        laptop.sync().await;
        laptop.edit("Priya Raman", |c| c.company = Some("Globex".into()));
        laptop.sync().await;
        let (written, _) = other.get(&href).await;
        let now = content_lines(&written);
        for line in content_lines(original) {
            if line.starts_with("ORG") {
                continue;
            }
            assert!(now.contains(&line), "{line:?} changed form in\n{written}");
        }
        assert!(written.contains("ORG:Globex;Research"), "{written}");
    });
}
