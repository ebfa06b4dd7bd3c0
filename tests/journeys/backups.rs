//! Journey: Settings → Backups — take a backup, let the network change behind the window's
//! back (another process adds someone), restore the backup, and see the window come back
//! with the network as it was.

use kith_e2e::{ensure, testid, Bus, BusChoice, TestEnv, TestResult};

#[tokio::test]
async fn a_backup_is_taken_and_restored_from_settings_and_the_window_shows_it() -> TestResult {
    use kith_core::testing::person;

    let env = TestEnv::new("backups")?;
    let add = |name: &str| -> TestResult {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        person(name).add(&mut store, chrono::Utc::now())?;
        Ok(())
    };
    add("Priya Raman")?;
    add("Jonas Berg")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        app.go_to("settings").await?;
        app.click(testid("back-up-now")).await?;
        app.wait_for_texts(testid("backup-status"), &["Backed up 2 contacts."])
            .await?;
        let rows = app.texts(testid("backup-row")).await?;
        ensure!(
            rows.first()
                .is_some_and(|r| r.contains("Taken by you · 2 contacts")),
            "backups listed: {rows:?}"
        );
        app.screenshot("taken").await?;

        // Someone joins from the command line; the window sees three.
        add("Late Addition")?;
        app.go_to("contacts").await?;
        app.wait_for_texts(
            testid("contact-name"),
            &["Jonas Berg", "Late Addition", "Priya Raman"],
        )
        .await?;

        // Restore: the button asks once more, then the window reloads on the restored network.
        app.go_to("settings").await?;
        app.click(testid("backup-row-restore")).await?;
        let asked = app.text(testid("backup-row-restore")).await?;
        ensure!(
            asked.contains("click again"),
            "restore button says {asked:?}"
        );
        // A mark on this page tells the reload apart: the page after it has none.
        app.driver()
            .execute("window.kithBeforeRestore = true;", Vec::new())
            .await?;
        app.click(testid("backup-row-restore")).await?;
        // The window reloads (Kith opens on Today again); the list holds the two again.
        let end = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let marked = app
                .driver()
                .execute("return window.kithBeforeRestore === true;", Vec::new())
                .await
                .ok()
                .and_then(|r| r.json().as_bool());
            if marked == Some(false) {
                break;
            }
            ensure!(
                std::time::Instant::now() < end,
                "the window never reloaded after the restore"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        app.wait_for(testid("nav-contacts")).await?;
        app.screenshot("restored").await?;
        app.go_to("contacts").await?;
        app.wait_for_texts(testid("contact-name"), &["Jonas Berg", "Priya Raman"])
            .await?;
        let store = kith_core::Store::open_in(env.data_dir())?;
        let kept = store.backups()?;
        ensure!(
            kept.iter()
                .any(|b| b.reason == kith_core::backup::BackupReason::Daily),
            "the app took the day's backup when it started: {kept:?}"
        );
        ensure!(
            kept.iter().any(
                |b| b.reason == kith_core::backup::BackupReason::BeforeRestore
                    && b.contacts == Some(3)
            ),
            "the network before the restore is kept: {kept:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
