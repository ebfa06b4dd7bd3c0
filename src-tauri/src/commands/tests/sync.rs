//! Sync over IPC: where it stands, and bad input refused in words before any request.

use serde_json::{json, Value};

use super::Harness;

#[test]
fn sync_commands_say_where_sync_stands_and_refuse_bad_input_in_words() {
    let h = Harness::new();
    let status = h.invoke("sync_status", json!({})).unwrap();
    assert_eq!(status["account"], Value::Null, "{status}");
    assert_eq!(status["conflicts"], 0);
    // Not connected: a round is refused in words.
    let err = h.invoke("sync_now", json!({})).unwrap_err();
    assert_eq!(err["kind"], "conflict", "{err}");
    assert!(err["message"].as_str().unwrap().contains("not connected"));
    // Not a server address: refused beside the address field, before any request.
    for cmd in ["sync_books", "sync_preview", "sync_connect"] {
        let err = h
            .invoke(
                cmd,
                json!({ "url": "dav.example.org", "user": "priya", "password": "x",
                        "addressBook": null }),
            )
            .unwrap_err();
        assert_eq!(
            (err["kind"].as_str(), err["field"].as_str()),
            (Some("invalid"), Some("url")),
            "{cmd}: {err}"
        );
    }
    // Nobody listens on port 1: the network fails in words.
    let err = h
        .invoke(
            "sync_books",
            json!({ "url": "http://127.0.0.1:1/", "user": "priya", "password": "x" }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "network", "{err}");
    let status = h.invoke("sync_disconnect", json!({})).unwrap();
    assert_eq!(status["account"], Value::Null);
    // The conflict log is empty, and settling an entry that is not there says so.
    assert_eq!(h.invoke("sync_conflicts", json!({})).unwrap(), json!([]));
    let err = h
        .invoke("settle_sync_conflict", json!({ "id": 7, "restore": true }))
        .unwrap_err();
    assert_eq!(err["kind"], "notFound", "{err}");
}
