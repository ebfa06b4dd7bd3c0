//! Journey: contact details you can act on. An email opens the mail client, a phone number
//! the phone app and a LinkedIn profile the browser, each through the desktop's own handler;
//! after mail or a call Kith offers to log it; a stored `javascript:` link is text and never
//! opens.

use chrono::Utc;
use kith_core::model::{ContactInput, LabeledValue};
use kith_e2e::{ensure, testid, BusChoice, TestEnv, TestResult};
use thirtyfour::prelude::*;

fn value(v: &str) -> LabeledValue {
    LabeledValue {
        label: String::new(),
        value: v.into(),
    }
}

#[tokio::test]
async fn details_open_in_the_desktops_apps_and_mail_or_a_call_can_be_logged() -> TestResult {
    let env = TestEnv::new("details")?;
    {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        store.add_contact(
            ContactInput {
                display_name: "Priya Raman".into(),
                emails: vec![value("priya@acme.example")],
                phones: vec![value("+44 20 7946 0018")],
                links: vec![
                    value("https://www.linkedin.com/in/priya-raman"),
                    value("javascript:alert(1)"),
                ],
                ..ContactInput::default()
            },
            Utc::now(),
        )?;
    }
    let app = env.launch(BusChoice::None).await?;
    let outcome = async {
        app.go_to("contacts").await?;
        app.open_contact("Priya Raman").await?;
        // The LinkedIn profile is named so and is a link; the script is only text.
        app.wait_for_texts(testid("link"), &["https://www.linkedin.com/in/priya-raman"])
            .await?;
        app.wait_for_texts(testid("link-text"), &["javascript:alert(1)"])
            .await?;
        let labels = app.texts(By::Css(".details dt")).await?;
        ensure!(
            labels.iter().any(|l| l.eq_ignore_ascii_case("linkedin")),
            "labels: {labels:?}"
        );
        app.wait_for(By::Id("details-title"))
            .await?
            .scroll_into_view()
            .await?;
        app.screenshot("details").await?;

        app.click(testid("email")).await?;
        app.wait_for_texts(testid("log-offer"), &["Log this email? Log it No"])
            .await?;
        app.wait_for(testid("log-offer"))
            .await?
            .scroll_into_view()
            .await?;
        app.screenshot("log-offer").await?;
        app.click(testid("phone")).await?;
        app.wait_for_texts(testid("log-offer"), &["Log this call? Log it No"])
            .await?;
        app.click(testid("link")).await?;
        let mut opened = Vec::new();
        for _ in 0..50 {
            opened = env.opened();
            if opened.len() >= 3 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        ensure!(
            opened
                == [
                    "mailto:priya@acme.example",
                    "tel:+442079460018",
                    "https://www.linkedin.com/in/priya-raman"
                ],
            "opened: {opened:?}"
        );
        // Opening logged nothing; the offer after the call logs it as one.
        ensure!(
            app.all(testid("timeline-kind")).await?.is_empty(),
            "nothing logged by opening"
        );
        app.click(testid("log-offer-yes")).await?;
        let kind = app
            .wait_for(By::Css("[data-testid=log-form] select"))
            .await?
            .prop("value")
            .await?;
        ensure!(
            kind.as_deref() == Some("call"),
            "the form starts as {kind:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
