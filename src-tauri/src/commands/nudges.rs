//! Nudge commands: the settings panel's test nudge, and the answers to nudges shown in-app.

use tauri::{AppHandle, Runtime, State};

use super::CommandError;
use crate::notifier::{Delivery, Nudge, NudgeAction, NudgeAnswer, NudgeOutcome};
use crate::AppState;

/// Shows a sample nudge so the user can check that notifications reach them.
#[tauri::command(async)]
pub fn send_test_nudge<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Delivery {
    let nudge = Nudge {
        id: state.nudges.next_id(),
        summary: "Time to catch up with someone".into(),
        body: "This is how Kith nudges you: who, why, and what to do. \
               Choose an action to check that Kith hears your answer."
            .into(),
        actions: vec![
            NudgeAction::new(NudgeAnswer::Call, "Call"),
            NudgeAction::new(NudgeAnswer::Snooze, "Snooze"),
            NudgeAction::new(NudgeAnswer::Done, "Done"),
        ],
        contact_id: None,
        occurrences: Vec::new(),
    };
    state.nudges.deliver(&app, nudge)
}

/// The nudges the desktop could not show that still wait for an answer (a window opened
/// after they came shows them).
#[tauri::command(async)]
pub fn in_app_nudges(state: State<'_, AppState>) -> Vec<Delivery> {
    state.nudges.in_app()
}

/// Records the answer to a nudge that was shown in the window.
#[tauri::command(async)]
pub fn act_on_nudge<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    nudge_id: String,
    action: String,
) -> Result<NudgeOutcome, CommandError> {
    Ok(state.nudges.resolve(&app, &nudge_id, &action)?)
}
