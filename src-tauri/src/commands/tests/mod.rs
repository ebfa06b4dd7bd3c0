//! Command tests on Tauri's mock runtime: the real handler list, the real capabilities, a
//! database file in a temp dir, and JSON shaped like what `ui/src/lib/api.ts` sends.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::notifier::{Notifier, NotifyError, Nudge, Nudges, OnAction};
use crate::{app_builder, AppState};

/// A notifier for a desktop without a notification service.
struct NoService;

impl Notifier for NoService {
    fn show(&self, _: &Nudge, _: OnAction) -> Result<(), NotifyError> {
        Err(NotifyError::Unavailable("no service on this bus".into()))
    }
}

struct Harness {
    _dir: tempfile::TempDir,
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let store = kith_core::Store::open_in(dir.path()).unwrap();
        let state = AppState::new(store, Nudges::new(Box::new(NoService)));
        let app = app_builder(mock_builder(), state)
            .build(tauri::generate_context!())
            .unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Harness {
            _dir: dir,
            _app: app,
            window,
        }
    }

    /// Adds a contact with just a name; returns its id.
    fn add_named(&self, name: &str) -> i64 {
        self.invoke("add_contact", json!({ "contact": { "displayName": name } }))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// Invokes `cmd` with `args` as the UI would; returns the JSON result or error.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.invoke_body(cmd, InvokeBody::Json(args))
    }

    fn invoke_body(&self, cmd: &str, body: InvokeBody) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body,
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }
}

#[test]
fn add_then_list_and_get() {
    let h = Harness::new();
    let added = h
        .invoke(
            "add_contact",
            json!({ "contact": {
                "displayName": "Priya Raman",
                "emails": [{ "label": "work", "value": "priya@acme.example" }],
                "phones": [],
                "company": "Acme",
                "role": null,
                "notes": ""
            }}),
        )
        .unwrap();
    assert_eq!(added["displayName"], "Priya Raman");
    assert_eq!(added["notes"], Value::Null);
    let id = added["id"].as_i64().unwrap();

    let list = h.invoke("list_contacts", json!({})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["primaryEmail"], "priya@acme.example");

    let got = h.invoke("get_contact", json!({ "id": id })).unwrap();
    assert_eq!(got, added);
}

#[test]
fn invalid_contact_is_a_typed_error_and_stores_nothing() {
    let h = Harness::new();
    let err = h
        .invoke(
            "add_contact",
            json!({ "contact": { "displayName": "   " } }),
        )
        .unwrap_err();
    assert_eq!(
        err,
        json!({ "kind": "invalid", "message": "Name is required.", "field": "displayName" })
    );
    let too_long = "x".repeat(201);
    let err = h
        .invoke(
            "add_contact",
            json!({ "contact": { "displayName": too_long } }),
        )
        .unwrap_err();
    assert_eq!(err["field"], "displayName");
    assert_eq!(h.invoke("list_contacts", json!({})).unwrap(), json!([]));
}

#[test]
fn malformed_arguments_are_refused() {
    let h = Harness::new();
    for args in [
        json!({}),
        json!({ "contact": "Priya" }),
        json!({ "contact": { "displayName": "Priya", "admin": true } }),
        json!({ "contact": { "displayName": "Priya", "emails": "p@x.org" } }),
    ] {
        assert!(h.invoke("add_contact", args.clone()).is_err(), "{args}");
    }
    assert!(h
        .invoke("get_contact", json!({ "id": "1; DROP TABLE contacts" }))
        .is_err());
    assert_eq!(h.invoke("list_contacts", json!({})).unwrap(), json!([]));
}

/// Text that would end a statement if SQL were written by gluing strings is only ever a
/// value: stored and searched as written, with every table still there.
#[test]
fn sql_in_a_text_field_is_a_value_not_a_statement() {
    let h = Harness::new();
    let priya = h
        .invoke(
            "add_contact",
            json!({ "contact": { "displayName": "Priya Raman" } }),
        )
        .unwrap();
    let evil = "Bobby'); DROP TABLE contacts; --";
    let bobby = h
        .invoke(
            "add_contact",
            json!({ "contact": {
                "displayName": evil,
                "company": "x\" OR 1=1; DELETE FROM interactions; --",
                "tags": ["'; DROP TABLE contact_tags; --"]
            }}),
        )
        .unwrap();
    for text in [evil, "\" OR \"\"=\"", "priya' OR '1'='1", "*) OR (1=1"] {
        h.invoke(
            "search_contacts",
            json!({ "query": { "text": text, "limit": 10 } }),
        )
        .unwrap();
    }
    let found = h
        .invoke(
            "search_contacts",
            json!({ "query": { "text": "bobby drop", "limit": 10 } }),
        )
        .unwrap();
    assert_eq!(found[0]["displayName"], evil);
    let listed = h.invoke("list_contacts", json!({})).unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["displayName"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.contains(&"Priya Raman") && names.contains(&evil),
        "{names:?}"
    );
    let again = h
        .invoke("get_contact", json!({ "id": bobby["id"] }))
        .unwrap();
    assert_eq!(again["tags"], json!(["'; DROP TABLE contact_tags; --"]));
    assert_eq!(
        h.invoke("get_contact", json!({ "id": priya["id"] }))
            .unwrap()["displayName"],
        "Priya Raman"
    );
}

#[test]
fn missing_contact_is_not_found() {
    let h = Harness::new();
    let err = h.invoke("get_contact", json!({ "id": 99 })).unwrap_err();
    assert_eq!(err["kind"], "notFound");
    assert_eq!(err["message"], "contact 99 was not found");
}

#[test]
fn history_search_and_the_contact_page_work_over_ipc() {
    let h = Harness::new();
    let ana = h
        .invoke(
            "add_contact",
            json!({ "contact": {
                "displayName": "José Álvarez",
                "tags": ["former colleague"],
                "circle": "close",
                "timeZone": "Europe/Madrid"
            }}),
        )
        .unwrap();
    let id = ana["id"].as_i64().unwrap();
    assert_eq!(ana["effectiveCadenceDays"], 30);

    let found = h
        .invoke(
            "search_contacts",
            json!({ "query": { "text": "jose", "limit": 10 } }),
        )
        .unwrap();
    assert_eq!(found[0]["id"], id);
    let count = |query: Value| {
        h.invoke("count_contacts", json!({ "query": query }))
            .unwrap()
    };
    assert_eq!(count(json!({ "text": "jose", "limit": 0 })), 1);
    assert_eq!(count(json!({ "kept": false, "sort": "nextDue" })), 0);
    assert!(h
        .invoke("count_contacts", json!({ "query": { "sort": "age" } }))
        .is_err());
    assert_eq!(
        h.invoke("list_tags", json!({})).unwrap(),
        json!([{ "name": "former colleague", "count": 1 }])
    );

    let logged = h
        .invoke(
            "log_interaction",
            json!({ "interaction": {
                "contactIds": [id],
                "kind": "coffee",
                "occurredAt": "2026-11-20T10:00:00Z",
                "direction": "outbound",
                "notes": "Talked about the Lisbon team"
            }}),
        )
        .unwrap();
    assert_eq!(logged["kind"], "coffee");

    h.invoke(
        "add_follow_up",
        json!({ "followUp": { "contactId": id, "title": "Send the article", "dueOn": "2026-11-30" } }),
    )
    .unwrap();

    let page = h.invoke("contact_page", json!({ "id": id })).unwrap();
    assert_eq!(page["contact"]["lastTouchAt"], "2026-11-20T10:00:00Z");
    // Due from midnight (UTC until a zone is set) thirty days after the call.
    assert_eq!(page["contact"]["nextDueAt"], "2026-12-20T00:00:00Z");
    assert_eq!(page["timeline"][0]["notes"], "Talked about the Lisbon team");
    assert_eq!(page["followUps"][0]["dueOn"], "2026-11-30");
}

#[test]
fn bad_history_arguments_are_refused_and_change_nothing() {
    let h = Harness::new();
    let id = h.add_named("Ana");
    for interaction in [
        json!({ "contactIds": [id], "kind": "telepathy", "occurredAt": "2026-11-20T10:00:00Z" }),
        json!({ "contactIds": [id], "kind": "call", "occurredAt": "yesterday" }),
        json!({ "contactIds": [], "kind": "call", "occurredAt": "2026-11-20T10:00:00Z" }),
        json!({ "contactIds": [id], "kind": "call", "occurredAt": "2999-01-01T00:00:00Z" }),
        json!({ "contactIds": [id, 12345], "kind": "call", "occurredAt": "2026-11-20T10:00:00Z" }),
    ] {
        assert!(
            h.invoke(
                "log_interaction",
                json!({ "interaction": interaction.clone() })
            )
            .is_err(),
            "{interaction}"
        );
    }
    let page = h.invoke("contact_page", json!({ "id": id })).unwrap();
    assert_eq!(page["timeline"], json!([]));
    assert_eq!(page["contact"]["lastTouchAt"], Value::Null);
    let err = h
        .invoke(
            "set_circle_cadences",
            json!({ "cadences": { "inner": 0, "close": 30, "network": 90, "acquaintance": 180 } }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(
        h.invoke("get_circle_cadences", json!({})).unwrap(),
        json!({ "inner": 14, "close": 30, "network": 90, "acquaintance": 180 })
    );
}

#[test]
fn tag_cadence_rules_over_ipc_move_the_contact_page_and_refuse_bad_rules() {
    let h = Harness::new();
    let id = h
        .invoke(
            "add_contact",
            json!({ "contact": { "displayName": "Ana", "tags": ["former colleague"] } }),
        )
        .unwrap()["id"]
        .clone();
    assert_eq!(
        h.invoke(
            "set_cadence_rules",
            json!({ "rules": [{ "tag": "Former colleague", "days": 60 }] })
        )
        .unwrap(),
        json!([{ "tag": "Former colleague", "days": 60 }])
    );
    let contact = h.invoke("get_contact", json!({ "id": id })).unwrap();
    assert_eq!(contact["effectiveCadenceDays"], 60);
    assert_eq!(
        contact["cadenceSource"],
        json!({ "from": "tag", "tag": "former colleague" })
    );
    let err = h
        .invoke(
            "set_cadence_rules",
            json!({ "rules": [{ "tag": "mentor", "days": 0 }] }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(err["field"], "days");
    assert_eq!(
        h.invoke("get_cadence_rules", json!({})).unwrap(),
        json!([{ "tag": "Former colleague", "days": 60 }])
    );
}

#[test]
fn archive_then_restore_over_ipc() {
    let h = Harness::new();
    let id = h.add_named("Ana");
    let err = h.invoke("purge_contact", json!({ "id": id })).unwrap_err();
    assert_eq!(err["kind"], "conflict");
    h.invoke("archive_contact", json!({ "id": id })).unwrap();
    assert_eq!(h.invoke("list_contacts", json!({})).unwrap(), json!([]));
    assert_eq!(h.invoke("list_archived", json!({})).unwrap()[0]["id"], id);
    h.invoke("restore_contact", json!({ "id": id })).unwrap();
    assert_eq!(h.invoke("list_contacts", json!({})).unwrap()[0]["id"], id);

    let gone = h.add_named("Gone");
    h.invoke("archive_contact", json!({ "id": gone })).unwrap();
    h.invoke("purge_contact", json!({ "id": gone })).unwrap();
    assert_eq!(h.invoke("list_archived", json!({})).unwrap(), json!([]));
    let err = h.invoke("get_contact", json!({ "id": gone })).unwrap_err();
    assert_eq!(err["kind"], "notFound");
}

#[test]
fn goals_over_ipc_follow_the_journey() {
    let h = Harness::new();
    let prefs = h
        .invoke(
            "set_preferences",
            json!({ "preferences": { "nudgeTime": "09:30", "timeZone": "Europe/Lisbon", "onboarded": true } }),
        )
        .unwrap();
    assert_eq!(prefs["timeZone"], "Europe/Lisbon");
    let mut goal = h
        .invoke("goal_template", json!({ "kind": "reconnectColleagues" }))
        .unwrap();
    assert_eq!(goal["audience"]["tags"], json!(["former colleague"]));
    goal["title"] = json!("Reconnect with 3 former colleagues this month");
    goal["target"] = json!(3);
    let saved = h.invoke("add_goal", json!({ "goal": goal })).unwrap();
    let ana = h
        .invoke(
            "add_contact",
            json!({ "contact": { "displayName": "Ana", "tags": ["former colleague"] } }),
        )
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let now = chrono::Utc::now().to_rfc3339();
    h.invoke(
        "log_interaction",
        json!({ "interaction": { "contactIds": [ana], "kind": "call", "occurredAt": now } }),
    )
    .unwrap();
    let views = h.invoke("goal_views", json!({})).unwrap();
    assert_eq!(views[0]["goal"]["id"], saved["id"]);
    assert_eq!(views[0]["progress"]["current"]["count"], 1);
    assert_eq!(views[0]["progress"]["target"], 3);
    let page = h.invoke("contact_page", json!({ "id": ana })).unwrap();
    assert_eq!(
        page["goals"][0]["title"],
        "Reconnect with 3 former colleagues this month"
    );

    let mut bad = saved.clone();
    bad["target"] = json!(0);
    for field in ["id", "createdAt", "updatedAt"] {
        bad.as_object_mut().unwrap().remove(field);
    }
    let err = h
        .invoke("update_goal", json!({ "id": saved["id"], "goal": bad }))
        .unwrap_err();
    assert_eq!(err["field"], "target");
    assert!(h
        .invoke("goal_template", json!({ "kind": "worldDomination" }))
        .is_err());

    // A monthly goal counts from the 1st unless the user picks a date.
    assert!(saved["startDate"].as_str().unwrap().ends_with("-01"));
    let start = h
        .invoke("goal_start", json!({ "period": "monthly" }))
        .unwrap();
    assert_eq!(start, saved["startDate"]);
    let check = h
        .invoke(
            "goal_audience",
            json!({ "audience": { "tags": ["Former colleague", "formr colleague"] } }),
        )
        .unwrap();
    assert_eq!(
        check,
        json!({
            "people": 1,
            "tagsWithNobody": ["formr colleague"],
            "tags": [{ "name": "former colleague", "people": 1 }],
        })
    );
}

#[test]
fn keep_up_choices_offer_connections_without_a_rhythm() {
    let h = Harness::new();
    let ana = h.add_named("Ana");
    let connected = chrono::Utc::now().to_rfc3339();
    h.invoke(
        "log_interaction",
        json!({ "interaction": { "contactIds": [ana], "kind": "connected", "occurredAt": connected } }),
    )
    .unwrap();
    h.add_named("Ben");
    let choices = h.invoke("keep_up_choices", json!({})).unwrap();
    assert_eq!(choices["kept"], 1);
    assert_eq!(choices["notYet"], 1);
    assert_eq!(choices["recent"][0]["id"], ana);
    assert_eq!(choices["companies"], json!([]));
}

#[test]
fn today_lists_who_is_due_and_snooze_hides_them() {
    let h = Harness::new();
    let ana = h.add_named("Ana");
    let long_ago = (chrono::Utc::now() - chrono::Duration::days(120)).to_rfc3339();
    h.invoke(
        "log_interaction",
        json!({ "interaction": { "contactIds": [ana], "kind": "coffee", "occurredAt": long_ago } }),
    )
    .unwrap();
    let today = h.invoke("today", json!({})).unwrap();
    assert_eq!(today[0]["contactId"], ana);
    assert_eq!(today[0]["action"], "askHowTheyAre");
    assert!(today[0]["reasons"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Due 30 days ago"));
    let err = h
        .invoke("snooze_suggestion", json!({ "id": ana, "days": 0 }))
        .unwrap_err();
    assert_eq!(err["field"], "days");
    h.invoke("snooze_suggestion", json!({ "id": ana, "days": 1 }))
        .unwrap();
    assert_eq!(h.invoke("today", json!({})).unwrap(), json!([]));
    h.invoke("unhide_suggestion", json!({ "id": ana })).unwrap();
    assert_eq!(h.invoke("today", json!({})).unwrap()[0]["contactId"], ana);
    // Tauri refuses an id that is not a number before the command runs: a plain string.
    let err = h
        .invoke("unhide_suggestion", json!({ "id": "ana" }))
        .unwrap_err();
    assert!(
        err.as_str()
            .is_some_and(|e| e.contains("invalid args `id`")),
        "{err}"
    );
    let err = h
        .invoke("unhide_suggestion", json!({ "id": 4242 }))
        .unwrap_err();
    assert_eq!(err["kind"], "notFound");
    let err = h
        .invoke("dismiss_suggestion", json!({ "id": 4242 }))
        .unwrap_err();
    assert_eq!(err["kind"], "notFound");
}

#[test]
fn events_over_ipc_from_planning_to_going() {
    let h = Harness::new();
    let ana = h.add_named("Ana");
    let bo = h.add_named("Bo");
    let soon = (chrono::Utc::now() + chrono::Duration::days(3)).date_naive();
    let event = json!({
        "title": "Rust meetup",
        "startDate": soon.to_string(),
        "startTime": "18:30",
        "repeat": { "kind": "everyWeeks", "weeks": 6 },
        "attendeeIds": [ana, bo],
    });
    let saved = h.invoke("add_event", json!({ "event": event })).unwrap();
    let views = h.invoke("event_views", json!({})).unwrap();
    assert_eq!(views[0]["event"]["id"], saved["id"]);
    assert_eq!(views[0]["attendees"][1]["name"], "Bo");
    assert!(views[0]["next"].is_string());

    let went = chrono::Utc::now().to_rfc3339();
    let logged = h
        .invoke(
            "attend_event",
            json!({ "id": saved["id"], "occurredAt": went, "met": [bo] }),
        )
        .unwrap();
    assert_eq!(logged["kind"], "event");
    assert_eq!(logged["notes"], "At Rust meetup");

    // Bad input is refused in words and changes nothing.
    let mut bad = event.clone();
    bad["repeat"] = json!({ "kind": "everyWeeks", "weeks": 0 });
    let err = h.invoke("add_event", json!({ "event": bad })).unwrap_err();
    assert_eq!(err["field"], "repeat");
    let err = h
        .invoke(
            "attend_event",
            json!({ "id": saved["id"], "occurredAt": "yesterday", "met": [ana] }),
        )
        .unwrap_err();
    assert!(err.to_string().contains("occurredAt"), "{err}");
    let page = h.invoke("contact_page", json!({ "id": ana })).unwrap();
    assert_eq!(page["timeline"], json!([]));
    assert_eq!(
        h.invoke("event_views", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    h.invoke("delete_event", json!({ "id": saved["id"] }))
        .unwrap();
    assert_eq!(h.invoke("event_views", json!({})).unwrap(), json!([]));
}

#[test]
fn a_file_is_loaded_previewed_imported_and_undone() {
    let h = Harness::new();
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/core/tests/fixtures/import/linkedin.csv"
    ))
    .unwrap();
    let none = h.invoke(
        "preview_import",
        json!({ "fileName": "Connections.csv", "options": {} }),
    );
    assert_eq!(none.unwrap_err()["field"], "file");

    h.invoke_body("load_import_file", InvokeBody::Raw(bytes))
        .unwrap();
    let preview = h
        .invoke(
            "preview_import",
            json!({ "fileName": "Connections.csv", "mapping": null, "options": { "tag": "LinkedIn" } }),
        )
        .unwrap();
    assert_eq!(preview["plan"]["counts"]["new"], 5);
    assert_eq!(preview["columns"], Value::Null);

    let report = h
        .invoke(
            "confirm_import",
            json!({
                "fileName": "Connections.csv",
                "mapping": null,
                "options": { "tag": "LinkedIn", "circle": "acquaintance" },
                "choices": []
            }),
        )
        .unwrap();
    assert_eq!(report["added"], 5);
    let listed = h.invoke("list_contacts", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 5);
    assert_eq!(listed[0]["circle"], "acquaintance");

    // The file is let go once imported.
    let again = h.invoke(
        "confirm_import",
        json!({ "fileName": "x", "options": {}, "choices": [] }),
    );
    assert_eq!(again.unwrap_err()["field"], "file");

    let imports = h.invoke("list_imports", json!({})).unwrap();
    assert_eq!(imports[0]["fileName"], "Connections.csv");
    let undone = h
        .invoke("undo_import", json!({ "id": imports[0]["id"] }))
        .unwrap();
    assert!(undone["undoneAt"].is_string());
    assert_eq!(h.invoke("list_contacts", json!({})).unwrap(), json!([]));
}

#[test]
fn a_bad_file_or_argument_is_refused_with_its_reason() {
    let h = Harness::new();
    let json_body = h.invoke("load_import_file", json!({ "bytes": [1, 2] }));
    assert_eq!(json_body.unwrap_err()["kind"], "invalid");
    h.invoke_body(
        "load_import_file",
        InvokeBody::Raw(b"\x00\xff junk".to_vec()),
    )
    .unwrap();
    let err = h
        .invoke(
            "preview_import",
            json!({ "fileName": "junk.csv", "options": {} }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "parse");
    assert!(err["message"].as_str().unwrap().contains("not UTF-8"));
    let err = h.invoke("undo_import", json!({ "id": 42 })).unwrap_err();
    assert_eq!(err["kind"], "notFound");
    let err = h
        .invoke(
            "preview_import",
            json!({ "fileName": "x", "options": { "circle": "bestie" } }),
        )
        .unwrap_err();
    assert!(err.is_string() || err["kind"] == "invalid", "{err}");
}

#[test]
fn backups_are_listed_taken_and_restored_by_name_only() {
    let h = Harness::new();
    h.add_named("Priya Raman");
    assert_eq!(h.invoke("list_backups", json!({})).unwrap(), json!([]));
    let taken = h.invoke("back_up_now", json!({})).unwrap();
    assert_eq!(taken["reason"], "manual");
    assert_eq!(taken["contacts"], 1);
    h.add_named("Jonas Berg");
    let listed = h.invoke("list_backups", json!({})).unwrap();
    assert_eq!(listed[0]["fileName"], taken["fileName"]);
    for bad in [
        "../kith.db",
        "/etc/passwd",
        "kith-20990101T000000Z-daily.db",
    ] {
        let err = h
            .invoke("restore_backup", json!({ "fileName": bad }))
            .unwrap_err();
        assert_eq!(err["field"], "backup", "{bad}: {err}");
    }
    let report = h
        .invoke("restore_backup", json!({ "fileName": taken["fileName"] }))
        .unwrap();
    assert_eq!(report["contacts"], 1);
    assert_eq!(report["savedAs"]["contacts"], 2);
    assert_eq!(report["savedAs"]["reason"], "beforeRestore");
    let contacts = h.invoke("list_contacts", json!({})).unwrap();
    assert_eq!(contacts.as_array().unwrap().len(), 1, "{contacts}");
}

#[test]
fn contacts_touches_and_follow_ups_are_corrected_over_ipc() {
    let h = Harness::new();
    let id = h.add_named("Priya");
    let updated = h
        .invoke(
            "update_contact",
            json!({ "id": id, "contact": { "displayName": "Priya Raman", "company": "Acme" } }),
        )
        .unwrap();
    assert_eq!(
        (&updated["displayName"], &updated["company"]),
        (&json!("Priya Raman"), &json!("Acme"))
    );
    let err = h
        .invoke(
            "update_contact",
            json!({ "id": id, "contact": { "displayName": "  " } }),
        )
        .unwrap_err();
    assert_eq!(err["field"], "displayName");
    let err = h
        .invoke(
            "update_contact",
            json!({ "id": 999, "contact": { "displayName": "Nobody" } }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "notFound");
    assert_eq!(
        h.invoke("get_contact", json!({ "id": id })).unwrap()["displayName"],
        "Priya Raman"
    );

    // A touch logged, corrected, then deleted.
    let logged = h
        .invoke(
            "log_interaction",
            json!({ "interaction": { "contactIds": [id], "kind": "call", "occurredAt": "2026-11-20T10:00:00Z" } }),
        )
        .unwrap();
    let fixed = h
        .invoke(
            "update_interaction",
            json!({ "id": logged["id"], "interaction": {
                "contactIds": [id], "kind": "coffee", "occurredAt": "2026-11-19T10:00:00Z",
                "notes": "Flat white at the station"
            }}),
        )
        .unwrap();
    assert_eq!(
        (&fixed["kind"], &fixed["occurredAt"]),
        (&json!("coffee"), &json!("2026-11-19T10:00:00Z"))
    );
    let err = h
        .invoke(
            "update_interaction",
            json!({ "id": logged["id"], "interaction": {
                "contactIds": [], "kind": "coffee", "occurredAt": "2026-11-19T10:00:00Z"
            }}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    let page = h.invoke("contact_page", json!({ "id": id })).unwrap();
    assert_eq!(page["timeline"][0]["notes"], "Flat white at the station");
    h.invoke("delete_interaction", json!({ "id": logged["id"] }))
        .unwrap();
    let page = h.invoke("contact_page", json!({ "id": id })).unwrap();
    assert_eq!(page["timeline"], json!([]));
    let err = h
        .invoke("delete_interaction", json!({ "id": logged["id"] }))
        .unwrap_err();
    assert_eq!(err["kind"], "notFound");

    // Homework done, then reported back: the report is a touch with her.
    let homework = h
        .invoke(
            "add_follow_up",
            json!({ "followUp": { "contactId": id, "title": "Read the book she recommended" } }),
        )
        .unwrap();
    let done = h
        .invoke(
            "set_follow_up_done",
            json!({ "id": homework["id"], "done": true }),
        )
        .unwrap();
    assert!(done["completedAt"].is_string(), "{done}");
    let told = h
        .invoke("report_back", json!({ "id": homework["id"] }))
        .unwrap();
    assert_eq!(told["contactIds"], json!([id]));
    let err = h
        .invoke("set_follow_up_done", json!({ "id": 999, "done": true }))
        .unwrap_err();
    assert_eq!(err["kind"], "notFound");
    let err = h
        .invoke(
            "set_follow_up_done",
            json!({ "id": homework["id"], "done": "yes" }),
        )
        .unwrap_err();
    assert!(err.to_string().contains("done"), "{err}");
}

#[test]
fn repeat_choices_come_in_words_and_a_bad_date_is_refused() {
    let h = Harness::new();
    let choices = h
        .invoke(
            "repeat_choices",
            json!({ "startDate": "2030-12-02", "every": 3 }),
        )
        .unwrap();
    let words: Vec<&str> = choices
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["words"].as_str().unwrap())
        .collect();
    assert_eq!(
        words,
        [
            "once",
            "every 3 days",
            "every 3 weeks on Monday",
            "every first Monday",
            "every year on 2 December"
        ]
    );
    assert_eq!(
        choices[2]["repeat"],
        json!({ "kind": "everyWeeks", "weeks": 3 })
    );
    assert!(h
        .invoke(
            "repeat_choices",
            json!({ "startDate": "2030-02-30", "every": 1 })
        )
        .is_err());
}

#[test]
fn reminders_events_goals_and_preferences_are_changed_over_ipc() {
    let h = Harness::new();
    let id = h.add_named("Priya");
    let prefs = h.invoke("get_preferences", json!({})).unwrap();
    assert!(
        prefs["timeZone"].is_string() && prefs["nudgeTime"].is_string(),
        "{prefs}"
    );

    let next_year = (chrono::Utc::now() + chrono::Duration::days(365)).date_naive();
    let reminder = h
        .invoke(
            "add_reminder",
            json!({ "reminder": {
                "contactId": id, "title": "Call Priya", "date": next_year.to_string(),
                "time": "10:00", "repeat": { "kind": "monthlyOnWeekday" }
            }}),
        )
        .unwrap();
    assert!(
        reminder["repeats"].as_str().unwrap().starts_with("every "),
        "{reminder}"
    );
    let err = h
        .invoke(
            "add_reminder",
            json!({ "reminder": { "title": "Call", "date": next_year.to_string(), "time": "25:00" } }),
        )
        .unwrap_err();
    assert_eq!(err["field"], "time");
    let listed = h.invoke("list_reminders", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["id"], reminder["id"]);
    h.invoke("delete_reminder", json!({ "id": reminder["id"] }))
        .unwrap();
    assert_eq!(h.invoke("list_reminders", json!({})).unwrap(), json!([]));
    assert_eq!(
        h.invoke("delete_reminder", json!({ "id": reminder["id"] }))
            .unwrap_err()["kind"],
        "notFound"
    );
    assert!(h
        .invoke("recent_occurrences", json!({}))
        .unwrap()
        .is_array());

    let soon = (chrono::Utc::now() + chrono::Duration::days(3)).date_naive();
    let mut event = json!({
        "title": "Rust meetup",
        "startDate": soon.to_string(),
        "startTime": "18:30",
        "repeat": { "kind": "never" },
        "attendeeIds": [id],
    });
    let saved = h.invoke("add_event", json!({ "event": event })).unwrap();
    event["title"] = json!("Rust meetup, December");
    let changed = h
        .invoke("update_event", json!({ "id": saved["id"], "event": event }))
        .unwrap();
    assert_eq!(changed["title"], "Rust meetup, December");
    event["startTime"] = json!("late");
    let err = h
        .invoke("update_event", json!({ "id": saved["id"], "event": event }))
        .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(
        h.invoke("event_views", json!({})).unwrap()[0]["event"]["title"],
        "Rust meetup, December"
    );

    let goal = h
        .invoke("goal_template", json!({ "kind": "reconnectColleagues" }))
        .unwrap();
    let goal = h.invoke("add_goal", json!({ "goal": goal })).unwrap();
    h.invoke("delete_goal", json!({ "id": goal["id"] }))
        .unwrap();
    assert_eq!(h.invoke("goal_views", json!({})).unwrap(), json!([]));
    assert_eq!(
        h.invoke("delete_goal", json!({ "id": goal["id"] }))
            .unwrap_err()["kind"],
        "notFound"
    );
}

#[test]
fn the_network_picture_counts_this_weeks_touches_people_by_circle_and_who_is_due() {
    let h = Harness::new();
    let ana = h.add_named("Ana");
    let bo = h.add_named("Bo");
    let now = chrono::Utc::now().to_rfc3339();
    let long_ago = (chrono::Utc::now() - chrono::Duration::days(120)).to_rfc3339();
    for (who, kind, at) in [(ana, "call", &now), (bo, "coffee", &long_ago)] {
        h.invoke(
            "log_interaction",
            json!({ "interaction": { "contactIds": [who], "kind": kind, "occurredAt": at } }),
        )
        .unwrap();
    }
    let picture = h.invoke("network_picture", json!({})).unwrap();
    let weeks = picture["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 26);
    assert_eq!(weeks[25]["calls"], 1, "{picture}");
    // The coffee 120 days ago is within the 26 weeks, and counted in person.
    let in_person: u64 = weeks.iter().map(|w| w["inPerson"].as_u64().unwrap()).sum();
    assert_eq!(in_person, 1);
    assert_eq!(
        picture["circles"][2],
        json!({ "circle": "network", "count": 2 })
    );
    // Bo: 120 days since, past the 90-day rhythm but not yet 1.5 times it.
    assert_eq!(
        picture["due"],
        json!({ "upcoming": 1, "due": 1, "overdue": 0, "noRhythm": 0 })
    );
    // Ana's page shows her year: 52 weeks, this one touched.
    let page = h.invoke("contact_page", json!({ "id": ana })).unwrap();
    let year = page["year"].as_array().unwrap();
    assert_eq!(year.len(), 52);
    assert_eq!(year[51]["touches"], 1);
}

mod bulk;
mod contract;
mod desktop;
mod history;
mod merges;
mod nudges;
mod sync;
