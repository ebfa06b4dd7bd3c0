//! Events: plan a meetup with the people who go, say "I went", and everyone met has it in
//! their history; a bad event is refused in words.

use chrono::{Duration, Utc};
use kith_core::model::ContactInput;
use kith_e2e::{ensure, testid, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

#[tokio::test]
async fn a_weekly_meetup_is_planned_with_its_people_and_going_logs_everyone_met() -> TestResult {
    let env = TestEnv::new("events")?;
    {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        for name in ["Ana Lima", "Bruno Costa"] {
            store.add_contact(
                ContactInput {
                    display_name: name.into(),
                    ..ContactInput::default()
                },
                Utc::now() - Duration::days(30),
            )?;
        }
    }
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        app.go_to("events").await?;
        app.wait_for(testid("events-empty")).await?;
        app.click(testid("new-event")).await?;

        // Without a name it is refused, next to the field.
        app.click(testid("save-event")).await?;
        app.wait_for_texts(testid("event-error-title"), &["Give the event a name."])
            .await?;

        app.fill("Name", "Rust Lisbon meetup").await?;
        // Weekly since a week ago, just after midnight: it has met already today.
        let first = (Utc::now() - Duration::days(7)).date_naive();
        app.set_value("event-date", &first.to_string()).await?;
        app.set_value("event-time", "00:01").await?;
        let repeat = app.wait_for(By::Id("event-repeat")).await?;
        SelectElement::new(&repeat)
            .await?
            .select_by_value("everyWeeks")
            .await?;
        app.fill("Every (weeks)", "1").await?;
        app.fill("Where", "Impact Hub").await?;
        for (typed, name) in [("Ana", "Ana Lima"), ("Bru", "Bruno Costa")] {
            app.fill("Who goes", typed).await?;
            app.click(By::XPath(format!(
                "//*[@data-testid='event-suggestion' and normalize-space()='{name}']"
            )))
            .await?;
        }
        app.click(testid("save-event")).await?;
        app.wait_for_texts(testid("event-title"), &["Rust Lisbon meetup"])
            .await?;
        app.wait_for_texts(testid("event-attendee"), &["Ana Lima", "Bruno Costa"])
            .await?;
        let when = app.text(testid("event-when")).await?;
        ensure!(
            when.contains("every week") && when.contains("Impact Hub"),
            "event line: {when}"
        );
        app.screenshot("events").await?;

        // I went: Ana was there, Bruno was not.
        app.click(testid("i-went")).await?;
        app.click(By::XPath(
            "//*[@data-testid='going-form']//label[normalize-space()='Bruno Costa']/input",
        ))
        .await?;
        app.click(testid("log-going")).await?;
        app.wait_for_texts(
            testid("events-note"),
            &["Logged Rust Lisbon meetup with 1 person."],
        )
        .await?;

        app.go_to("contacts").await?;
        app.open_contact("Ana Lima").await?;
        app.wait_for_texts(testid("timeline-kind"), &["Event"])
            .await?;
        app.open_contact("Bruno Costa").await?;
        app.wait_for(testid("detail-name")).await?;
        let bruno = app.texts(testid("timeline-kind")).await?;
        ensure!(bruno.is_empty(), "Bruno was not there: {bruno:?}");
        Ok(())
    }
    .await;
    app.finish(outcome).await?;
    let store = kith_core::Store::open_in(env.data_dir())?;
    let views = store.event_views(Utc::now())?;
    ensure!(
        views.len() == 1 && views[0].attendees.len() == 2,
        "one event with two people, got {views:?}"
    );
    Ok(())
}
