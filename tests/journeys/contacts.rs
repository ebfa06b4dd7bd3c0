//! Journey: add contacts, see them listed, find them again after a restart.

use kith_e2e::{ensure, testid, App, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::prelude::*;

async fn add_contact(app: &App, name: &str, email: &str) -> TestResult {
    app.click(testid("add-contact")).await?;
    app.wait_for(testid("contact-form")).await?;
    app.fill("Name", name).await?;
    if !email.is_empty() {
        app.fill("Email 1", email).await?;
    }
    app.click(testid("save-contact")).await?;
    Ok(())
}

#[tokio::test]
async fn a_contact_added_through_the_form_is_listed_and_survives_a_restart() -> TestResult {
    let env = TestEnv::new("add-and-relaunch")?;
    let bus = Bus::start()?;

    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let first_run = async {
        app.wait_for(testid("empty-state")).await?;
        app.screenshot("empty").await?;
        add_contact(&app, "Priya Raman", "priya@acme.example").await?;
        app.wait_for_texts(testid("contact-name"), &["Priya Raman"])
            .await?;
        app.wait_for_texts(testid("detail-name"), &["Priya Raman"])
            .await?;
        add_contact(&app, "Ana Lima", "").await?;
        app.wait_for_texts(testid("contact-name"), &["Ana Lima", "Priya Raman"])
            .await?;
        app.screenshot("listed").await?;
        Ok(())
    }
    .await;
    app.finish(first_run).await?;

    // The app is closed: the contacts are in the SQLite file on disk.
    {
        let store = kith_core::Store::open_in(env.data_dir())?;
        let names: Vec<String> = store
            .list_contacts(chrono::Utc::now())?
            .into_iter()
            .map(|c| c.display_name)
            .collect();
        ensure!(
            names == ["Ana Lima", "Priya Raman"],
            "database holds {names:?}"
        );
    }

    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let second_run = async {
        app.wait_for_texts(testid("contact-name"), &["Ana Lima", "Priya Raman"])
            .await?;
        let rows = app.all(testid("contact-row")).await?;
        rows[1].click().await?;
        app.wait_for_texts(testid("detail-name"), &["Priya Raman"])
            .await?;
        let detail = app.text(testid("contact-page")).await?;
        ensure!(
            detail.contains("priya@acme.example"),
            "detail shows {detail:?}"
        );
        Ok(())
    }
    .await;
    app.finish(second_run).await
}

#[tokio::test]
async fn markup_in_a_name_is_shown_as_plain_text() -> TestResult {
    let env = TestEnv::new("markup-as-text")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let outcome = async {
        let name = "<img src=x onerror=alert(1)>";
        add_contact(&app, name, "").await?;
        app.wait_for_texts(testid("contact-name"), &[name]).await?;
        app.wait_for_texts(testid("detail-name"), &[name]).await?;
        let images = app.all(By::Css("main img")).await?;
        ensure!(
            images.is_empty(),
            "the name was rendered as markup: {} <img>",
            images.len()
        );
        ensure!(
            app.driver().get_alert_text().await.is_err(),
            "a script from the name ran (an alert is open)"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn an_empty_name_is_refused_in_words_and_nothing_is_stored() -> TestResult {
    let env = TestEnv::new("empty-name")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let outcome = async {
        add_contact(&app, "   ", "someone@example.org").await?;
        let error = app.text(testid("contact-error-displayName")).await?;
        ensure!(error == "Name is required.", "the form says {error:?}");
        let name_field = app.wait_for(By::Id("cf-name")).await?;
        ensure!(
            name_field.attr("aria-invalid").await?.as_deref() == Some("true"),
            "the name field is not marked invalid"
        );
        app.screenshot("refused").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await?;
    let store = kith_core::Store::open_in(env.data_dir())?;
    ensure!(
        store.list_contacts(chrono::Utc::now())?.is_empty(),
        "a refused contact was stored"
    );
    Ok(())
}
