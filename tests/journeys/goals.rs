//! Journey 2: set a personal networking goal, from the very first start.

use kith_e2e::{ensure, testid, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

#[tokio::test]
async fn first_start_onboarding_sets_a_goal_and_a_call_counts_toward_it() -> TestResult {
    let env = TestEnv::first_start("goal-journey")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        app.wait_for(testid("onboarding")).await?;
        app.screenshot("onboarding").await?;

        // 1. A first goal: reconnect with 3 former colleagues this month.
        app.click(testid("onboarding-set-goal")).await?;
        app.click(testid("goal-kind-reconnectColleagues")).await?;
        app.fill("Goal", "Reconnect with 3 former colleagues this month")
            .await?;
        app.fill(
            "Why it matters",
            "They know my work; one of them may know my next team.",
        )
        .await?;
        app.fill("Target", "3").await?;
        let period = app.wait_for(By::Id("goal-period")).await?;
        SelectElement::new(&period)
            .await?
            .select_by_value("monthly")
            .await?;
        let tags = app
            .wait_for(By::Id("goal-tags"))
            .await?
            .prop("value")
            .await?;
        ensure!(
            tags.as_deref() == Some("former colleague"),
            "the kind should pre-fill its audience, got {tags:?}"
        );
        app.click(testid("save-goal")).await?;
        app.wait_for(testid("onboarding-goal-done")).await?;

        // 2. A former colleague.
        app.fill("Name", "Marta Silva").await?;
        app.fill("Tags", "former colleague").await?;
        app.click(testid("onboarding-add-contact")).await?;
        app.wait_for_texts(testid("onboarding-added"), &["Added Marta Silva."])
            .await?;

        // 3. Nudges at 08:30.
        app.set_value("ob-time", "08:30").await?;
        app.click(testid("onboarding-finish")).await?;

        // The goal is there, at 0 of 3.
        app.wait_for_texts(testid("goal-progress"), &["0 of 3"])
            .await?;

        // A call with the tagged contact counts at once.
        app.click(testid("nav-contacts")).await?;
        app.open_contact("Marta Silva").await?;
        app.wait_for_texts(
            testid("contact-goal"),
            &["Reconnect with 3 former colleagues this month"],
        )
        .await?;
        app.click(testid("log-interaction")).await?;
        app.click(testid("save-interaction")).await?;
        app.wait_for_texts(testid("timeline-kind"), &["Call"])
            .await?;

        app.click(testid("nav-goals")).await?;
        app.wait_for_texts(testid("goal-progress"), &["1 of 3"])
            .await?;
        let pace = app.text(testid("goal-pace")).await?;
        ensure!(
            ["on track", "behind by", "ahead of pace"]
                .iter()
                .any(|p| pace.contains(p)),
            "the pace should read in words, got {pace:?}"
        );
        app.wait_for(testid("goal-chart")).await?;
        let bars = app.all(By::Css("[data-testid='goal-chart'] rect")).await?;
        ensure!(!bars.is_empty(), "the history chart has no bars");
        app.screenshot("goals").await?;

        // Edit the target down to 1: the period is done and the streak starts.
        app.click(testid("edit-goal")).await?;
        app.fill("Target", "1").await?;
        app.click(testid("save-goal")).await?;
        app.wait_for_texts(testid("goal-progress"), &["1 of 1"])
            .await?;
        app.wait_for_texts(testid("goal-pace"), &["done for this period"])
            .await?;
        app.wait_for_texts(testid("goal-streak"), &["1 period in a row"])
            .await?;

        // Deleting takes a second click.
        app.click(testid("delete-goal")).await?;
        app.wait_for_texts(testid("delete-goal"), &["Delete for good?"])
            .await?;
        app.click(testid("delete-goal")).await?;
        app.wait_for_texts(testid("goal-card"), &[]).await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await?;

    let store = kith_core::Store::open_in(env.data_dir())?;
    ensure!(
        store.list_goals()?.is_empty(),
        "the deleted goal is still stored"
    );
    let prefs = store.preferences()?;
    ensure!(
        prefs.onboarded && prefs.nudge_time == "08:30",
        "the onboarding answers were not saved: {prefs:?}"
    );
    Ok(())
}
