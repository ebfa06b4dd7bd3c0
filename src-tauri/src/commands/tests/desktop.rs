//! The desktop over IPC: starting at login, links handed to the desktop's apps (web, mail
//! and phone only), and why there is no tray.

use serde_json::{json, Value};

use super::Harness;

#[test]
fn start_at_login_is_read_and_a_wrong_answer_is_refused() {
    let h = Harness::new();
    // Reading looks at the user's autostart folder and changes nothing.
    match h.invoke("get_start_at_login", json!({})) {
        Ok(on) => assert!(on.is_boolean(), "{on}"),
        Err(err) => assert!(err["message"].is_string(), "{err}"),
    }
    let err = h
        .invoke("set_start_at_login", json!({ "enabled": "sometimes" }))
        .unwrap_err();
    assert!(err.to_string().contains("enabled"), "{err}");
}

#[test]
fn only_web_mail_and_phone_links_are_handed_to_the_desktop() {
    let h = Harness::new();
    // Refused in words beside the link, before anything opens.
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "priya.dev",
        "",
    ] {
        let err = h.invoke("open_link", json!({ "url": url })).unwrap_err();
        assert_eq!(
            (err["kind"].as_str(), err["field"].as_str()),
            (Some("invalid"), Some("url")),
            "{url}: {err}"
        );
    }
    // Allowed ones reach the opener, which this test app does not have: said so.
    for url in [
        "https://priya.dev/",
        "mailto:priya@acme.example",
        "tel:+44 20 7946 0018",
    ] {
        let err = h.invoke("open_link", json!({ "url": url })).unwrap_err();
        assert_eq!(err["kind"], "conflict", "{url}: {err}");
        assert!(err["message"].as_str().unwrap().contains("not available"));
    }
    // A call without the argument is refused by the IPC layer.
    assert!(h.invoke("open_link", json!({})).is_err());
}

#[test]
fn the_tray_status_is_null_while_there_is_a_tray_and_says_why_when_there_is_none() {
    let h = Harness::new();
    // This test app never asked for a tray, so none failed.
    assert_eq!(h.invoke("tray_status", json!({})).unwrap(), Value::Null);
    // No session bus, or one where nothing shows tray icons: said in words.
    let nowhere = zbus::blocking::connection::Builder::address("unix:path=/nonexistent/bus")
        .and_then(|b| b.build());
    assert_eq!(
        crate::tray::host_registered(nowhere).unwrap_err(),
        "nothing on this desktop shows tray icons"
    );
}
