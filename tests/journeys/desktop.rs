//! Desktop citizenship: closing the window leaves Kith in the tray, where a reminder still
//! reaches the desktop; launching Kith again brings the window back instead of starting a
//! second Kith.

use std::time::Duration;

use chrono::{Duration as Span, DurationRound, TimeDelta, Utc};
use kith_core::model::ContactInput;
use kith_core::store::{Preferences, ReminderInput};
use kith_e2e::{ensure, testid, Bus, BusChoice, NotificationServer, TestEnv, TestResult, TrayHost};

#[tokio::test]
async fn with_the_window_closed_nudges_still_come_and_a_second_launch_reopens_it() -> TestResult {
    let env = TestEnv::new("tray")?;
    let due = {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        let now = Utc::now();
        let prefs = store.preferences()?;
        store.set_preferences(Preferences {
            nudge_time: (now + Span::hours(12)).format("%H:%M").to_string(),
            quiet_from: None,
            quiet_to: None,
            ..prefs
        })?;
        let priya = store
            .add_contact(
                ContactInput {
                    display_name: "Priya Raman".into(),
                    ..ContactInput::default()
                },
                now - Span::days(10),
            )?
            .id;
        // Due at the next whole minute that leaves time to close the window.
        let soon = now + Span::seconds(30);
        let due =
            soon.duration_trunc(TimeDelta::minutes(1)).unwrap_or(soon) + TimeDelta::minutes(1);
        store.add_reminder(
            ReminderInput {
                contact_id: Some(priya),
                title: "Call Priya".into(),
                date: due.date_naive(),
                time: due.format("%H:%M").to_string(),
                repeat: kith_core::repeat::Repeat::Never,
            },
            now,
        )?;
        due
    };
    let bus = Bus::start()?;
    let server = NotificationServer::start(&bus)?;
    // The desktop's panel, which shows tray icons.
    let panel = TrayHost::start(&bus)?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome: TestResult = async {
        let open = env.wait_for_windows("Kith", true).await?;
        for _ in 0..50 {
            if !panel.items().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ensure!(!panel.items().is_empty(), "Kith's icon is in the tray");
        app.close_window().await?;
        env.wait_for_windows("Kith", false).await?;

        // Still running: the reminder reaches the desktop on time.
        let wait = (due - Utc::now()).to_std().unwrap_or_default() + Duration::from_secs(20);
        let shown = server.wait_for(1, wait)?;
        ensure!(
            shown[0].summary == "Call Priya",
            "summary {:?}",
            shown[0].summary
        );

        // A second launch hands over to the first and ends; the window comes back.
        let status = env.launch_again(&bus)?;
        ensure!(status.success(), "the second launch ended with {status}");
        let again = env.wait_for_windows("Kith", true).await?;
        ensure!(
            again == open,
            "{again} Kith windows now, {open} before: one Kith, one window"
        );
        Ok(())
    }
    .await;
    let ended = app.quit().await;
    if outcome.is_err() {
        for entry in std::fs::read_dir(env.data_dir().join("logs"))?.flatten() {
            eprintln!(
                "{}",
                std::fs::read_to_string(entry.path()).unwrap_or_default()
            );
        }
    }
    outcome?;
    // The session may have gone with the window it drove; that is not a failure here.
    if let Err(e) = ended {
        eprintln!("[tray] ending the session: {e}");
    }
    Ok(())
}

#[tokio::test]
async fn start_at_login_writes_and_removes_an_autostart_entry_that_starts_in_the_tray() -> TestResult
{
    let env = TestEnv::new("autostart")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let entry = env.home().join(".config/autostart/Kith.desktop");
    let outcome: TestResult = async {
        app.go_to("settings").await?;
        app.click(kith_e2e::testid("start-at-login")).await?;
        let end = std::time::Instant::now() + Duration::from_secs(10);
        while !entry.exists() {
            ensure!(
                std::time::Instant::now() < end,
                "no autostart entry at {entry:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let text = std::fs::read_to_string(&entry)?;
        ensure!(
            text.contains("--tray"),
            "the entry does not start in the tray:\n{text}"
        );
        app.click(kith_e2e::testid("start-at-login")).await?;
        let end = std::time::Instant::now() + Duration::from_secs(10);
        while entry.exists() {
            ensure!(
                std::time::Instant::now() < end,
                "the autostart entry stayed"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn without_a_tray_closing_the_window_minimises_it_and_settings_says_why() -> TestResult {
    let env = TestEnv::new("no-tray")?;
    // A session with nothing that shows tray icons (GNOME without its extension).
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome: TestResult = async {
        app.go_to("settings").await?;
        let said = app.text(testid("no-tray")).await?;
        ensure!(
            said.contains("nothing on this desktop shows tray icons")
                && said.contains("Closing the window minimises it"),
            "Settings says: {said}"
        );
        app.screenshot("no-tray").await?;
        let open = env.wait_for_windows("Kith", true).await?;
        app.close_window().await?;
        // The window is still there (minimised where a window manager runs), and answers.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let still = env.wait_for_windows("Kith", true).await?;
        ensure!(
            still == open,
            "{still} Kith windows after closing, {open} before"
        );
        app.go_to("contacts").await?;
        app.wait_for(testid("add-contact")).await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
