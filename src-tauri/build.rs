fn main() {
    // App commands are denied unless a capability allows them (capabilities/main.json).
    let manifest = tauri_build::AppManifest::new().commands(&[
        "list_contacts",
        "add_contact",
        "get_contact",
        "send_test_nudge",
        "act_on_nudge",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
