//! A deleted touch undone over IPC: the same touch back, its follow-up linked again.

use serde_json::{json, Value};

use super::Harness;

#[test]
fn a_deleted_touch_is_undone_with_its_id_and_its_follow_up() {
    let h = Harness::new();
    let id = h.add_named("Priya Raman");
    let logged = h
        .invoke(
            "log_interaction",
            json!({ "interaction": { "contactIds": [id], "kind": "coffee",
                    "occurredAt": "2026-11-20T10:00:00Z", "direction": "outbound",
                    "notes": "She is moving to Lisbon" } }),
        )
        .unwrap();
    let follow_up = h
        .invoke(
            "add_follow_up",
            json!({ "followUp": { "contactId": id, "interactionId": logged["id"],
                    "title": "Send her the flat listings" } }),
        )
        .unwrap();
    let page = h.invoke("contact_page", json!({ "id": id })).unwrap();

    let deleted = h
        .invoke("delete_interaction", json!({ "id": logged["id"] }))
        .unwrap();
    assert_eq!(deleted["interaction"], logged);
    assert_eq!(deleted["followUpIds"], json!([follow_up["id"]]));
    let gone = h.invoke("contact_page", json!({ "id": id })).unwrap();
    assert_eq!(gone["timeline"], json!([]));
    assert_eq!(gone["followUps"][0]["interactionId"], Value::Null);

    let back = h
        .invoke("restore_interaction", json!({ "deleted": deleted }))
        .unwrap();
    assert_eq!(back, logged);
    let again = h.invoke("contact_page", json!({ "id": id })).unwrap();
    assert_eq!(again["timeline"], page["timeline"]);
    assert_eq!(again["followUps"], page["followUps"]);
    assert_eq!(
        again["contact"]["lastTouchAt"],
        page["contact"]["lastTouchAt"]
    );

    // Someone archived since: refused beside the people, nothing restored.
    let deleted = h
        .invoke("delete_interaction", json!({ "id": logged["id"] }))
        .unwrap();
    h.invoke("archive_contact", json!({ "id": id })).unwrap();
    let err = h
        .invoke("restore_interaction", json!({ "deleted": deleted }))
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["field"].as_str()),
        (Some("invalid"), Some("contactIds")),
        "{err}"
    );
}
