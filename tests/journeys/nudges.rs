//! Journey: send a test nudge; it reaches the desktop's notification service with its
//! actions, and the user's answer comes back to the app. Without a service, the nudge shows
//! in the window instead, promptly.

use std::time::{Duration, Instant};

use kith_e2e::{ensure, testid, Bus, BusChoice, NotificationServer, TestEnv, TestResult};

#[tokio::test]
async fn a_test_nudge_reaches_the_desktop_and_the_chosen_action_comes_back() -> TestResult {
    let env = TestEnv::new("nudge-desktop")?;
    let bus = Bus::start()?;
    let server = NotificationServer::start(&bus)?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        app.click(testid("nav-settings")).await?;
        app.click(testid("send-test-nudge")).await?;
        app.wait_for(testid("nudge-status")).await?;
        let shown = server.wait_for(1, Duration::from_secs(10))?;
        let nudge = &shown[0];
        ensure!(nudge.app_name == "Kith", "app name {:?}", nudge.app_name);
        ensure!(
            nudge.summary == "Time to catch up with someone",
            "summary {:?}",
            nudge.summary
        );
        ensure!(
            nudge.body.contains("who, why, and what to do"),
            "body {:?}",
            nudge.body
        );
        let keys: Vec<&str> = nudge.actions.iter().map(|(k, _)| k.as_str()).collect();
        ensure!(
            keys == ["default", "call", "snooze", "done"],
            "actions {:?}",
            nudge.actions
        );
        let labels: Vec<&str> = nudge.actions[1..].iter().map(|(_, l)| l.as_str()).collect();
        ensure!(labels == ["Call", "Snooze", "Done"], "labels {labels:?}");

        // The app starts listening for the answer just after the notification is shown:
        // answer until it hears (it accepts one answer per nudge).
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            server.invoke_action(nudge.id, "done")?;
            if !app.all(testid("nudge-outcome")).await?.is_empty() {
                break;
            }
            ensure!(Instant::now() < end, "the app never heard the answer");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        app.wait_for_texts(
            testid("nudge-outcome"),
            &["Kith heard you: you chose “Done”."],
        )
        .await?;
        ensure!(
            server.shown().len() == 1,
            "the nudge was shown more than once"
        );
        app.screenshot("answered").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

/// Clicks "Send a test nudge" and returns how long the in-app fallback took to appear.
async fn fallback_delay(app: &kith_e2e::App) -> TestResult<Duration> {
    app.click(testid("nav-settings")).await?;
    let button = app.wait_for(testid("send-test-nudge")).await?;
    let started = Instant::now();
    button.click().await?;
    app.wait_for(testid("in-app-nudge")).await?;
    Ok(started.elapsed())
}

#[tokio::test]
async fn without_a_notification_service_the_nudge_shows_in_the_app() -> TestResult {
    let env = TestEnv::new("nudge-no-service")?;
    let bus = Bus::start()?; // a session bus, but nobody owns org.freedesktop.Notifications
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        let delay = fallback_delay(&app).await?;
        eprintln!(
            "in-app fallback shown {} ms after the click (bus without a notification service)",
            delay.as_millis()
        );
        // The app waits at most 3 s for a notification service; a missing one fails at once.
        ensure!(
            delay < Duration::from_secs(5),
            "the fallback took {delay:?}"
        );
        let reason = app.text(testid("nudge-fallback-reason")).await?;
        ensure!(
            reason.contains("no desktop notification service"),
            "reason {reason:?}"
        );
        app.screenshot("fallback").await?;
        app.click(thirtyfour::By::XPath(
            "//*[@data-testid='in-app-nudge']//button[normalize-space()='Snooze']",
        ))
        .await?;
        app.wait_for_texts(
            testid("nudge-outcome"),
            &["Kith heard you: you chose “Snooze”."],
        )
        .await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await?;
    let log_dir = env.data_dir().join("logs");
    let logged = std::fs::read_dir(&log_dir)?
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .any(|text| text.contains("desktop notification failed"));
    ensure!(
        logged,
        "the failure was not logged in {}",
        log_dir.display()
    );
    Ok(())
}

#[tokio::test]
async fn without_any_session_bus_the_nudge_shows_in_the_app() -> TestResult {
    let env = TestEnv::new("nudge-no-bus")?;
    let app = env.launch(BusChoice::None).await?;
    let outcome = async {
        let delay = fallback_delay(&app).await?;
        eprintln!(
            "in-app fallback shown {} ms after the click (no session bus)",
            delay.as_millis()
        );
        ensure!(
            delay < Duration::from_secs(5),
            "the fallback took {delay:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn a_hung_notification_service_delays_the_nudge_by_a_bounded_time() -> TestResult {
    let env = TestEnv::new("nudge-hung-service")?;
    let bus = Bus::start()?;
    let _stuck = NotificationServer::start_stuck(&bus)?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        let delay = fallback_delay(&app).await?;
        eprintln!(
            "in-app fallback shown {} ms after the click (service that never answers)",
            delay.as_millis()
        );
        // The app gives the service 3 s, then shows the nudge in the window.
        ensure!(
            delay < Duration::from_secs(8),
            "the fallback took {delay:?}"
        );
        let reason = app.text(testid("nudge-fallback-reason")).await?;
        ensure!(
            reason.contains("did not answer within"),
            "reason {reason:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
