//! Journey: Settings → Sync against a real Radicale server — connect to an address book that
//! another device already filled (what joining it would do is shown first), add a contact in the
//! window and find it on the server; change it on the server (another device) and give her a
//! follow-up there, *Sync now*, and see both in the window; change her on both sides, see the
//! conflict, take yours back.

use kith_e2e::{ensure, testid, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::prelude::*;

use crate::dav::{server, Device, Kind, PASSWORD, USER};

#[tokio::test]
async fn a_contact_travels_to_the_server_and_back_from_settings_sync() -> TestResult {
    let url = server(Kind::Radicale).url.clone();
    let env = TestEnv::new("sync")?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    let outcome = async {
        // The phone already keeps Ana in the "Kith" address book.
        let mut phone = Device::new(Kind::Radicale, "kith").await;
        kith_core::testing::person("Ana Lima")
            .email("ana@lima.example")
            .add(&mut phone.store, chrono::Utc::now())?;
        phone.sync().await;
        app.go_to("settings").await?;
        app.wait_for(testid("sync")).await?;
        app.fill("Server", &url).await?;
        app.fill("User name", USER).await?;
        app.fill("Password", "wrong").await?;
        app.click(testid("sync-test")).await?;
        app.wait_for_texts(
            testid("sync-error-password"),
            &["The server refused the user name or password."],
        )
        .await?;
        app.fill("Password", PASSWORD).await?;
        app.click(testid("sync-test")).await?;
        app.wait_for(By::Id("sync-book")).await?;
        app.screenshot("test-connection").await?;
        app.click(testid("sync-connect")).await?;
        // The address book holds a card: what joining it would do comes first.
        app.wait_for_texts(
            By::Css("[data-testid=sync-preview] li"),
            &[
                "add 1 person new to Kith: Ana Lima;",
                "send 0 of your contacts to the server.",
            ],
        )
        .await?;
        app.screenshot("preview").await?;
        app.click(testid("sync-confirm")).await?;
        // Connecting runs the first round at once.
        app.wait_for_texts(testid("sync-status"), &["Synced just now."])
            .await?;
        app.wait_for_texts(
            testid("sync-tasks"),
            &["Open follow-ups and your reminders’ next times are tasks in /priya/kith-tasks/: \
               tick one off on your phone and it is done here."],
        )
        .await?;

        // A contact added in the window goes to the server.
        app.go_to("contacts").await?;
        app.add_contact("Priya Raman", &["priya@acme.example"], "")
            .await?;
        app.go_to("settings").await?;
        app.click(testid("sync-now")).await?;
        app.wait_for_texts(testid("sync-note"), &["0 changes from the server, 1 sent."])
            .await?;
        app.screenshot("connected").await?;
        phone.sync().await;
        ensure!(
            phone.names() == ["Ana Lima", "Priya Raman"],
            "on the server: {:?}",
            phone.names()
        );

        // Another device changes her and gives her a follow-up (a task on the server); Sync
        // now brings both into the window.
        phone.edit("Priya Raman", |c| c.company = Some("Globex".into()));
        phone.follow_up("Priya Raman", "Send the deck", None);
        phone.sync().await;
        app.click(testid("sync-now")).await?;
        app.wait_for_texts(testid("sync-note"), &["2 changes from the server, 0 sent."])
            .await?;
        app.go_to("contacts").await?;
        app.open_contact("Priya Raman").await?;
        app.wait_for_texts(testid("company"), &["Globex"]).await?;
        app.wait_for(testid("follow-up")).await?;
        let homework = app.text(testid("follow-up")).await?;
        ensure!(homework.contains("Send the deck"), "the follow-up: {homework}");

        // Both change her company: the server's value is kept, and yours can come back.
        app.click(testid("edit-contact")).await?;
        app.fill("Company", "Initech").await?;
        app.click(testid("save-contact")).await?;
        app.wait_for_texts(testid("company"), &["Initech"]).await?;
        phone.edit("Priya Raman", |c| c.company = Some("Hooli".into()));
        phone.sync().await;
        app.go_to("settings").await?;
        app.click(testid("sync-now")).await?;
        app.wait_for_texts(
            testid("sync-conflict"),
            &["Priya Raman: company the server’s “Hooli” was kept; yours was “Initech” Use mine Keep the server’s"],
        )
        .await?;
        app.screenshot("conflict").await?;
        app.click(testid("sync-conflict-mine")).await?;
        app.wait_for_texts(testid("sync-conflict"), &[]).await?;
        app.click(testid("sync-now")).await?;
        app.wait_for_texts(testid("sync-note"), &["0 changes from the server, 1 sent."])
            .await?;
        phone.sync().await;
        let company = phone
            .store
            .get_contact(phone.id("Priya Raman"))?
            .company
            .unwrap_or_default();
        ensure!(company == "Initech", "on the phone: {company}");
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
