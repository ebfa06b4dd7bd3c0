//! What the backend and the UI must agree on: the four lists of commands, and the names of
//! events and nudge answers on the wire.

/// The command names between `start` and `end` in `text` that `pick` finds on each line.
fn names_in(
    text: &str,
    start: &str,
    end: &str,
    pick: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let from = text.find(start).map_or(0, |i| i + start.len());
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    let mut names: Vec<String> = text[from..to]
        .lines()
        .filter_map(|l| pick(l.trim()))
        .collect();
    names.sort();
    names
}

/// The commands the build script lists: the list the permissions are generated from.
fn commands() -> Vec<String> {
    names_in(
        include_str!("../../../build.rs"),
        ".commands(&[",
        "]",
        |l| Some(l.strip_prefix('"')?.split('"').next()?.to_owned()),
    )
}

#[test]
fn every_list_of_commands_names_the_same_commands() {
    let build = commands();
    let handler = names_in(
        include_str!("../../lib.rs"),
        "generate_handler![",
        "]",
        |l| {
            Some(
                l.strip_prefix("commands::")?
                    .split("::")
                    .nth(1)?
                    .trim_end_matches(',')
                    .to_owned(),
            )
        },
    );
    let allowed = names_in(
        include_str!("../../../capabilities/main.json"),
        "\"permissions\"",
        "]",
        |l| {
            Some(
                l.strip_prefix("\"allow-")?
                    .split('"')
                    .next()?
                    .replace('-', "_"),
            )
        },
    );
    let mut called: Vec<String> = include_str!("../../../../ui/src/lib/api.ts")
        .split("call<")
        .skip(1)
        .filter_map(|rest| Some(rest.split_once(">(\"")?.1.split('"').next()?.to_owned()))
        .collect();
    called.sort();
    called.dedup();
    assert!(build.len() > 40, "{build:?}");
    assert_eq!(handler, build, "generate_handler! in lib.rs");
    assert_eq!(allowed, build, "capabilities/main.json");
    assert_eq!(called, build, "ui/src/lib/api.ts");
}

#[test]
fn every_command_is_called_by_a_mock_runtime_test() {
    let build = commands();
    let tests = [
        include_str!("mod.rs"),
        include_str!("nudges.rs"),
        include_str!("desktop.rs"),
        include_str!("sync.rs"),
        include_str!("merges.rs"),
        include_str!("bulk.rs"),
        include_str!("history.rs"),
    ]
    .concat();
    let untested: Vec<&String> = build
        .iter()
        .filter(|c| !tests.contains(&format!("\"{c}\"")))
        .collect();
    assert!(
        untested.is_empty(),
        "commands no test invokes: {untested:?}"
    );
}

#[test]
fn event_names_and_nudge_answers_are_what_the_ui_is_told() {
    use crate::notifier::NudgeAnswer;
    use crate::AppEvent;
    for event in [
        AppEvent::NudgeOutcome,
        AppEvent::NudgeInApp,
        AppEvent::OpenContact,
        AppEvent::Synced,
        AppEvent::Changed,
    ] {
        assert_eq!(serde_json::to_value(event).unwrap(), event.name());
    }
    for answer in [
        NudgeAnswer::Call,
        NudgeAnswer::Snooze,
        NudgeAnswer::Done,
        NudgeAnswer::Yes,
        NudgeAnswer::No,
        NudgeAnswer::Open,
        NudgeAnswer::Dismissed,
    ] {
        assert_eq!(serde_json::to_value(answer).unwrap(), answer.key());
        assert_eq!(NudgeAnswer::from_key(answer.key()), Some(answer));
    }
    // The notification server's own names for a click and a close.
    assert_eq!(NudgeAnswer::from_key("default"), Some(NudgeAnswer::Open));
    assert_eq!(
        NudgeAnswer::from_key("__closed"),
        Some(NudgeAnswer::Dismissed)
    );
    assert_eq!(NudgeAnswer::from_key("delete-all"), None);
}
