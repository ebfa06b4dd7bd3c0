//! Two Kiths (two data folders) sharing one network through a real CardDAV server, as a
//! laptop and a desktop would: what one does, the other sees after a round on each.

mod support;

use chrono::Utc;
use kith_core::model::Circle;
use kith_core::testing::person;
use support::{Device, Kind};

async fn create_edit_and_delete_travel_both_ways(kind: Kind, slug: &str) {
    let mut laptop = Device::new(kind, slug).await;
    let mut desktop = Device::new(kind, slug).await;

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
