//! Settings commands.

use kith_core::store::{CircleCadences, Preferences};
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command(async)]
pub fn get_circle_cadences(state: State<'_, AppState>) -> Result<CircleCadences, CommandError> {
    Ok(state.store().circle_cadences()?)
}

#[tauri::command(async)]
pub fn set_circle_cadences(
    state: State<'_, AppState>,
    cadences: CircleCadences,
) -> Result<CircleCadences, CommandError> {
    Ok(state.store().set_circle_cadences(cadences)?)
}

#[tauri::command(async)]
pub fn get_preferences(state: State<'_, AppState>) -> Result<Preferences, CommandError> {
    Ok(state.store().preferences()?)
}

#[tauri::command(async)]
pub fn set_preferences(
    state: State<'_, AppState>,
    preferences: Preferences,
) -> Result<Preferences, CommandError> {
    Ok(state.reschedule(|store| store.set_preferences(preferences))?)
}
