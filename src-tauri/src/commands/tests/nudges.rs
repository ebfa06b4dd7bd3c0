//! Nudges over IPC: shown in the window when the desktop cannot, answered once, never twice
//! on the desktop after a stop, and shown as written.

use serde_json::json;

use super::Harness;
use crate::notifier::{Notifier, NotifyError, Nudge, Nudges, OnAction};
use crate::{app_builder, AppState};
use tauri::test::mock_builder;

#[test]
fn without_a_notification_service_the_nudge_is_shown_in_app_and_answered_once() {
    let h = Harness::new();
    let delivery = h.invoke("send_test_nudge", json!({})).unwrap();
    assert_eq!(delivery["channel"], "inApp");
    assert!(delivery["reason"]
        .as_str()
        .unwrap()
        .contains("no desktop notification service"));
    let nudge = &delivery["nudge"];
    let keys: Vec<_> = nudge["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["call", "snooze", "done"]);
    let id = nudge["id"].as_str().unwrap();
    // A window opened now would still show it.
    let waiting = h.invoke("in_app_nudges", json!({})).unwrap();
    assert_eq!(waiting[0]["nudge"]["id"], id);

    let bogus = h
        .invoke(
            "act_on_nudge",
            json!({ "nudgeId": id, "action": "delete-all" }),
        )
        .unwrap_err();
    assert_eq!(bogus["field"], "action");

    let outcome = h
        .invoke("act_on_nudge", json!({ "nudgeId": id, "action": "done" }))
        .unwrap();
    assert_eq!(
        outcome,
        json!({ "nudgeId": id, "contactId": null, "action": "done" })
    );

    let again = h
        .invoke("act_on_nudge", json!({ "nudgeId": id, "action": "done" }))
        .unwrap_err();
    assert_eq!(again["field"], "nudgeId");
    assert_eq!(h.invoke("in_app_nudges", json!({})).unwrap(), json!([]));
}

/// A desktop that shows every nudge, counting them.
struct Counting(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Notifier for Counting {
    fn show(&self, _: &Nudge, _: OnAction) -> Result<(), NotifyError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn a_nudge_a_stop_left_unrecorded_is_shown_in_the_window_never_twice_on_the_desktop() {
    use chrono::{Duration, Utc};
    use kith_core::preferences::Preferences;
    use kith_core::reminder::{DeliveryChannel, ReminderInput};

    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    {
        let mut store = kith_core::Store::open_in(dir.path()).unwrap();
        let prefs = store.preferences().unwrap();
        store
            .set_preferences(Preferences {
                nudge_time: (now + Duration::hours(12)).format("%H:%M").to_string(),
                quiet_from: None,
                quiet_to: None,
                ..prefs
            })
            .unwrap();
        let priya = store
            .add_contact(
                kith_core::model::ContactInput {
                    display_name: "Priya Raman".into(),
                    ..Default::default()
                },
                now - Duration::days(3),
            )
            .unwrap()
            .id;
        store.fire_due(now - Duration::minutes(3)).unwrap();
        let due = now - Duration::seconds(61);
        store
            .add_reminder(
                ReminderInput {
                    contact_id: Some(priya),
                    title: "Call Priya".into(),
                    date: due.date_naive(),
                    time: due.format("%H:%M").to_string(),
                    repeat: kith_core::repeat::Repeat::Never,
                },
                now - Duration::minutes(3),
            )
            .unwrap();
        // Fired, then Kith stopped before it recorded the delivery.
        assert_eq!(store.fire_due(now).unwrap().len(), 1);
        assert_eq!(store.undelivered().unwrap().len(), 1);
    }
    let shows = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let store = kith_core::Store::open_in(dir.path()).unwrap();
    let state = AppState::new(store, Nudges::new(Box::new(Counting(shows.clone()))));
    let app = app_builder(mock_builder(), state)
        .build(tauri::generate_context!())
        .unwrap();
    crate::scheduler::start(
        tauri::Manager::app_handle(&app).clone(),
        dir.path().join("kith.db"),
        std::sync::Arc::new(crate::scheduler::SystemClock),
    );
    let store = kith_core::Store::open_in(dir.path()).unwrap();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !store.undelivered().unwrap().is_empty() {
        assert!(std::time::Instant::now() < end, "never recorded");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(shows.load(std::sync::atomic::Ordering::SeqCst), 0);
    let log = store.occurrences(10).unwrap();
    assert_eq!(log[0].delivery, Some(DeliveryChannel::InApp));
    let waiting = tauri::Manager::state::<AppState>(&app).nudges.in_app();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert!(
        format!("{waiting:?}").contains("Kith stopped"),
        "{waiting:?}"
    );
}

#[test]
fn notification_markup_in_a_name_is_shown_as_written() {
    assert_eq!(
        crate::notifier::escape_markup("About <b>Ana</b> & <a href=\"x\">co</a>."),
        "About &lt;b&gt;Ana&lt;/b&gt; &amp; &lt;a href=\"x\"&gt;co&lt;/a&gt;."
    );
    assert_eq!(crate::notifier::escape_markup("Priya Raman"), "Priya Raman");
}
