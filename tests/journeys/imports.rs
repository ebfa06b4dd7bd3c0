//! Journey: import LinkedIn's Connections.csv through the window — choose the file, see the
//! preview, confirm — then find the people and their "connected" history.

use kith_e2e::{ensure, testid, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::By;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../src-tauri/core/tests/fixtures/import/"
);

/// Opens the import dialog and chooses `name` from the fixtures.
async fn choose(app: &kith_e2e::App, name: &str) -> TestResult {
    app.click(testid("import-open")).await?;
    let input = app.wait_for(testid("import-file")).await?;
    let path = std::fs::canonicalize(format!("{FIXTURES}{name}"))?;
    input.send_keys(path.to_string_lossy().as_ref()).await?;
    Ok(())
}

#[tokio::test]
async fn a_linkedin_export_is_previewed_imported_and_shows_when_each_connection_was_made(
) -> TestResult {
    let env = TestEnv::new("import-linkedin")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let outcome = async {
        choose(&app, "linkedin.csv").await?;

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

        // Connections alone are not a debt, so Today would have nothing to ask: the end of
        // the import offers the first step — give a few of them a rhythm, one click each.
        app.click(testid("import-keep-up")).await?;
        app.wait_for(testid("keep-up")).await?;
        let offered = app
            .texts(By::Css("[data-testid=keep-up-person] .name"))
            .await?;
        // Newest connection first; Kenji's row has no readable date, so no connection
        // was recorded and his circle's rhythm applies already.
        ensure!(
            offered == ["Priya Raman", "Zoë Ångström", "Marcus", "Jonas Berg"],
            "offered: {offered:?}"
        );
        app.click(testid("keep-up-button")).await?;
        app.wait_for_texts(testid("keep-up-kept"), &["✓ Every 3 months"])
            .await?;
        app.screenshot("keep-up").await?;
        app.go_to("contacts").await?;

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

        // The Apple export knows Priya (same LinkedIn profile) and Jonas (same name): they are
        // offered for merge, field by field; take Priya's company from the file.
        choose(&app, "apple.vcf").await?;
        app.wait_for_texts(
            testid("import-count-duplicates"),
            &["2 already in Kith, with something new"],
        )
        .await?;
        app.click(testid("import-take-company")).await?;
        app.screenshot("duplicates").await?;
        app.click(testid("import-confirm")).await?;
        let report = app.text(testid("import-report")).await?;
        ensure!(
            report.starts_with("0 added, 2 updated"),
            "report: {report:?}"
        );
        app.click(testid("import-close")).await?;

        // Settings lists both imports, newest first; undo the Apple one (a second click
        // confirms): Priya and Jonas are as the LinkedIn import left them.
        app.go_to("settings").await?;
        app.wait_for(testid("import-row")).await?;
        let rows = app.texts(testid("import-row")).await?;
        ensure!(
            rows.len() == 2 && rows[0].starts_with("apple.vcf"),
            "imports listed: {rows:?}"
        );
        app.click(testid("import-row-undo")).await?;
        app.click(testid("import-row-undo")).await?;
        app.wait_for_texts(testid("import-row-undo"), &["Undo"])
            .await?;
        app.screenshot("undone").await?;
        Ok(offered[0].clone())
    }
    .await;
    let kept = outcome.as_ref().map(String::clone).unwrap_or_default();
    app.finish(outcome.map(|_| ())).await?;

    let store = kith_core::Store::open_in(env.data_dir())?;
    let contacts = store.list_contacts(chrono::Utc::now())?;
    ensure!(contacts.len() == 5, "{} contacts stored", contacts.len());
    let priya = contacts
        .iter()
        .find(|c| c.display_name == "Priya Raman")
        .ok_or("no Priya")?;
    let priya = store.get_contact(priya.id)?;
    ensure!(
        priya.company.as_deref() == Some("Acme, Inc."),
        "Priya's company after the undo: {:?}",
        priya.company
    );
    ensure!(
        priya.emails.len() == 1,
        "Priya's emails: {:?}",
        priya.emails
    );
    let kept = contacts
        .iter()
        .find(|c| c.display_name == kept)
        .ok_or("the person kept up with is gone")?;
    let kept = store.get_contact(kept.id)?;
    ensure!(
        kept.cadence_days == Some(90),
        "{} keeps a rhythm of {:?}",
        kept.display_name,
        kept.cadence_days
    );
    let imports = store.list_imports()?;
    ensure!(
        imports.len() == 2
            && imports[0].undone_at.is_some()
            && imports[1].undone_at.is_none()
            && imports[1].tag.as_deref() == Some("LinkedIn"),
        "imports: {imports:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_csv_whose_header_names_nothing_is_imported_after_mapping_its_columns() -> TestResult {
    let env = TestEnv::new("import-mapped-csv")?;
    let file = env.home().join("export.csv");
    std::fs::write(
        &file,
        "col1,col2,col3\nAna Lima,ana@example.br,Hooli\nBo Berg,,Initech\n",
    )?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let outcome = async {
        app.click(testid("import-open")).await?;
        let input = app.wait_for(testid("import-file")).await?;
        input.send_keys(file.to_string_lossy().as_ref()).await?;
        app.wait_for(testid("import-mapping-needed")).await?;
        app.wait_for_texts(testid("import-count-new"), &["0 new"])
            .await?;
        // Say what the first and third columns hold, as a user picks from each list.
        for (column, field) in [(0, "name"), (2, "company")] {
            app.driver()
                .execute(
                    "const s = document.querySelectorAll('[data-testid=import-column]')[arguments[0]];
                     s.value = arguments[1];
                     s.dispatchEvent(new Event('change', { bubbles: true }));",
                    vec![column.into(), field.into()],
                )
                .await?;
        }
        app.wait_for_texts(testid("import-count-new"), &["2 new"])
            .await?;
        app.wait_for_texts(testid("import-new-name"), &["Ana Lima", "Bo Berg"])
            .await?;
        app.screenshot("mapped").await?;
        app.click(testid("import-confirm")).await?;
        let report = app.text(testid("import-report")).await?;
        ensure!(report.starts_with("2 added"), "report: {report:?}");
        Ok(())
    }
    .await;
    app.finish(outcome).await?;

    let store = kith_core::Store::open_in(env.data_dir())?;
    let bo = store
        .list_contacts(chrono::Utc::now())?
        .into_iter()
        .find(|c| c.display_name == "Bo Berg")
        .ok_or("Bo Berg was not imported")?;
    ensure!(bo.company.as_deref() == Some("Initech"), "Bo: {bo:?}");
    Ok(())
}
