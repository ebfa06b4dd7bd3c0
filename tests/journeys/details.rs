//! Journey: contact details you can act on. An email opens the mail client, a phone number
//! the phone app and a LinkedIn profile the browser, each through the desktop's own handler;
//! after mail or a call Kith offers to log it; a stored `javascript:` link is text and never
//! opens. With no mail or phone app set up, the page stays: the address or number is copied,
//! said beside the link, and the mail or call can still be logged.

use chrono::Utc;
use kith_core::model::{ContactInput, LabeledValue};
use kith_e2e::{ensure, testid, App, BusChoice, TestEnv, TestResult};
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
        let kind = log_form_kind(&app).await?;
        ensure!(
            kind.as_deref() == Some("call"),
            "the form starts as {kind:?}"
        );
        app.click(By::XPath(
            "//*[@data-testid='log-form']//button[normalize-space()='Cancel']",
        ))
        .await?;

        // A desktop with no mail or phone app (every webmail user): each launcher fails.
        for launcher in ["xdg-open", "gio"] {
            let path = env.home().join("bin").join(launcher);
            std::fs::write(
                &path,
                "#!/bin/sh\nprintf 'failed %s\\n' \"$*\" >> \"$HOME/opened-links\"\nexit 2\n",
            )?;
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
        }
        not_opened(
            &app,
            "phone",
            "No phone app is set up — number copied",
            "call",
        )
        .await?;
        not_opened(
            &app,
            "email",
            "No mail app is set up — address copied",
            "email",
        )
        .await?;
        ensure!(
            app.texts(testid("link-notice")).await?.len() == 1,
            "one notice, beside the address"
        );
        app.wait_for(testid("link-notice"))
            .await?
            .scroll_into_view()
            .await?;
        app.screenshot("no-mail-app").await?;
        // Logging the mail written in the browser: the address is on the clipboard.
        app.click(testid("link-notice-log")).await?;
        let kind = log_form_kind(&app).await?;
        ensure!(
            kind.as_deref() == Some("email"),
            "the form starts as {kind:?}"
        );
        let note = app
            .wait_for(By::Css("[data-testid=log-form] textarea"))
            .await?;
        note.click().await?;
        app.press_ctrl("v").await?;
        let pasted = note.prop("value").await?;
        ensure!(
            pasted.as_deref() == Some("priya@acme.example"),
            "pasted {pasted:?}"
        );
        let tried = env.opened();
        ensure!(
            tried
                .iter()
                .any(|l| l == "failed mailto:priya@acme.example"),
            "tried: {tried:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

/// Clicks the detail `link` on a desktop where no app opens it: the page stays, says `said`
/// beside it, and offers to log the `kind` there.
async fn not_opened(app: &App, link: &str, said: &str, kind: &str) -> TestResult {
    app.click(testid(link)).await?;
    app.wait_for_texts(testid("link-notice"), &[said]).await?;
    app.wait_for_texts(testid("detail-name"), &["Priya Raman"])
        .await?;
    app.wait_for_texts(testid("link-notice-log"), &[&format!("Log this {kind}")])
        .await?;
    ensure!(
        app.all(By::Css("[role=alert]")).await?.is_empty(),
        "no error replaces the page"
    );
    Ok(())
}

/// The kind the open log form starts with.
async fn log_form_kind(app: &App) -> TestResult<Option<String>> {
    Ok(app
        .wait_for(By::Css("[data-testid=log-form] select"))
        .await?
        .prop("value")
        .await?)
}
