fn main() {
    // App commands are denied unless a capability allows them (capabilities/main.json).
    let manifest = tauri_build::AppManifest::new().commands(&[
        "list_contacts",
        "list_archived",
        "search_contacts",
        "add_contact",
        "update_contact",
        "get_contact",
        "contact_page",
        "archive_contact",
        "restore_contact",
        "purge_contact",
        "log_interaction",
        "update_interaction",
        "delete_interaction",
        "add_follow_up",
        "set_follow_up_done",
        "report_back",
        "get_circle_cadences",
        "set_circle_cadences",
        "get_preferences",
        "set_preferences",
        "goal_views",
        "goal_template",
        "add_goal",
        "update_goal",
        "delete_goal",
        "today",
        "snooze_suggestion",
        "dismiss_suggestion",
        "send_test_nudge",
        "act_on_nudge",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
