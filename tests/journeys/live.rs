//! Journey: the window is always current. With Contacts open and a note half typed on a
//! contact, an import from a terminal brings the new people into the list without a click,
//! and the note is still there.

use chrono::Utc;
use kith_e2e::{ensure, testid, TestEnv, TestResult};
use thirtyfour::prelude::*;

#[tokio::test]
async fn an_import_from_a_terminal_shows_in_the_open_window_and_a_half_typed_note_stays(
) -> TestResult {
    let env = TestEnv::new("live")?;
    {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        kith_core::testing::person("Priya Raman")
            .email("priya@acme.example")
            .add(&mut store, Utc::now())?;
    }
    let app = env.launch(kith_e2e::BusChoice::None).await?;
    let outcome = async {
        app.go_to("contacts").await?;
        app.open_contact("Priya Raman").await?;
        app.click(testid("log-interaction")).await?;
        app.fill("Notes", "Talked about her move to Lisbon, promised")
            .await?;

        let vcf = env.data_dir().join("people.vcf");
        std::fs::write(
            &vcf,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@lima.example\r\nEND:VCARD\r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Park\r\nTEL:+44 20 7946 0018\r\nEND:VCARD\r\n",
        )?;
        let said = env.cli(&["import", &vcf.to_string_lossy()])?;
        ensure!(said.contains('2'), "the import: {said}");

        // No click: the list shows them.
        app.wait_for_texts(
            testid("contact-name"),
            &["Ana Lima", "Jo Park", "Priya Raman"],
        )
        .await?;
        app.screenshot("imported-elsewhere").await?;
        // The half-typed note is as it was, in the form still open.
        let note = app
            .wait_for(By::Id("log-notes"))
            .await?
            .prop("value")
            .await?;
        ensure!(
            note.as_deref() == Some("Talked about her move to Lisbon, promised"),
            "the note: {note:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
