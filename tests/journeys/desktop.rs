//! Desktop citizenship: closing the window leaves Kith in the tray, where a reminder still
//! reaches the desktop; launching Kith again brings the window back instead of starting a
//! second Kith; a window in the dark theme is dark from its first frame.

use std::time::Duration;

use chrono::{Duration as Span, DurationRound, TimeDelta, Utc};
use kith_core::model::ContactInput;
use kith_core::preferences::Preferences;
use kith_core::reminder::ReminderInput;
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

/// The X display of this test's Xvfb: the one Xvfb this test process started (journeys run
/// one at a time).
fn our_display() -> TestResult<String> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid …"
        let Some((comm, rest)) = stat.split_once(") ") else {
            continue;
        };
        let parent = rest.split_whitespace().nth(1);
        if comm.ends_with("(Xvfb") && parent == Some(me.as_str()) {
            let cmdline = std::fs::read(entry.path().join("cmdline"))?;
            if let Some(display) = cmdline
                .split(|b| *b == 0)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .find(|a| a.starts_with(':'))
            {
                found.push(display);
            }
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => {
            Err(format!("this test started Xvfb on {found:?}: run it with --test-threads=1").into())
        }
    }
}

/// How light the middle of the display is (0 black … 1 white), every ~100 ms until `stop`.
async fn film(
    display: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> TestResult<Vec<f64>> {
    let mut frames = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        // Kith's content area (the window is centred on the 1280×800 screen).
        let out = tokio::process::Command::new("import")
            .args(["-display", &display, "-window", "root"])
            .args([
                "-crop",
                "700x500+400+200",
                "+repage",
                "-format",
                "%[fx:mean]",
                "info:",
            ])
            .output()
            .await
            .map_err(|e| format!("cannot run ImageMagick's import: {e}"))?;
        if let Ok(mean) = String::from_utf8_lossy(&out.stdout).trim().parse::<f64>() {
            frames.push(mean);
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    Ok(frames)
}

#[tokio::test]
async fn a_window_in_the_dark_theme_is_dark_from_its_first_frame() -> TestResult {
    let env = TestEnv::new("first-paint")?;
    {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        let prefs = store.preferences()?;
        store.set_preferences(Preferences {
            theme: kith_core::preferences::Theme::Dark,
            ..prefs
        })?;
    }
    let display = our_display()?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let filming = tokio::spawn(film(display, stop.clone()));
    let launched = env.launch(BusChoice::None).await;
    // A few frames more: the page's own preferences call has answered by now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let frames = filming.await.map_err(|e| format!("filming: {e}"))??;
    let app = launched?;
    let outcome: TestResult = async {
        let shown: Vec<f64> = frames.iter().copied().filter(|m| *m > 0.02).collect();
        eprintln!(
            "[first-paint] {} frames, {} with the window: {:?}",
            frames.len(),
            shown.len(),
            shown.iter().map(|m| format!("{m:.2}")).collect::<Vec<_>>()
        );
        ensure!(
            !shown.is_empty(),
            "no frame showed the window ({} frames, all black)",
            frames.len()
        );
        let light = shown.iter().filter(|m| **m > 0.5).count();
        ensure!(
            light == 0,
            "{light} of {} frames with the window were light before it turned dark",
            shown.len()
        );
        let theme = app
            .driver()
            .execute(
                "return [document.documentElement.dataset.theme, \
                 window.__KITH_START__ && window.__KITH_START__.theme];",
                Vec::new(),
            )
            .await?;
        ensure!(
            theme.json() == &serde_json::json!(["dark", "dark"]),
            "the document and the window's start say {}",
            theme.json()
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
