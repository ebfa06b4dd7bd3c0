//! Journeys over the connection history: log a touch (delete it and undo), do your homework
//! and tell them, jump to anyone with Ctrl+K, archive and undo.

use kith_e2e::{ensure, testid, App, Bus, BusChoice, TestEnv, TestResult};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

/// The id of the element that has the focus ("" for none).
async fn focused_id(app: &App) -> TestResult<String> {
    let id = app
        .driver()
        .execute(
            "return document.activeElement ? document.activeElement.id : '';",
            vec![],
        )
        .await?;
    Ok(id.json().as_str().unwrap_or_default().to_owned())
}

/// The test id of the element that has the focus ("" for none).
async fn focused_testid(app: &App) -> TestResult<String> {
    let id = app
        .driver()
        .execute(
            "const el = document.activeElement; return (el && el.dataset && el.dataset.testid) || '';",
            vec![],
        )
        .await?;
    Ok(id.json().as_str().unwrap_or_default().to_owned())
}

async fn launch(name: &str) -> TestResult<(TestEnv, Bus, App)> {
    let env = TestEnv::new(name)?;
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    Ok((env, bus, app))
}

#[tokio::test]
async fn logging_a_coffee_shows_in_the_timeline_and_moves_the_due_date() -> TestResult {
    let (env, _bus, app) = launch("log-coffee").await?;
    let outcome = async {
        app.add_contact(
            "Marta Silva",
            &["marta@work.example", "marta@home.example"],
            "former colleague",
        )
        .await?;
        let page = app.text(testid("contact-page")).await?;
        ensure!(
            page.contains("marta@work.example") && page.contains("marta@home.example"),
            "both emails should show: {page:?}"
        );
        app.wait_for_texts(testid("tag"), &["former colleague"])
            .await?;
        app.wait_for_texts(testid("next-due"), &["Next touch in 90 days"])
            .await?;

        app.click(testid("log-interaction")).await?;
        let kind = app.wait_for(By::Id("log-kind")).await?;
        SelectElement::new(&kind)
            .await?
            .select_by_value("coffee")
            .await?;
        let ten_days_ago = chrono::Local::now() - chrono::Duration::days(10);
        app.set_value(
            "log-when",
            &ten_days_ago.format("%Y-%m-%dT%H:%M").to_string(),
        )
        .await?;
        app.fill("Notes", "Talked about her move to the Lisbon office")
            .await?;
        app.click(testid("save-interaction")).await?;

        app.wait_for_texts(testid("timeline-kind"), &["Coffee"])
            .await?;
        app.wait_for_texts(
            testid("timeline-notes"),
            &["Talked about her move to the Lisbon office"],
        )
        .await?;
        app.wait_for_texts(testid("next-due"), &["Next touch in 80 days"])
            .await?;
        app.wait_for_texts(testid("last-touch"), &["Last touch 10 days ago"])
            .await?;
        app.screenshot("contact-page").await?;

        // A follow-up that came out of the coffee (tied to it from the command line's side
        // of the store), then the coffee deleted and undone: the same touch comes back, the
        // follow-up still tied to it.
        let (coffee, follow_up) = {
            let mut store = kith_core::Store::open_in(env.data_dir())?;
            let marta = store.list_contacts(chrono::Utc::now())?[0].id;
            let coffee = store.timeline(marta, 10)?[0].clone();
            let follow_up = store.add_follow_up(
                kith_core::history::FollowUpInput {
                    contact_id: marta,
                    interaction_id: Some(coffee.id),
                    title: "Send her the Lisbon office plans".into(),
                    due_on: None,
                },
                chrono::Utc::now(),
            )?;
            (coffee, follow_up.id)
        };
        app.click(By::Css(
            "[aria-label='Delete this coffee from the history']",
        ))
        .await?;
        app.wait_for(testid("undo-delete")).await?;
        app.wait_for_texts(testid("timeline-kind"), &[]).await?;
        app.click(testid("undo-delete")).await?;
        app.wait_for_texts(testid("timeline-kind"), &["Coffee"])
            .await?;
        app.wait_for_texts(testid("last-touch"), &["Last touch 10 days ago"])
            .await?;
        let store = kith_core::Store::open_in(env.data_dir())?;
        let back = store.get_interaction(coffee.id)?;
        ensure!(
            back == coffee,
            "the same touch back: {back:?}, was {coffee:?}"
        );
        let tied = store.get_follow_up(follow_up)?.interaction_id;
        ensure!(
            tied == Some(coffee.id),
            "the follow-up still tied to the coffee: {tied:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await?;

    let store = kith_core::Store::open_in(env.data_dir())?;
    let list = store.list_contacts(chrono::Utc::now())?;
    ensure!(
        list.len() == 1,
        "one contact expected, found {}",
        list.len()
    );
    let timeline = store.timeline(list[0].id, 10)?;
    ensure!(timeline.len() == 1, "one interaction expected");
    Ok(())
}

#[tokio::test]
async fn completing_homework_offers_to_let_them_know() -> TestResult {
    let (_env, _bus, app) = launch("homework").await?;
    let outcome = async {
        app.add_contact("Dev Patel", &[], "").await?;
        app.fill("New follow-up", "Send him the article on platform teams")
            .await?;
        app.click(testid("add-follow-up")).await?;
        app.wait_for_texts(
            testid("follow-up"),
            &["Send him the article on platform teams"],
        )
        .await?;
        app.click(By::XPath(
            "//*[@data-testid='follow-up']//input[@type='checkbox']",
        ))
        .await?;
        app.wait_for(testid("loop-back")).await?;
        app.screenshot("loop-back").await?;
        app.click(testid("let-them-know")).await?;
        app.wait_for_texts(testid("timeline-kind"), &["Message"])
            .await?;
        app.wait_for_texts(
            testid("timeline-notes"),
            &["Let them know: Send him the article on platform teams"],
        )
        .await?;
        app.wait_for_texts(
            testid("follow-up-done"),
            &["Send him the article on platform teams"],
        )
        .await?;

        // Remind me to call him on the first Monday of each month.
        app.set_value("rem-date", "2030-12-02").await?;
        app.set_value("rem-time", "10:00").await?;
        let repeat = app.wait_for(By::Id("rem-repeat")).await?;
        SelectElement::new(&repeat)
            .await?
            .select_by_value("monthlyOnWeekday")
            .await?;
        app.click(testid("add-reminder")).await?;
        app.wait_for_texts(
            testid("reminder"),
            &["Call Dev Patel every first Monday at 10:00"],
        )
        .await?;
        app.screenshot("reminder").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn ctrl_k_jumps_to_a_contact_and_archive_can_be_undone() -> TestResult {
    let (_env, _bus, app) = launch("palette-archive").await?;
    let outcome = async {
        app.add_contact("Priya Raman", &["priya@acme.example"], "")
            .await?;
        app.add_contact("Ana Lima", &[], "").await?;

        // Ctrl+K, part of a name, Enter.
        app.wait_for(By::Tag("body"))
            .await?
            .send_keys(Key::Control + "k")
            .await?;
        let input = app.wait_for(testid("palette-input")).await?;
        input.send_keys("pri").await?;
        let first = app.text(testid("palette-result")).await?;
        ensure!(
            first.contains("Priya Raman"),
            "the palette offers {first:?}"
        );
        app.wait_for_texts(testid("palette-count"), &["1 person matches"])
            .await?;
        input.send_keys(Key::Enter).await?;
        app.wait_for_texts(testid("detail-name"), &["Priya Raman"])
            .await?;
        ensure!(
            app.all(testid("palette")).await?.is_empty(),
            "the palette should close after choosing"
        );

        // Archive, then undo.
        app.click(testid("archive-contact")).await?;
        app.wait_for(testid("toast")).await?;
        app.wait_for_texts(testid("contact-name"), &["Ana Lima"])
            .await?;
        app.click(testid("undo")).await?;
        app.wait_for_texts(testid("contact-name"), &["Ana Lima", "Priya Raman"])
            .await?;
        app.wait_for_texts(testid("detail-name"), &["Priya Raman"])
            .await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn slash_focuses_search_and_typing_filters_the_list() -> TestResult {
    let (_env, _bus, app) = launch("search").await?;
    let outcome = async {
        app.add_contact("José Álvarez", &[], "").await?;
        app.add_contact("Joanna Smith", &[], "").await?;
        app.add_contact("Kim Park", &[], "").await?;
        app.wait_for(By::Tag("body")).await?.click().await?;
        app.wait_for(By::Tag("body")).await?.send_keys("/").await?;
        let search = app.wait_for(By::Id("contact-search")).await?;
        let focused = app.driver().active_element().await?.attr("id").await?;
        ensure!(
            focused.as_deref() == Some("contact-search"),
            "the search field should have the focus after /, not {focused:?}"
        );
        search.send_keys("jose").await?;
        app.wait_for_texts(testid("contact-name"), &["José Álvarez"])
            .await?;
        search.clear().await?;
        search.send_keys("jo").await?;
        app.wait_for_texts(testid("contact-name"), &["Joanna Smith", "José Álvarez"])
            .await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn one_meeting_with_two_people_counts_for_both_and_tags_filter_the_list() -> TestResult {
    let (_env, _bus, app) = launch("shared-meeting").await?;
    let outcome = async {
        // Priya with her role and company, which the people picker shows beside her name.
        app.click(testid("add-contact")).await?;
        app.fill("Name", "Priya Raman").await?;
        app.fill("Role", "Staff engineer").await?;
        app.fill("Company", "Acme").await?;
        app.fill("Tags", "mentor").await?;
        app.click(testid("save-contact")).await?;
        app.wait_for_texts(testid("detail-name"), &["Priya Raman"])
            .await?;
        app.add_contact("Ana Lima", &[], "").await?;

        app.click(testid("log-interaction")).await?;
        let kind = app.wait_for(By::Id("log-kind")).await?;
        SelectElement::new(&kind)
            .await?
            .select_by_value("meeting")
            .await?;
        let note = "Planned the Lisbon meetup.\nShe sends the slides on Friday.";
        // Two lines (WebDriver types a newline as Enter).
        app.fill("Notes", "Planned the Lisbon meetup.").await?;
        app.press(Key::Enter).await?;
        app.press("She sends the slides on Friday.").await?;
        // Escape in the date field's calendar closes the calendar, and only it.
        app.click(By::Id("log-when")).await?;
        app.press(Key::Escape).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        ensure!(
            app.all(testid("discard-question")).await?.is_empty(),
            "Escape in the calendar asked to discard the note"
        );
        app.fill("With", "pri").await?;
        app.wait_for_texts(testid("log-suggestion-detail"), &["Staff engineer · Acme"])
            .await?;
        app.axe_in_both_themes("suggestions open", "suggestions")
            .await?;

        // Escape closes the suggestions, and only them: the note is still there.
        app.press(Key::Escape).await?;
        app.wait_until_texts(testid("log-suggestion"), "the suggestions closed", |t| {
            t.is_empty()
        })
        .await?;
        ensure!(
            app.all(testid("log-form")).await?.len() == 1,
            "Escape in the people picker closed the whole form"
        );
        let kept = app
            .wait_for(By::Id("log-notes"))
            .await?
            .prop("value")
            .await?;
        ensure!(
            kept.as_deref() == Some(note),
            "the note after Escape: {kept:?}"
        );
        // The next Escape asks before the note goes; Escape again keeps editing.
        app.press(Key::Escape).await?;
        app.wait_until_texts(testid("discard-question"), "Discard your note?", |t| {
            t.len() == 1 && t[0].starts_with("Discard your note?")
        })
        .await?;
        app.screenshot("discard-question").await?;
        app.press(Key::Escape).await?;
        app.wait_until_texts(testid("discard-question"), "the question gone", |t| {
            t.is_empty()
        })
        .await?;
        ensure!(
            focused_id(&app).await? == "log-who",
            "Keep editing goes back to the picker"
        );
        // Enter shows the suggestions again rather than sending a half-typed name.
        app.press(Key::Enter).await?;
        app.click(testid("log-suggestion")).await?;
        app.wait_for_texts(testid("log-person"), &["Ana Lima", "Priya Raman ✕"])
            .await?;
        app.click(testid("save-interaction")).await?;
        app.wait_for_texts(testid("timeline-kind"), &["Meeting"])
            .await?;
        app.wait_for_texts(testid("timeline-notes"), &[note])
            .await?;

        // A note thrown away from the keyboard: asked, Tab to Discard, and the focus is back
        // on the button that opened the form.
        app.click(testid("log-interaction")).await?;
        app.fill("Notes", "Half a thought").await?;
        app.press(Key::Escape).await?;
        app.wait_for(testid("discard-question")).await?;
        app.press(Key::Tab).await?;
        app.press(Key::Enter).await?;
        app.wait_until_texts(testid("log-form"), "the form closed", |t| t.is_empty())
            .await?;
        let mut on = String::new();
        for _ in 0..40 {
            on = focused_testid(&app).await?;
            if on == "log-interaction" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ensure!(
            on == "log-interaction",
            "after Discard the focus is on {on:?}, not on Log interaction"
        );

        app.open_contact("Priya Raman").await?;
        app.wait_for_texts(testid("timeline-kind"), &["Meeting"])
            .await?;
        app.wait_for_texts(testid("last-touch"), &["Last touch today"])
            .await?;

        // A tag on the page filters the list to everyone who has it.
        app.click(testid("tag")).await?;
        app.wait_for(testid("tag-filter")).await?;
        app.wait_for_texts(testid("contact-name"), &["Priya Raman"])
            .await?;
        app.click(testid("tag-filter")).await?;
        app.wait_for_texts(testid("contact-name"), &["Ana Lima", "Priya Raman"])
            .await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn an_archived_contact_is_deleted_for_good_only_after_a_second_click() -> TestResult {
    let (env, _bus, app) = launch("purge").await?;
    let outcome = async {
        app.add_contact("Old Acquaintance", &["old@example.org"], "")
            .await?;
        app.click(testid("archive-contact")).await?;
        app.wait_for(testid("toast")).await?;
        app.click(testid("nav-settings")).await?;
        let row = app.text(testid("archived-row")).await?;
        ensure!(
            row.contains("Old Acquaintance"),
            "archived list shows {row:?}"
        );
        app.click(testid("purge")).await?;
        app.wait_for_texts(testid("purge"), &["Delete for good?"])
            .await?;
        app.screenshot("confirm-purge").await?;
        app.click(testid("purge")).await?;
        app.wait_for_texts(testid("archived-row"), &[]).await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await?;
    let store = kith_core::Store::open_in(env.data_dir())?;
    ensure!(
        store.list_archived(chrono::Utc::now())?.is_empty() && store.get_contact(1).is_err(),
        "the contact should be gone for good"
    );
    Ok(())
}
