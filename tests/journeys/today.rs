//! Today, where Kith opens: the seeded network's suggestions with their reasons, the daily
//! budget as the plan; "Log as done" and "Tomorrow".

use chrono::{Duration, Utc};
use kith_core::events::EventInput;
use kith_core::history::{InteractionInput, InteractionKind};
use kith_core::model::{Circle, ContactInput};
use kith_core::repeat::Repeat;
use kith_core::testing::person;
use kith_e2e::{ensure, testid, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::prelude::*;

#[tokio::test]
async fn today_lists_who_is_due_and_acting_on_a_suggestion_updates_it() -> TestResult {
    let env = TestEnv::new("today")?;
    {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        let now = Utc::now();
        for (name, circle, days_ago) in [
            ("Priya Raman", Circle::Close, 45),
            ("Marcus Webb", Circle::Network, 100),
            ("Fresh Face", Circle::Network, 3),
            // Past 1.5 times her half-year rhythm: overdue on every screen.
            ("Nadia Okoye", Circle::Acquaintance, 275),
        ] {
            let id = store
                .add_contact(
                    ContactInput {
                        display_name: name.into(),
                        circle,
                        ..ContactInput::default()
                    },
                    now - Duration::days(400),
                )?
                .id;
            store.log_interaction(
                InteractionInput {
                    contact_ids: vec![id],
                    kind: InteractionKind::Coffee,
                    occurred_at: now - Duration::days(days_ago),
                    direction: None,
                    notes: None,
                },
                now,
            )?;
        }
        // Ivan is only a LinkedIn connection: no rhythm yet, on no screen due.
        person("Ivan Petrov")
            .touched(InteractionKind::Connected, now - Duration::days(900))
            .add(&mut store, now - Duration::days(400))?;
        // Marcus goes to the meetup on Thursday: an invitation is the touch.
        let marcus = store
            .list_contacts(now)?
            .into_iter()
            .find(|c| c.display_name == "Marcus Webb")
            .map(|c| c.id)
            .ok_or("Marcus was just added")?;
        store.add_event(
            EventInput {
                title: "Platform engineering meetup".into(),
                start_date: (now + Duration::days(3)).date_naive(),
                start_time: "18:30".into(),
                repeat: Repeat::Never,
                time_zone: None,
                location: None,
                link: None,
                notes: None,
                attendee_ids: vec![marcus],
            },
            now,
        )?;
        // One person a day: Priya is the plan, Marcus waits for a free moment.
        let prefs = store.preferences()?;
        store.set_preferences(kith_core::preferences::Preferences {
            daily_budget: 1,
            ..prefs
        })?;
    }
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        app.wait_for_texts(
            testid("suggestion-name"),
            &["Priya Raman", "Marcus Webb", "Nadia Okoye"],
        )
        .await?;
        app.wait_for_texts(testid("plan-size"), &["1 of 1 a day"]).await?;
        // Due (1× to 1.5× the rhythm) and overdue (past it) as the list and the picture say.
        let reasons = app.texts(testid("reason")).await?;
        ensure!(
            reasons.contains(&"Due 15 days ago (every 30 days)".to_owned())
                && reasons.contains(&"Due 10 days ago (every 90 days)".to_owned())
                && reasons.contains(&"Overdue: was due 95 days ago (every 180 days)".to_owned())
                && reasons.iter().any(|r| r.starts_with("Platform engineering meetup on ")),
            "reasons shown: {reasons:?}"
        );
        let actions = app.texts(testid("suggestion-action")).await?;
        ensure!(
            actions.contains(&"Invite them to the event".to_owned()),
            "actions shown: {actions:?}"
        );
        // The network at a glance: three coffees in the last 26 weeks, everyone in a circle,
        // two people due, one overdue, and Ivan counted apart, not "within their rhythm".
        app.wait_for_texts(testid("activity-total"), &["3 touches"]).await?;
        app.wait_for_texts(
            testid("network-circles"),
            &["By circle Inner circle 0 Close 1 Network 3 Acquaintance 1"],
        )
        .await?;
        app.wait_for_texts(
            testid("network-due"),
            &["Keeping in touch within their rhythm 1 due 2 overdue 1 no rhythm yet 1"],
        )
        .await?;
        // Only the screen's own pane scrolls: nothing (the chart's table for screen readers
        // included) makes the window taller, which would slide the sidebar away.
        let heights = app
            .driver()
            .execute(
                "return [document.documentElement.scrollHeight, window.innerHeight];",
                vec![],
            )
            .await?
            .convert::<(i64, i64)>()?;
        ensure!(
            heights.0 <= heights.1,
            "the window's document is {} px tall in a {} px window",
            heights.0,
            heights.1
        );
        app.screenshot("today").await?;

        // Log as done: Priya leaves today's list and her history has the call.
        app.click(By::XPath(
            "//*[@data-testid='suggestion'][.//*[normalize-space()='Priya Raman']]//*[@data-testid='log-done']",
        ))
        .await?;
        app.wait_for_texts(testid("suggestion-name"), &["Marcus Webb", "Nadia Okoye"])
            .await?;
        app.wait_for_texts(testid("activity-total"), &["4 touches"]).await?;
        app.wait_for_texts(
            testid("network-due"),
            &["Keeping in touch within their rhythm 2 due 1 overdue 1 no rhythm yet 1"],
        )
        .await?;

        // Tomorrow: Marcus, then Nadia, are hidden until then.
        app.click(testid("snooze-day")).await?;
        app.wait_for_texts(testid("suggestion-name"), &["Nadia Okoye"]).await?;
        app.click(testid("snooze-day")).await?;
        app.wait_for(testid("today-empty")).await?;

        // The list says what Today and the picture said: Nadia overdue, Marcus due, Ivan and
        // Priya (just called) nothing.
        app.go_to("contacts").await?;
        let chip = |name: &str| {
            By::XPath(format!(
                "//*[@data-testid='contact-row'][.//*[@data-testid='contact-name'][normalize-space()='{name}']]//*[contains(@class,'due-dot')]"
            ))
        };
        app.wait_for_texts(chip("Nadia Okoye"), &["overdue"]).await?;
        app.wait_for_texts(chip("Marcus Webb"), &["due"]).await?;
        ensure!(
            app.all(chip("Ivan Petrov")).await?.is_empty()
                && app.all(chip("Priya Raman")).await?.is_empty(),
            "Ivan has no rhythm and Priya was just called: no chip"
        );

        app.open_contact("Priya Raman").await?;
        app.wait_for_texts(testid("timeline-kind"), &["Call", "Coffee"]).await?;
        // Her year: touched in two weeks (45 days ago and today); every other week since a
        // month after she was added (400 days ago) but the two after the coffee was past
        // her 30-day rhythm.
        let caption = app.text(testid("year-strip-caption")).await?;
        ensure!(
            caption.starts_with("Touched in 2 of the last 52 weeks; ")
                && ["45", "46", "47"]
                    .iter()
                    .any(|n| caption.ends_with(&format!("; {n} weeks past the rhythm."))),
            "the year: {caption}"
        );
        app.wait_for(testid("year-strip"))
            .await?
            .scroll_into_view()
            .await?;
        app.screenshot("contact-year").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await?;
    let store = kith_core::Store::open_in(env.data_dir())?;
    ensure!(
        store.today(Utc::now(), 10)?.is_empty(),
        "nobody should be suggested right after"
    );
    ensure!(
        store.today(Utc::now() + Duration::days(2), 10)?.len() == 2,
        "Marcus and Nadia should be back after the snooze"
    );
    Ok(())
}

#[tokio::test]
async fn a_late_promise_comes_first_and_why_first_shows_its_points() -> TestResult {
    let env = TestEnv::new("today-why")?;
    let (ana, ben) = {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        let now = Utc::now();
        let mut add = |name: &str, touched_days_ago: i64| -> TestResult<i64> {
            Ok(person(name)
                .circle(Circle::Close)
                .touched(
                    InteractionKind::Call,
                    now - Duration::days(touched_days_ago),
                )
                .add(&mut store, now - Duration::days(400))?)
        };
        // Ana was promised the deck a week ago; Ben is a few days past his cadence.
        let ana = add("Ana Lima", 20)?;
        let ben = add("Ben Okafor", 33)?;
        let (tz, _) = store.calendar()?;
        store.add_follow_up(
            kith_core::history::FollowUpInput {
                contact_id: ana,
                interaction_id: None,
                title: "send the deck".into(),
                due_on: Some(now.with_timezone(&tz).date_naive() - Duration::days(7)),
            },
            now - Duration::days(20),
        )?;
        (ana, ben)
    };
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        app.wait_for_texts(testid("suggestion-name"), &["Ana Lima", "Ben Okafor"])
            .await?;
        let actions = app.texts(testid("suggestion-action")).await?;
        ensure!(
            actions.first().map(String::as_str) == Some("Do what you promised"),
            "actions shown: {actions:?}"
        );
        // Unfold the first card's points: they add up to its score, and the promise leads.
        app.click(testid("why-toggle")).await?;
        app.wait_for(By::Css("details[open] [data-testid='why-line']"))
            .await?;
        app.wait_for_texts(
            By::Css("details[open] [data-testid='why-reason']"),
            &["Follow-up 7 days late: send the deck", "Close circle"],
        )
        .await?;
        app.wait_for_texts(
            By::Css("details[open] [data-testid='why-points']"),
            &["+77.0", "+2.0"],
        )
        .await?;
        app.wait_for_texts(testid("why-total"), &["79.0", "13.0"])
            .await?;
        app.screenshot("today-why-first").await?;

        // Done on the promise ticks it (no touch of kind Other), in place, and offers the
        // loop-back; letting her know logs the message.
        let ana_card =
            "//*[@data-testid='suggestion'][.//*[normalize-space()='Ana Lima']]//*[@data-testid='log-done']";
        app.wait_for_texts(By::XPath(ana_card), &["Mark as done"]).await?;
        app.click(By::XPath(ana_card)).await?;
        app.wait_for_texts(
            testid("today-note"),
            &["Done: “send the deck”. Let Ana Lima know?"],
        )
        .await?;
        app.wait_for_texts(testid("suggestion-name"), &["Ben Okafor"]).await?;
        app.click(testid("acted-offer")).await?;
        app.wait_for_texts(
            testid("today-note"),
            &["Done: “send the deck”, and Ana Lima knows (a message is logged)."],
        )
        .await?;

        // A double click on Log as done records one call, and says so where Ben's card was.
        let ben_done = app
            .wait_for(By::XPath(
                "//*[@data-testid='suggestion'][.//*[normalize-space()='Ben Okafor']]//*[@data-testid='log-done']",
            ))
            .await?;
        app.driver()
            .action_chain()
            .double_click_element(&ben_done)
            .perform()
            .await?;
        app.wait_for_texts(
            testid("today-note"),
            &[
                "Done: “send the deck”, and Ana Lima knows (a message is logged).",
                "Logged: call with Ben Okafor.",
            ],
        )
        .await?;
        app.wait_for(testid("today-empty")).await?;
        app.screenshot("today-acted").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await?;
    let store = kith_core::Store::open_in(env.data_dir())?;
    let promises = store.follow_ups_for(ana)?;
    ensure!(
        promises.len() == 1 && promises[0].completed_at.is_some(),
        "the promise is kept: {promises:?}"
    );
    let kinds = |id: i64| -> TestResult<Vec<InteractionKind>> {
        Ok(store
            .timeline(id, 10)?
            .into_iter()
            .map(|i| i.kind)
            .collect())
    };
    let told = kinds(ana)?;
    ensure!(
        told == [InteractionKind::Message, InteractionKind::Call],
        "Ana: a message to report back, after the seeded call: {told:?}"
    );
    let ben = kinds(ben)?;
    ensure!(
        ben == [InteractionKind::Call, InteractionKind::Call],
        "Ben: one call logged by the double click, after the seeded one: {ben:?}"
    );
    Ok(())
}
