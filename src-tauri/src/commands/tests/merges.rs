//! People entered twice over IPC: the likely pairs, a merge's preview, the merge with a
//! field taken from the other, its undo, and "two people".

use serde_json::json;

use super::Harness;

#[test]
fn a_pair_is_found_previewed_merged_undone_and_said_to_be_two_people() {
    let h = Harness::new();
    let keep = h
        .invoke(
            "add_contact",
            json!({ "contact": { "displayName": "Priya Raman", "company": "Acme",
                                 "emails": [{ "label": "", "value": "priya@acme.example" }] } }),
        )
        .unwrap()["id"]
        .clone();
    let other = h
        .invoke(
            "add_contact",
            json!({ "contact": { "displayName": "Priya R.", "company": "Globex",
                                 "emails": [{ "label": "", "value": "PRIYA@acme.example" }] } }),
        )
        .unwrap()["id"]
        .clone();
    let found = h.invoke("find_duplicates", json!({})).unwrap();
    assert_eq!(found["pairs"][0]["keep"]["id"], keep);
    assert_eq!(found["pairs"][0]["other"]["id"], other);
    assert_eq!(found["pairs"][0]["by"], "email");
    assert_eq!(found["more"], 0);

    let preview = h
        .invoke("merge_preview", json!({ "keep": keep, "other": other }))
        .unwrap();
    assert_eq!(preview["conflicts"][0]["field"], "displayName");
    assert_eq!(preview["conflicts"][1]["field"], "company");
    assert_eq!(preview["moves"]["touches"], 0);

    let merged = h
        .invoke(
            "merge_contacts",
            json!({ "keep": keep, "other": other, "take": ["company"] }),
        )
        .unwrap();
    assert_eq!(merged["kept"]["company"], "Globex");
    assert_eq!(merged["otherName"], "Priya R.");
    assert_eq!(merged["otherId"], other);
    assert_eq!(
        h.invoke("list_contacts", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let listed = h.invoke("list_merges", json!({})).unwrap();
    assert_eq!(listed[0]["id"], merged["mergeId"]);
    assert_eq!(listed[0]["otherName"], "Priya R.");
    assert_eq!(listed[0]["canUndo"], true);
    let back = h
        .invoke("undo_merge", json!({ "id": merged["mergeId"] }))
        .unwrap();
    assert_eq!(back["id"], other);
    assert_eq!(back["company"], "Globex");
    let err = h
        .invoke("undo_merge", json!({ "id": merged["mergeId"] }))
        .unwrap_err();
    assert_eq!(err["kind"], "conflict");

    h.invoke("not_duplicates", json!({ "a": other, "b": keep }))
        .unwrap();
    let found = h.invoke("find_duplicates", json!({})).unwrap();
    assert_eq!(found["pairs"], json!([]));
}

#[test]
fn bad_merge_arguments_are_refused_with_their_reason() {
    let h = Harness::new();
    let ana = h.add_named("Ana Lima");
    let err = h
        .invoke(
            "merge_contacts",
            json!({ "keep": ana, "other": ana, "take": [] }),
        )
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["field"].as_str()),
        (Some("invalid"), Some("other"))
    );
    let err = h
        .invoke("merge_preview", json!({ "keep": ana, "other": 404 }))
        .unwrap_err();
    assert_eq!(err["kind"], "notFound");
    // A field that is no field never reaches the store.
    let other = h.add_named("Ana Lima");
    let err = h
        .invoke(
            "merge_contacts",
            json!({ "keep": ana, "other": other, "take": ["salary"] }),
        )
        .unwrap_err();
    assert!(err.to_string().contains("salary"), "{err}");
    assert_eq!(
        h.invoke("list_contacts", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let err = h.invoke("undo_merge", json!({ "id": 9 })).unwrap_err();
    assert_eq!(err["kind"], "notFound");
}
