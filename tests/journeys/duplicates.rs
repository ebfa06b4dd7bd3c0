//! Journey: Priya is in Kith twice (a second import spelt her "Priya R."). Contacts → Find
//! duplicates lists the pair by their shared email; comparing them shows what the kept one
//! gains and where they differ; merging with the other's company taken leaves one Priya
//! with both histories and the follow-up; Undo gives the second one back; "Not the same
//! person" takes a pair off the list; two people Kith cannot tie together are chosen by hand
//! and merged, and that merge is undone later from Settings → Merges. Marcus is in twice
//! too, with his work email in one record and his personal one in the other: a "maybe"
//! below the sure pairs, saying why, and comparing shows what tells the two apart (emails,
//! birthday, last touch, touches); Maria, at his company with his tag, is no one's double.

use chrono::{Duration, Utc};
use kith_core::history::{FollowUpInput, InteractionKind};
use kith_core::testing::person;
use kith_e2e::{ensure, testid, App, BusChoice, TestEnv, TestResult};
use thirtyfour::By;

/// Waits until the list of likely pairs shows exactly one pair starting with each of
/// `first`, in order; answers the pairs' texts.
async fn pairs(app: &App, first: &[&str]) -> TestResult<Vec<String>> {
    app.wait_until_texts(
        testid("duplicate-pair"),
        &format!("pairs of {first:?}"),
        |t| t.len() == first.len() && t.iter().zip(first).all(|(t, f)| t.starts_with(f)),
    )
    .await
}

#[tokio::test]
async fn a_person_entered_twice_is_found_merged_field_by_field_and_the_merge_undone() -> TestResult
{
    let env = TestEnv::new("duplicates")?;
    {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        let now = Utc::now();
        person("Priya Raman")
            .company("Acme")
            .email("priya@acme.example")
            .touched(InteractionKind::Coffee, now - Duration::days(60))
            .touched(InteractionKind::Call, now - Duration::days(20))
            .add(&mut store, now - Duration::days(300))?;
        let second = person("Priya R.")
            .company("Globex")
            .email("PRIYA@acme.example")
            .email("priya@home.example")
            .touched(InteractionKind::Meeting, now - Duration::days(5))
            .add(&mut store, now - Duration::days(10))?;
        store.add_follow_up(
            FollowUpInput {
                contact_id: second,
                interaction_id: None,
                title: "Send the slides".into(),
                due_on: Some((now + Duration::days(3)).date_naive()),
            },
            now,
        )?;
        person("Jonas Berg").add(&mut store, now - Duration::days(100))?;
        person("Jonas Brg").add(&mut store, now - Duration::days(90))?;
        // One man by two names Kith cannot tie together.
        person("Robert Okafor")
            .company("Initech")
            .add(&mut store, now - Duration::days(200))?;
        person("Bob Okafor")
            .email("bob@okafor.example")
            .add(&mut store, now - Duration::days(50))?;
        // One man with a work email in one record and a personal one in the other.
        person("Marcus Johnson")
            .company("Acme")
            .tags(&["former colleague"])
            .email("marcus.johnson@acme.example")
            .touched(InteractionKind::Call, now - Duration::days(40))
            .touched(InteractionKind::Coffee, now - Duration::days(12))
            .add(&mut store, now - Duration::days(400))?;
        person("Marcus Jonson")
            .company("ACME")
            .tags(&["former colleague"])
            .email("marcus.j@gmail.example")
            .birthday(4, 17)
            .add(&mut store, now - Duration::days(30))?;
        person("Maria Johnson")
            .company("Acme")
            .tags(&["former colleague"])
            .email("maria.johnson@acme.example")
            .add(&mut store, now - Duration::days(30))?;
    }
    let app = env.launch(BusChoice::None).await?;
    let outcome = async {
        app.go_to("contacts").await?;
        app.click(testid("find-duplicates")).await?;
        let found = pairs(&app, &["Priya Raman", "Jonas Berg", "Marcus Johnson"]).await?;
        ensure!(
            found[0].contains("same email priya@acme.example"),
            "the strongest pair first, with why: {found:?}"
        );
        ensure!(found[1].contains("similar names"), "pairs: {found:?}");
        ensure!(
            found[2].contains("Marcus Jonson")
                && found[2].contains("similar names, same company, same tag"),
            "Marcus's two records are a maybe, with why: {found:?}"
        );
        let maybe = app
            .texts(By::Css(
                "[data-testid='duplicates-maybe'] [data-testid='duplicate-pair']",
            ))
            .await?;
        ensure!(
            maybe.len() == 1 && maybe[0].starts_with("Marcus Johnson"),
            "the maybe is listed apart, below the sure pairs: {maybe:?}"
        );
        app.screenshot("pairs").await?;

        // Comparing Marcus with Marcus shows what tells two people apart.
        app.all(testid("duplicate-compare")).await?[2]
            .click()
            .await?;
        let keep = app
            .wait_until_texts(testid("merge-keep"), "Marcus Johnson kept", |t| {
                t.len() == 1 && t[0].contains("Marcus Johnson")
            })
            .await?;
        let other = app.text(testid("merge-other")).await?;
        let touches = app.texts(testid("merge-touches")).await?;
        let last = app.texts(testid("merge-last-touch")).await?;
        let birthdays = app.texts(testid("merge-birthday")).await?;
        ensure!(
            keep[0].contains("marcus.johnson@acme.example")
                && other.contains("marcus.j@gmail.example"),
            "both sides' emails: {keep:?} / {other}"
        );
        ensure!(touches == ["2", "0"], "touches of both: {touches:?}");
        ensure!(
            last == ["12 days ago", "never"],
            "last touch of both: {last:?}"
        );
        ensure!(
            birthdays[0] == "—" && birthdays[1].contains("17"),
            "birthdays: {birthdays:?}"
        );
        app.screenshot("compare-maybe").await?;
        app.click(testid("merge-back")).await?;
        pairs(&app, &["Priya Raman", "Jonas Berg", "Marcus Johnson"]).await?;

        // Compare: Priya Raman (the longer history) is kept; she gains the home email; name
        // and company differ; the meeting and the follow-up move.
        app.click(testid("duplicate-compare")).await?;
        app.wait_until_texts(testid("merge-keep"), "Priya Raman kept", |t| {
            t.len() == 1 && t[0].contains("Priya Raman") && t[0].contains("kept")
        })
        .await?;
        let moves = app.text(testid("merge-moves")).await?;
        ensure!(
            moves.contains("1 touch") && moves.contains("1 follow-up"),
            "moves: {moves}"
        );
        let text = app.text(testid("duplicates")).await?;
        ensure!(
            text.contains("priya@home.example") && text.contains("use “Globex”"),
            "the merge view: {text}"
        );
        app.click(testid("merge-take-company")).await?;
        app.screenshot("compare").await?;
        app.click(testid("merge-confirm")).await?;

        // One Priya, with Globex, three touches and the follow-up; the list shows one pair.
        let said = "Priya R. was merged into Priya Raman.";
        app.wait_until_texts(testid("toast"), said, |t| {
            t.len() == 1 && t[0].contains(said)
        })
        .await?;
        pairs(&app, &["Jonas Berg", "Marcus Johnson"]).await?;
        let names = app.texts(testid("contact-name")).await?;
        ensure!(
            names.iter().filter(|n| n.starts_with("Priya")).count() == 1,
            "one Priya: {names:?}"
        );
        app.open_contact("Priya Raman").await?;
        app.wait_for_texts(testid("timeline-kind"), &["Meeting", "Call", "Coffee"])
            .await?;
        app.wait_until_texts(testid("follow-up"), "the slides", |t| {
            t.len() == 1 && t[0].contains("Send the slides")
        })
        .await?;
        let page = app.text(testid("contact-page")).await?;
        ensure!(
            page.contains("Globex") && page.contains("priya@home.example"),
            "the merged contact: {page}"
        );
        app.screenshot("merged").await?;

        // Undo: Priya R. is back with her meeting; Priya Raman has her own two touches.
        app.click(testid("undo")).await?;
        app.wait_for_texts(
            testid("contact-name"),
            &[
                "Bob Okafor",
                "Jonas Berg",
                "Jonas Brg",
                "Marcus Johnson",
                "Marcus Jonson",
                "Maria Johnson",
                "Priya R.",
                "Priya Raman",
                "Robert Okafor",
            ],
        )
        .await?;
        app.wait_for_texts(testid("timeline-kind"), &["Meeting"])
            .await?;
        let page = app.text(testid("contact-page")).await?;
        ensure!(
            page.contains("Priya R.") && page.contains("Send the slides"),
            "the contact given back: {page}"
        );

        // The Jonases are two people: they leave the list.
        app.click(testid("find-duplicates")).await?;
        pairs(&app, &["Priya Raman", "Jonas Berg", "Marcus Johnson"]).await?;
        let compare = app.all(testid("duplicate-compare")).await?;
        ensure!(compare.len() == 3, "three pairs again");
        compare[1].click().await?;
        app.click(testid("merge-two-people")).await?;
        pairs(&app, &["Priya Raman", "Marcus Johnson"]).await?;

        // Robert and Bob share nothing Kith can see: the user chooses both by hand.
        for name in ["Robert", "Bob"] {
            app.wait_for(By::Id("merge-by-hand"))
                .await?
                .send_keys(name)
                .await?;
            app.click(testid("merge-pick-suggestion")).await?;
        }
        app.wait_until_texts(testid("merge-pick-person"), "both chosen", |t| t.len() == 2)
            .await?;
        app.screenshot("by-hand").await?;
        app.click(testid("merge-pick-compare")).await?;
        app.wait_until_texts(testid("merge-keep"), "Robert Okafor kept", |t| {
            t.len() == 1 && t[0].contains("Robert Okafor")
        })
        .await?;
        app.click(testid("merge-confirm")).await?;
        let said = "Bob Okafor was merged into Robert Okafor.";
        app.wait_until_texts(testid("toast"), said, |t| {
            t.len() == 1 && t[0].contains(said)
        })
        .await?;
        app.open_contact("Robert Okafor").await?;
        let page = app.text(testid("contact-page")).await?;
        ensure!(
            page.contains("Initech") && page.contains("bob@okafor.example"),
            "Robert with Bob's email: {page}"
        );

        // Later, from Settings → Merges: both merges are listed; Bob's is undone there.
        app.go_to("settings").await?;
        let rows = app
            .wait_until_texts(testid("merge-row"), "two merges", |t| t.len() == 2)
            .await?;
        ensure!(
            rows[0].contains("Bob Okafor into Robert Okafor")
                && rows[1].contains("Priya R. into Priya Raman")
                && rows[1].contains("Undone"),
            "merges listed: {rows:?}"
        );
        app.wait_for(testid("merges"))
            .await?
            .scroll_into_view()
            .await?;
        app.screenshot("settings-merges").await?;
        app.click(testid("merge-row-undo")).await?;
        app.wait_until_texts(testid("merge-row"), "Bob's merge undone", |t| {
            t.len() == 2 && t.iter().all(|r| r.contains("Undone"))
        })
        .await?;
        app.go_to("contacts").await?;
        app.wait_until_texts(testid("contact-name"), "Bob back", |t| {
            t.iter().any(|n| n == "Bob Okafor")
        })
        .await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
