//! Journey: import LinkedIn's Connections.csv through the window — choose the file, see the
//! preview, confirm — then find the people and their "connected" history.

use kith_e2e::{ensure, testid, Bus, BusChoice, TestEnv, TestResult};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../src-tauri/core/tests/fixtures/import/linkedin.csv"
);

#[tokio::test]
async fn a_linkedin_export_is_previewed_imported_and_shows_when_each_connection_was_made(
) -> TestResult {
    let env = TestEnv::new("import-linkedin")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let outcome = async {
        app.click(testid("import-open")).await?;
        let input = app.wait_for(testid("import-file")).await?;
        let path = std::fs::canonicalize(FILE)?;
        input.send_keys(path.to_string_lossy().as_ref()).await?;

        // The preview: five new people, the private member skipped with its reason.
        app.wait_for_texts(testid("import-count-new"), &["5 new"])
            .await?;
        app.wait_for_texts(testid("import-count-skipped"), &["1 skipped"])
            .await?;
        let format = app.text(testid("import-format")).await?;
        ensure!(format == "LinkedIn connections", "format shown: {format}");
        let skipped = app.text(testid("import-skipped")).await?;
        ensure!(
            skipped.contains("does not share this member's name"),
            "skipped shows {skipped:?}"
        );
        let names = app.texts(testid("import-new-name")).await?;
        ensure!(
            names.first().map(String::as_str) == Some("Priya Raman") && names.len() == 5,
            "new people shown: {names:?}"
        );
        app.fill_testid("import-tag", "LinkedIn").await?;
        app.screenshot("preview").await?;

        app.click(testid("import-confirm")).await?;
        let report = app.text(testid("import-report")).await?;
        ensure!(report.starts_with("5 added"), "report: {report:?}");
        app.screenshot("report").await?;
        app.click(testid("import-close")).await?;

        app.wait_for_texts(
            testid("contact-name"),
            &[
                "Jonas Berg",
                "Kenji Watanabe",
                "Marcus",
                "Priya Raman",
                "Zoë Ångström",
            ],
        )
        .await?;
        app.open_contact("Priya Raman").await?;
        app.wait_for_texts(testid("timeline-kind"), &["Connected"])
            .await?;
        app.screenshot("connected").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await?;

    let store = kith_core::Store::open_in(env.data_dir())?;
    let contacts = store.list_contacts(chrono::Utc::now())?;
    ensure!(contacts.len() == 5, "{} contacts stored", contacts.len());
    let imports = store.list_imports()?;
    ensure!(
        imports.len() == 1 && imports[0].tag.as_deref() == Some("LinkedIn"),
        "imports: {imports:?}"
    );
    Ok(())
}
