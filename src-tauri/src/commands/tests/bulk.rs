//! Several people changed at once over IPC: a circle set on three, the report the UI keeps
//! for Undo, the undo that names who changed since, and bad edits refused by field.

use serde_json::json;

use super::Harness;

#[test]
fn a_circle_is_set_on_several_people_and_undone_except_for_one_changed_since() {
    let h = Harness::new();
    let ana = h.add_named("Ana Lima");
    let ben = h.add_named("Ben Okafor");
    let chen = h.add_named("Chen Wei");

    let report = h
        .invoke(
            "bulk_edit_contacts",
            json!({ "ids": [ana, ben, chen], "edit": { "field": "circle", "value": "close" } }),
        )
        .unwrap();
    assert_eq!(
        report["edit"],
        json!({ "field": "circle", "value": "close" })
    );
    assert_eq!(report["chosen"], 3);
    assert_eq!(report["changed"][0]["id"], ana);
    assert_eq!(report["changed"][0]["displayName"], "Ana Lima");
    assert_eq!(
        report["changed"][0]["before"],
        json!({ "field": "circle", "value": "network" })
    );
    assert_eq!(
        h.invoke("get_contact", json!({ "id": ben })).unwrap()["circle"],
        "close"
    );

    // Ben's circle is changed on his page since: his stays, the others go back.
    h.invoke(
        "update_contact",
        json!({ "id": ben, "contact": { "displayName": "Ben Okafor", "circle": "inner" } }),
    )
    .unwrap();
    let undone = h
        .invoke("undo_bulk_edit", json!({ "report": report }))
        .unwrap();
    assert_eq!(undone, json!({ "restored": 2, "kept": ["Ben Okafor"] }));
    for (id, circle) in [(ana, "network"), (ben, "inner"), (chen, "network")] {
        assert_eq!(
            h.invoke("get_contact", json!({ "id": id })).unwrap()["circle"],
            circle
        );
    }

    // A rhythm and a tag travel the same way.
    let rhythm = h
        .invoke(
            "bulk_edit_contacts",
            json!({ "ids": [ana], "edit": { "field": "cadence", "value": 30 } }),
        )
        .unwrap();
    assert_eq!(
        rhythm["changed"][0]["before"],
        json!({ "field": "cadence", "value": null })
    );
    let tag = h
        .invoke(
            "bulk_edit_contacts",
            json!({ "ids": [ana, chen], "edit": { "field": "tag", "value": "Kept up with" } }),
        )
        .unwrap();
    assert_eq!(
        tag["changed"][1]["before"],
        json!({ "field": "untag", "value": "Kept up with" })
    );
    assert_eq!(
        h.invoke("get_contact", json!({ "id": chen })).unwrap()["tags"],
        json!(["Kept up with"])
    );
}

#[test]
fn bad_bulk_edits_are_refused_with_their_field_and_change_nobody() {
    let h = Harness::new();
    let ana = h.add_named("Ana Lima");
    let err = h
        .invoke(
            "bulk_edit_contacts",
            json!({ "ids": [ana], "edit": { "field": "cadence", "value": 0 } }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(err["field"], "cadenceDays");
    let err = h
        .invoke(
            "bulk_edit_contacts",
            json!({ "ids": [], "edit": { "field": "circle", "value": "close" } }),
        )
        .unwrap_err();
    assert_eq!(
        err,
        json!({ "kind": "invalid", "message": "Choose at least one person.", "field": "ids" })
    );
    let err = h
        .invoke(
            "bulk_edit_contacts",
            json!({ "ids": [ana, 4242], "edit": { "field": "circle", "value": "close" } }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "notFound");
    // An edit of a field no bulk edit sets is not even read.
    assert!(h
        .invoke(
            "bulk_edit_contacts",
            json!({ "ids": [ana], "edit": { "field": "birthday", "value": "today" } }),
        )
        .is_err());
    assert_eq!(
        h.invoke("get_contact", json!({ "id": ana })).unwrap()["circle"],
        "network"
    );
}
