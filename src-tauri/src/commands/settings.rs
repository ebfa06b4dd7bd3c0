//! Settings commands.

use kith_core::store::CircleCadences;
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
