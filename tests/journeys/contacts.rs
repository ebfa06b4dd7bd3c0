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

        // Circle, "Keep in touch every … days" and Prefers: three inputs on one line at the
        // window's default size and narrower, stacked in the narrowest, in both themes.
        for width in [1200, 1000, 880] {
            app.driver().set_window_rect(0, 0, width, 780).await?;
            let boxes = app
                .driver()
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     requestAnimationFrame(() => requestAnimationFrame(() => done(
                       ['cf-circle', 'cf-cadence', 'cf-channel'].map((id) => {
                         const r = document.getElementById(id).getBoundingClientRect();
                         return [r.left, r.top, r.bottom];
                       }))));",
                    vec![],
                )
                .await?;
            let boxes: Vec<[f64; 3]> = serde_json::from_value(boxes.json().clone())?;
            ensure!(boxes.len() == 3, "three inputs expected: {boxes:?}");
            let tops: Vec<f64> = boxes.iter().map(|b| b[1]).collect();
            let spread = tops.iter().cloned().fold(f64::MIN, f64::max)
                - tops.iter().cloned().fold(f64::MAX, f64::min);
            let in_line = spread < 1.0;
            // Too narrow for three side by side, they stack: one below the other, aligned left.
            let stacked = boxes
                .windows(2)
                .all(|w| (w[0][0] - w[1][0]).abs() < 1.0 && w[1][1] >= w[0][2]);
            ensure!(
                in_line || (width < 1200 && stacked),
                "at {width} px the inputs (left, top, bottom) are {boxes:?}"
            );
            for theme in ["light", "dark"] {
                app.show_theme(theme).await?;
                app.wait_for(By::Id("cf-cadence"))
                    .await?
                    .scroll_into_view()
                    .await?;
                app.screenshot(&format!("rhythm-{width}-{theme}")).await?;
            }
        }
        app.show_theme("light").await?;
        app.driver().set_window_rect(0, 0, 1200, 780).await?;

        // Escape in the time zone's list closes the list, not the half-filled contact.
        app.fill("Time zone", "lisb").await?;
        app.wait_for_texts(testid("cf-tz-option"), &["Europe/Lisbon"])
            .await?;
        // (The pointer, left where the Save button was, rests on the field rather than on a
        // button that shows its hover colours.)
        let zone = app.wait_for(By::Id("cf-tz")).await?;
        app.driver()
            .action_chain()
            .move_to_element_center(&zone)
            .perform()
            .await?;
        let found = app.axe().await?;
        ensure!(found.is_empty(), "axe, the time zone's list open: {found:?}");
        app.press(Key::Escape).await?;
        app.wait_for_texts(testid("cf-tz-option"), &[]).await?;
        ensure!(
            app.all(testid("contact-form")).await?.len() == 1,
            "Escape in the time zone's list closed the form"
        );
        // The next asks; Keep editing keeps all that was typed.
        app.press(Key::Escape).await?;
        app.wait_until_texts(
            testid("discard-question"),
            "Discard this new contact?",
            |t| t.len() == 1 && t[0].starts_with("Discard this new contact?"),
        )
        .await?;
        app.axe_in_both_themes("the question asked", "discard")
            .await?;
        app.click(testid("discard-question-keep")).await?;
        let email = app
            .wait_for(By::Css("[aria-label='Email 1']"))
            .await?
            .prop("value")
            .await?;
        ensure!(
            email.as_deref() == Some("someone@example.org"),
            "the email after Keep editing: {email:?}"
        );
        // Discard: the form goes and the focus is back on "Add contact".
        app.press(Key::Escape).await?;
        app.click(testid("discard-question-discard")).await?;
        app.wait_for_texts(testid("contact-form"), &[]).await?;
        let mut on = String::new();
        for _ in 0..40 {
            let found = app
                .driver()
                .execute(
                    "const el = document.activeElement; return (el && el.dataset && el.dataset.testid) || '';",
                    vec![],
                )
                .await?;
            on = found.json().as_str().unwrap_or_default().to_owned();
            if on == "add-contact" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ensure!(
            on == "add-contact",
            "after Discard the focus is on {on:?}"
        );
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

/// Chooses the option with `value` in the select with this id, as a click would.
async fn choose(app: &App, id: &str, value: &str) -> TestResult {
    let select = app.wait_for(By::Id(id)).await?;
    thirtyfour::components::SelectElement::new(&select)
        .await?
        .select_by_value(value)
        .await?;
    Ok(())
}

/// What has the focus: its id, else its test id, else its tag name.
async fn focused(app: &App) -> TestResult<String> {
    let on = app
        .driver()
        .execute(
            "const el = document.activeElement;
             return el ? (el.id || (el.dataset && el.dataset.testid) || el.tagName) : '';",
            vec![],
        )
        .await?;
    Ok(on.json().as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn the_list_is_one_tab_stop_sorts_narrows_and_changes_several_people_at_once() -> TestResult {
    use kith_core::history::InteractionKind;
    use kith_core::model::Circle;
    use kith_core::search::ContactQuery;
    use kith_core::testing::person;

    let env = TestEnv::new("list-keyboard-bulk")?;
    let added = chrono::Utc::now() - chrono::Duration::days(60);
    {
        let mut store = kith_core::Store::open_in(env.data_dir())?;
        person("Ana Lima")
            .circle(Circle::Close)
            .touched(InteractionKind::Call, added + chrono::Duration::days(50))
            .add(&mut store, added)?;
        // Imported connections nobody has touched yet.
        for name in ["Ben Okafor", "Chen Wei", "Eli Park", "Fay Ng"] {
            person(name)
                .touched(InteractionKind::Connected, added)
                .add(&mut store, added)?;
        }
        person("Dana Cruz").tags(&["Rust"]).add(&mut store, added)?;
    }
    let everyone = [
        "Ana Lima",
        "Ben Okafor",
        "Chen Wei",
        "Dana Cruz",
        "Eli Park",
        "Fay Ng",
    ];
    let bus = Bus::start()?;
    let app = env.launch(BusChoice::Private(&bus)).await?;
    app.go_to("contacts").await?;
    let outcome = async {
        app.wait_for_texts(testid("contact-name"), &everyone).await?;
        app.wait_for_texts(testid("match-count"), &["6 people"])
            .await?;
        let found = app.axe().await?;
        ensure!(found.is_empty(), "axe, the list: {found:?}");

        // From the search field, Tab reaches the list in a few presses, and the next Tab
        // leaves it: one stop for everyone in it.
        app.click(By::Id("contact-search")).await?;
        let presses = app.tab_to("[role=listbox]").await?;
        ensure!(presses <= 8, "{presses} Tabs from the search to the list");
        app.press(Key::Tab).await?;
        let after = focused(&app).await?;
        ensure!(
            after != "contact-list" && !after.starts_with("contact-option"),
            "a second Tab stayed in the list ({after})"
        );
        app.driver()
            .action_chain()
            .key_down(Key::Shift)
            .send_keys(Key::Tab)
            .key_up(Key::Shift)
            .perform()
            .await?;
        ensure!(
            focused(&app).await? == "contact-list",
            "Shift+Tab did not come back to the list"
        );

        // ↓ ↓ Enter: the third person opens and their heading has the focus.
        app.press(Key::Down).await?;
        app.press(Key::Down).await?;
        app.press(Key::Enter).await?;
        app.wait_for_texts(testid("detail-name"), &["Chen Wei"])
            .await?;
        let mut on = String::new();
        for _ in 0..40 {
            on = focused(&app).await?;
            if on == "contact-page-name" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ensure!(on == "contact-page-name", "after Enter the focus is on {on}");
        app.screenshot("opened-by-keyboard").await?;

        // Sorted by last touch: the one person touched comes first.
        choose(&app, "contact-sort", "lastTouch").await?;
        app.wait_until_texts(testid("contact-name"), "Ana Lima first", |t| {
            t.len() == 6 && t[0] == "Ana Lima"
        })
        .await?;
        // Narrowed to the people kept up with: what the core says they are, counted.
        choose(&app, "filter-kept", "yes").await?;
        let kept: Vec<String> = kith_core::Store::open_in(env.data_dir())?
            .search_contacts(
                &ContactQuery {
                    kept: Some(true),
                    sort: Some(kith_core::search::ContactSort::LastTouch),
                    ..Default::default()
                },
                chrono::Utc::now(),
            )?
            .into_iter()
            .map(|c| c.display_name)
            .collect();
        ensure!(
            kept.len() < 6 && kept.first().map(String::as_str) == Some("Ana Lima"),
            "the core keeps {kept:?}"
        );
        let kept: Vec<&str> = kept.iter().map(String::as_str).collect();
        app.wait_for_texts(testid("contact-name"), &kept).await?;
        let said = format!("{} of 6 people", kept.len());
        app.wait_for_texts(testid("match-count"), &[&said]).await?;
        choose(&app, "filter-kept", "").await?;
        // By a tag, from the toolbar.
        choose(&app, "filter-tag", "Rust").await?;
        app.wait_for_texts(testid("contact-name"), &["Dana Cruz"])
            .await?;
        app.wait_for_texts(testid("match-count"), &["1 of 6 people"])
            .await?;
        choose(&app, "filter-tag", "").await?;
        choose(&app, "contact-sort", "").await?;
        app.fill("Search contacts", "e").await?;
        app.wait_until_texts(testid("match-count"), "a count of matches", |t| {
            t.len() == 1 && t[0].ends_with("of 6 match “e”")
        })
        .await?;
        // ↓ in the search field goes on into the matches.
        app.press(Key::Down).await?;
        let on = focused(&app).await?;
        ensure!(on == "contact-list", "↓ from the search went to {on}");
        app.set_value("contact-search", "").await?;
        app.wait_for_texts(testid("contact-name"), &everyone).await?;

        // Several at once: Ben, Chen and Eli chosen with clicks, set to Close in one go.
        app.click(testid("choose-several")).await?;
        for name in ["Ben Okafor", "Chen Wei", "Eli Park"] {
            app.click(By::XPath(format!(
                "//*[@data-testid='contact-row'][.//*[@data-testid='contact-name' and normalize-space()='{name}']]"
            )))
            .await?;
        }
        app.wait_for_texts(testid("chosen-count"), &["3 people"])
            .await?;
        for theme in ["dark", "light"] {
            app.show_theme(theme).await?;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let on = app
                .driver()
                .execute("return document.documentElement.dataset.theme;", vec![])
                .await?;
            ensure!(
                on.json().as_str() == Some(theme),
                "the window is {:?}, not {theme}",
                on.json()
            );
            app.screenshot(&format!("three-chosen-{theme}")).await?;
            let found = app.axe().await?;
            ensure!(found.is_empty(), "axe, {theme}, three chosen: {found:?}");
        }
        choose(&app, "bulk-field", "circle").await?;
        choose(&app, "bulk-circle", "close").await?;
        app.click(testid("bulk-apply")).await?;
        app.wait_until_texts(testid("toast"), "the bulk edit's toast", |t| {
            t.len() == 1 && t[0].starts_with("Set circle Close for 3 people.")
        })
        .await?;
        app.screenshot("bulk-done").await?;
        let on = focused(&app).await?;
        ensure!(on == "contact-list", "after Apply the focus is on {on}");
        let circles = |store: &kith_core::Store| -> TestResult<Vec<(String, Circle)>> {
            Ok(store
                .list_contacts(chrono::Utc::now())?
                .into_iter()
                .map(|c| (c.display_name, c.circle))
                .collect())
        };
        let store = kith_core::Store::open_in(env.data_dir())?;
        let now = circles(&store)?;
        ensure!(
            now.iter()
                .filter(|(_, c)| *c == Circle::Close)
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                == ["Ana Lima", "Ben Okafor", "Chen Wei", "Eli Park"],
            "after the bulk edit: {now:?}"
        );

        // Eli is changed from elsewhere meanwhile: Undo puts Ben and Chen back and names Eli.
        let mut store = store;
        let eli = store
            .list_contacts(chrono::Utc::now())?
            .into_iter()
            .find(|c| c.display_name == "Eli Park")
            .ok_or("Eli is not listed")?;
        let mut input = store.get_contact(eli.id)?.to_input();
        input.notes = Some("Moved to Porto".into());
        store.update_contact(eli.id, input, chrono::Utc::now() + chrono::Duration::seconds(2))?;
        app.click(testid("undo")).await?;
        app.wait_until_texts(testid("toast"), "the undo's toast", |t| {
            t.len() == 1
                && t[0].starts_with(
                    "Put back for 2 people; Eli Park was changed since and left as they are.",
                )
        })
        .await?;
        let after = circles(&store)?;
        ensure!(
            after
                .iter()
                .filter(|(_, c)| *c == Circle::Close)
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                == ["Ana Lima", "Eli Park"],
            "after Undo: {after:?}"
        );

        // 834 connections more, imported from elsewhere: End and PageUp reach rows far
        // down, which are rendered and named as the active one.
        let mut store = store;
        for i in 0..834 {
            person(&format!("Zed Connection {i:03}"))
                .touched(InteractionKind::Connected, added)
                .add(&mut store, added)?;
        }
        app.wait_for_texts(testid("match-count"), &["840 people"])
            .await?;
        app.click(By::Id("contact-search")).await?;
        app.press(Key::Down).await?;
        app.press(Key::End).await?;
        let active_name = || async {
            let name = app
                .driver()
                .execute(
                    "const id = document.activeElement.getAttribute('aria-activedescendant');
                     const row = id && document.getElementById(id);
                     return row ? row.querySelector('[data-testid=contact-name]').textContent : '';",
                    vec![],
                )
                .await?;
            TestResult::Ok(name.json().as_str().unwrap_or_default().to_owned())
        };
        let mut name = String::new();
        for _ in 0..40 {
            name = active_name().await?;
            if name == "Zed Connection 833" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ensure!(name == "Zed Connection 833", "after End the active row is {name:?}");
        app.press(Key::PageUp).await?;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let paged = active_name().await?;
        ensure!(
            paged.starts_with("Zed Connection 8") && paged.as_str() < "Zed Connection 830",
            "after PageUp the active row is {paged:?}"
        );
        app.press(Key::Enter).await?;
        app.wait_for_texts(testid("detail-name"), &[&paged]).await?;
        app.screenshot("far-down").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
