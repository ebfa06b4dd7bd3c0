//! Today commands: the ranked suggestions, and hiding one for a while (or undoing that).

use chrono::Utc;
use kith_core::pictures::NetworkPicture;
use kith_core::rank::Suggestion;
use kith_core::store::KeepUpChoices;
use tauri::State;

use super::CommandError;
use crate::AppState;

/// Most suggestions the Today view lists.
const TODAY_LIMIT: usize = 50;

#[tauri::command(async)]
pub fn today(state: State<'_, AppState>) -> Result<Vec<Suggestion>, CommandError> {
    Ok(state.store().today(Utc::now(), TODAY_LIMIT)?)
}

/// The network at a glance, for the pictures on Today.
#[tauri::command(async)]
pub fn network_picture(state: State<'_, AppState>) -> Result<NetworkPicture, CommandError> {
    Ok(state.store().network_picture(Utc::now())?)
}

#[tauri::command(async)]
pub fn snooze_suggestion(
    state: State<'_, AppState>,
    id: i64,
    days: u32,
) -> Result<(), CommandError> {
    Ok(state.store().snooze_suggestion(id, days, Utc::now())?)
}

#[tauri::command(async)]
pub fn dismiss_suggestion(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(state.store().dismiss_suggestion(id, Utc::now())?)
}

/// A few connections without a rhythm to choose from: the first step when Today is empty.
#[tauri::command(async)]
pub fn keep_up_choices(state: State<'_, AppState>) -> Result<KeepUpChoices, CommandError> {
    Ok(state.store().keep_up_choices(Utc::now())?)
}

/// Undoes a snooze or a "Not today".
#[tauri::command(async)]
pub fn unhide_suggestion(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(state.store().unhide_suggestion(id)?)
}
