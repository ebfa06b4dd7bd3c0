//! Journey 2: set a personal networking goal, from the very first start. A monthly goal
//! counts from the 1st (a weekly one from the week's first day) unless a date is picked;
//! the audience's tag field says who it holds ("nobody has this tag yet" for a typo, then
//! "1 person now") and suggests the tags there are; the new goal's chart says "Your first
//! month: 0 so far".

use chrono::{Datelike, NaiveDate, Weekday};
use kith_e2e::{ensure, testid, App, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

/// The goal form's start date, once it reads `what` (checked by `ok`).
async fn start_date(
    app: &App,
    what: &str,
    ok: impl Fn(NaiveDate) -> bool,
) -> TestResult<NaiveDate> {
    for _ in 0..50 {
        let value = app
            .wait_for(By::Id("goal-start"))
            .await?
            .prop("value")
            .await?;
        if let Some(date) = value.and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()) {
            if ok(date) {
                return Ok(date);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("the goal's start should be {what}").into())
}

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
        // A monthly goal made mid-month counts from the 1st; a weekly one from Monday (the
        // week's first day until Settings says otherwise).
        start_date(&app, "the 1st", |d| d.day() == 1).await?;
        let period = app.wait_for(By::Id("goal-period")).await?;
        SelectElement::new(&period)
            .await?
            .select_by_value("weekly")
            .await?;
        start_date(&app, "a Monday", |d| d.weekday() == Weekday::Mon).await?;
        SelectElement::new(&period)
            .await?
            .select_by_value("monthly")
            .await?;
        start_date(&app, "the 1st again", |d| d.day() == 1).await?;
        let tags = app
            .wait_for(By::Id("goal-tags"))
            .await?
            .prop("value")
            .await?;
        ensure!(
            tags.as_deref() == Some("former colleague"),
            "the kind should pre-fill its audience, got {tags:?}"
        );
        // Nobody has the tag yet (no one is in Kith): the form says so.
        app.wait_until_texts(testid("goal-audience-count"), "nobody tagged", |t| {
            t.len() == 1
                && t[0].contains(
                    "Nobody has the tag “former colleague” yet: this goal would count nobody.",
                )
        })
        .await?;
        app.screenshot("goal-form").await?;
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

        // The goal is there, at 0 of 3, its chart saying where the first month stands.
        app.wait_for_texts(testid("goal-progress"), &["0 of 3"])
            .await?;
        app.wait_for_texts(
            testid("goal-chart-first"),
            &["Your first month: 0 so far, of 3"],
        )
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
        app.wait_for_texts(
            testid("goal-chart-first"),
            &["Your first month: 1 so far, of 3"],
        )
        .await?;
        app.screenshot("goals").await?;

        // Edit the target down to 1: the period is done and the streak starts. On the way,
        // the audience field: a half-typed tag counts nobody and the real one is suggested.
        app.click(testid("edit-goal")).await?;
        app.wait_until_texts(testid("goal-audience-count"), "one person", |t| {
            t.len() == 1 && t[0] == "1 person now"
        })
        .await?;
        app.fill("People tagged", "former").await?;
        app.wait_until_texts(
            testid("goal-audience-count"),
            "nobody has “former”",
            |t| t.len() == 1 && t[0].contains("Nobody has the tag “former” yet"),
        )
        .await?;
        let suggested = app
            .all(By::Css(
                "[data-testid='goal-tag-list'] option[value='former colleague']",
            ))
            .await?;
        ensure!(suggested.len() == 1, "the existing tag is suggested");
        app.fill("People tagged", "former colleague").await?;
        app.wait_until_texts(testid("goal-audience-count"), "one person again", |t| {
            t.len() == 1 && t[0] == "1 person now"
        })
        .await?;
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
