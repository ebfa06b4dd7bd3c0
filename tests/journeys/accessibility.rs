//! Accessibility: axe-core on every screen (and the palette and the import dialog) in the
//! light and the dark theme, on a network as users have one (hundreds of imported
//! connections beside the people kept up with) and in the states that come and go (the
//! "Let them know?" bar, a toast, the palette with results), failing on any serious or
//! critical finding; and the journey of adding a contact, logging a touch and answering Today
//! with the keyboard alone.

use std::fmt::Write as _;

use chrono::{Duration, Utc};
use kith_core::goals::{Audience, GoalInput, GoalKind, GoalStatus, Metric, Period};
use kith_core::history::{FollowUpInput, InteractionInput, InteractionKind};
use kith_core::import::{ImportOptions, ImportSource};
use kith_core::model::Circle;
use kith_core::testing::person;
use kith_e2e::{ensure, testid, App, BusChoice, TestEnv, TestResult};
use thirtyfour::prelude::*;

/// A small network with something on every screen, and Priya's id.
fn seeded(name: &str) -> TestResult<(TestEnv, i64)> {
    let env = TestEnv::new(name)?;
    let mut store = kith_core::Store::open_in(env.data_dir())?;
    let now = Utc::now();
    let priya = person("Priya Raman")
        .company("Acme")
        .email("priya@acme.example")
        .tags(&["former colleague"])
        .add(&mut store, now - Duration::days(200))?;
    person("Marcus Webb").add(&mut store, now - Duration::days(200))?;
    store.log_interaction(
        InteractionInput {
            contact_ids: vec![priya],
            kind: InteractionKind::Coffee,
            occurred_at: now - Duration::days(100),
            direction: None,
            notes: Some("Talked about her move".into()),
        },
        now,
    )?;
    store.add_follow_up(
        FollowUpInput {
            contact_id: priya,
            interaction_id: None,
            title: "Send the deck".into(),
            due_on: Some((now + Duration::days(2)).date_naive()),
        },
        now,
    )?;
    Ok((env, priya))
}

/// The small network, grown as a new user's is: 800 LinkedIn connections imported at once,
/// 40 closer people with rhythms and touches (some due), a goal, a second follow-up and a
/// second pair of duplicates (one pair is merged in each theme).
fn populated(name: &str) -> TestResult<TestEnv> {
    let began = std::time::Instant::now();
    let (env, priya) = seeded(name)?;
    let mut store = kith_core::Store::open_in(env.data_dir())?;
    let now = Utc::now();
    const FIRST: [&str; 30] = [
        "Ana",
        "Ben",
        "Chloé",
        "Dmitri",
        "Elif",
        "Fatima",
        "Gustavo",
        "Hiroshi",
        "Ingrid",
        "Jonas",
        "Kwame",
        "Leila",
        "Mateo",
        "Nadia",
        "Oluwaseun",
        "Paula",
        "Quentin",
        "Rosa",
        "Søren",
        "Tomás",
        "Uma",
        "Vikram",
        "Wen",
        "Ximena",
        "Yusuf",
        "Zofia",
        "Łukasz",
        "Björn",
        "Anaïs",
        "Chidi",
    ];
    const LAST: [&str; 28] = [
        "Smith",
        "García",
        "Kim",
        "Nguyen",
        "Okafor",
        "Rossi",
        "Silva",
        "Bergström",
        "Novák",
        "Ivanova",
        "Haddad",
        "Tanaka",
        "Müller",
        "Kowalski",
        "Mensah",
        "Patel",
        "O'Brien",
        "Dubois",
        "Fernández",
        "Andersen",
        "Chen",
        "Cohen",
        "Yilmaz",
        "Santos",
        "Lindqvist",
        "Moreau",
        "Nakamura",
        "Adeyemi",
    ];
    const COMPANIES: [&str; 6] = ["Globex", "Initech", "Wise", "Canonical", "SAP", "Ørsted"];
    let mut csv = String::from(
        "Notes:\r\n\"Exported from LinkedIn\"\r\n\r\n\
         First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n",
    );
    for i in 0..800 {
        let (first, last) = (FIRST[i % 30], LAST[i / 30]);
        let company = COMPANIES[i % COMPANIES.len()];
        let on = (now - Duration::days(3 + i as i64 * 2)).format("%d %b %Y");
        writeln!(
            csv,
            "{first},{last},https://www.linkedin.com/in/p{i},,{company},Engineer,{on}\r"
        )?;
    }
    let source = ImportSource::read("Connections.csv", csv.as_bytes(), None)?;
    store.import(&source, &ImportOptions::default(), &[], now)?;
    for i in 0..40 {
        let mut who = person(&format!("{} Kept {}", FIRST[i % 30], LAST[27 - i % 28]))
            .circle(if i < 10 {
                Circle::Close
            } else {
                Circle::Network
            })
            .tags(&["former colleague"])
            .company("Acme")
            .cadence(30);
        if i % 3 != 0 {
            who = who.touched(
                InteractionKind::Call,
                now - Duration::days(10 + i as i64 * 2),
            );
        }
        who.add(&mut store, now - Duration::days(300))?;
    }
    person("Dana Reyes").add(&mut store, now - Duration::days(90))?;
    person("Dana Reyes")
        .email("dana@home.example")
        .add(&mut store, now - Duration::days(30))?;
    store.add_follow_up(
        FollowUpInput {
            contact_id: priya,
            interaction_id: None,
            title: "Introduce her to Marcus".into(),
            due_on: None,
        },
        now,
    )?;
    store.add_goal(
        GoalInput {
            kind: GoalKind::ReconnectColleagues,
            title: "Reconnect with former colleagues".into(),
            why: String::new(),
            metric: Metric::DistinctContactsReached,
            target: 10,
            period: Period::Monthly,
            deadline: None,
            audience: Audience {
                tags: vec!["former colleague".into()],
                ..Audience::default()
            },
            start_date: (now - Duration::days(60)).date_naive(),
            status: GoalStatus::Active,
        },
        now,
    )?;
    eprintln!(
        "[{name}] seeded {} contacts in {} ms",
        store.count_contacts(&Default::default(), now)?,
        began.elapsed().as_millis()
    );
    Ok(env)
}

/// axe's serious and critical findings on each screen, as "screen: finding".
async fn findings(app: &App, theme: &str) -> TestResult<Vec<String>> {
    let mut all = Vec::new();
    let mut check = |screen: &str, found: Vec<String>| {
        eprintln!(
            "[axe] {theme} {screen}: {} serious or critical",
            found.len()
        );
        all.extend(found.into_iter().map(|f| format!("{theme} {screen}: {f}")));
    };
    for screen in ["today", "goals", "events", "settings"] {
        app.go_to(screen).await?;
        // The page's content, loaded.
        app.wait_for(By::Css(format!(
            "section.page[data-testid='{screen}'], section.page[data-testid='{screen}-ready']"
        )))
        .await?;
        if screen == "today" {
            app.wait_for(testid("network-picture")).await?;
            app.wait_for(testid("suggestion")).await?;
        }
        if screen == "settings" {
            app.wait_for(By::Id("pref-theme")).await?;
            // What is on the screen, once the webview has painted the loaded form.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            app.screenshot(&format!("settings-{theme}")).await?;
        }
        check(screen, app.axe().await?);
        if screen == "today" {
            // Why a card is where it is, opened; then a card put off to tomorrow, in its
            // place with Undo.
            app.click(testid("why-toggle")).await?;
            app.wait_for(testid("why-line")).await?;
            check("today (why here, open)", app.axe().await?);
            app.click(testid("snooze-day")).await?;
            app.wait_for(testid("acted")).await?;
            app.screenshot(&format!("today-acted-{theme}")).await?;
            check("today (a card acted on, with Undo)", app.axe().await?);
            app.click(testid("undo")).await?;
        }
        if screen == "settings" {
            // No notification server here: the test nudge shows in the window.
            app.click(testid("send-test-nudge")).await?;
            app.wait_for(testid("in-app-nudge")).await?;
            check("settings (a nudge shown in the window)", app.axe().await?);
        }
    }
    app.go_to("contacts").await?;
    app.wait_for(testid("contact-name")).await?;
    check("contacts (the list)", app.axe().await?);
    // Among 800 connections, found by searching.
    app.wait_for(By::Id("contact-search")).await?;
    app.set_value("contact-search", "Priya Raman").await?;
    app.wait_for_texts(testid("contact-name"), &["Priya Raman"])
        .await?;
    app.open_contact("Priya Raman").await?;
    check("contacts (Priya's page)", app.axe().await?);
    // A follow-up ticked off: the "Let them know?" bar.
    app.click(By::Css("[data-testid=follow-up] input[type=checkbox]"))
        .await?;
    app.wait_for(testid("loop-back")).await?;
    check("contacts (Let them know? bar)", app.axe().await?);
    app.click(By::Css("[data-testid=loop-back] .quiet")).await?;
    app.click(testid("add-contact")).await?;
    app.wait_for(testid("contact-form")).await?;
    check("contacts (new contact form)", app.axe().await?);
    app.click(testid("find-duplicates")).await?;
    app.wait_for(testid("duplicate-pair")).await?;
    check("contacts (possible duplicates)", app.axe().await?);
    app.click(testid("duplicate-compare")).await?;
    app.wait_for(testid("merge-confirm")).await?;
    check("contacts (merge two people)", app.axe().await?);
    // Merged: the toast with its Undo.
    app.click(testid("merge-confirm")).await?;
    app.wait_for(testid("toast")).await?;
    check("contacts (a toast)", app.axe().await?);
    app.click(testid("duplicates-close")).await?;
    app.click(testid("import-open")).await?;
    app.wait_for(testid("import-choose")).await?;
    check("import dialog", app.axe().await?);
    app.press(Key::Escape).await?;
    app.press_ctrl("k").await?;
    app.wait_for(testid("palette-input")).await?;
    check("palette", app.axe().await?);
    app.press("an").await?;
    app.wait_for(testid("palette-result")).await?;
    app.screenshot(&format!("palette-{theme}")).await?;
    check("palette (with results)", app.axe().await?);
    app.press(Key::Escape).await?;
    Ok(all)
}

/// Chooses the appearance in Settings: it applies as it is chosen, with no Save.
async fn appearance(app: &App, theme: &str) -> TestResult {
    app.go_to("settings").await?;
    app.wait_for(By::Id("pref-theme"))
        .await?
        .send_keys(match theme {
            "dark" => "Dark",
            _ => "Light",
        })
        .await?;
    let want = theme.to_owned();
    for _ in 0..50 {
        let now = app
            .driver()
            .execute("return document.documentElement.dataset.theme;", Vec::new())
            .await?;
        if now.json().as_str() == Some(want.as_str()) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("the window never turned {theme}").into())
}

#[tokio::test]
async fn every_screen_passes_axe_in_the_light_and_the_dark_theme() -> TestResult {
    let env = populated("axe")?;
    // Marcus twice, so the merge view has a pair to show.
    person("Marcus Web").add(
        &mut kith_core::Store::open_in(env.data_dir())?,
        Utc::now() - Duration::days(20),
    )?;
    let app = env.launch(BusChoice::None).await?;
    let outcome = async {
        let mut all = Vec::new();
        for theme in ["light", "dark"] {
            appearance(&app, theme).await?;
            all.extend(findings(&app, theme).await?);
        }
        app.go_to("today").await?;
        app.wait_for(testid("network-picture")).await?;
        app.screenshot("today-dark").await?;
        ensure!(all.is_empty(), "axe found:\n{}", all.join("\n"));
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
async fn a_contact_a_touch_and_today_with_the_keyboard_alone() -> TestResult {
    let (env, _) = seeded("keyboard")?;
    let app = env.launch(BusChoice::None).await?;
    let outcome = async {
        // To Contacts, and a new contact, by Tab and Enter.
        app.tab_to("[data-testid=nav-contacts]").await?;
        app.press(Key::Enter).await?;
        app.tab_to("[data-testid=add-contact]").await?;
        app.press(Key::Enter).await?;
        app.wait_for(testid("contact-form")).await?;
        app.tab_to("#cf-name").await?;
        app.press("Ana Lima").await?;
        app.tab_to("[data-testid=save-contact]").await?;
        app.press(Key::Enter).await?;
        app.wait_for_texts(testid("detail-name"), &["Ana Lima"])
            .await?;

        // A touch: Log interaction, notes, Save.
        app.tab_to("[data-testid=log-interaction]").await?;
        app.press(Key::Enter).await?;
        app.tab_to("#log-notes").await?;
        app.press("Coffee near the office").await?;
        app.tab_to("[data-testid=save-interaction]").await?;
        app.press(Key::Enter).await?;
        app.wait_for_texts(testid("timeline-notes"), &["Coffee near the office"])
            .await?;

        // The palette opens and Escape closes it.
        app.press_ctrl("k").await?;
        app.wait_for(testid("palette-input")).await?;
        app.press(Key::Escape).await?;
        ensure!(
            app.all(testid("palette-input")).await?.is_empty()
                || !app
                    .wait_for(testid("palette-input"))
                    .await?
                    .is_displayed()
                    .await?,
            "Escape closes the palette"
        );

        // Today: the first suggestion logged as done.
        app.tab_to("[data-testid=nav-today]").await?;
        app.press(Key::Enter).await?;
        app.wait_for(testid("suggestion")).await?;
        let who = app.text(testid("suggestion-name")).await?;
        app.tab_to("[data-testid=log-done]").await?;
        app.press(Key::Enter).await?;
        app.wait_for(testid("today-note")).await?;
        let note = app.text(testid("today-note")).await?;
        ensure!(
            note.starts_with("Logged: ") && note.ends_with(&format!(" with {who}.")),
            "Today says: {note}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

/// The first window after an import from the command line still brings the onboarding,
/// once; its *Import a file* step opens the import dialog; both pass axe.
#[tokio::test]
async fn the_first_start_after_a_command_line_import_offers_an_import_and_passes_axe() -> TestResult
{
    let env = TestEnv::first_start("axe-first-start")?;
    let vcf = env.data_dir().join("people.vcf");
    std::fs::write(
        &vcf,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@lima.example\r\nEND:VCARD\r\n",
    )?;
    env.cli(&["import", &vcf.to_string_lossy()])?;
    let app = env.launch(BusChoice::None).await?;
    let outcome = async {
        app.wait_for(testid("onboarding")).await?;
        app.wait_for_texts(
            testid("onboarding-already"),
            &["1 person is already in Kith."],
        )
        .await?;
        let found = app.axe().await?;
        eprintln!("[axe] onboarding: {} serious or critical", found.len());
        ensure!(found.is_empty(), "axe found:\n{}", found.join("\n"));

        app.click(testid("onboarding-import")).await?;
        app.wait_for(testid("import-choose")).await?;
        let found = app.axe().await?;
        eprintln!(
            "[axe] onboarding's import dialog: {} serious or critical",
            found.len()
        );
        ensure!(found.is_empty(), "axe found:\n{}", found.join("\n"));
        app.press(Key::Escape).await?;
        app.wait_for(testid("onboarding-finish")).await?;
        ensure!(
            app.all(testid("import-choose")).await?.is_empty(),
            "Escape closes the import dialog"
        );

        app.click(testid("onboarding-finish")).await?;
        app.wait_for(By::Css("section.page[data-testid^='goals']"))
            .await?;
        let prefs = kith_core::Store::open_in(env.data_dir())?.preferences()?;
        ensure!(prefs.onboarded, "the onboarding is not marked as done");
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
