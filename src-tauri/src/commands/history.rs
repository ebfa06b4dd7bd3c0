//! Connection history and follow-up commands.

use chrono::Utc;
use kith_core::history::{
    DeletedInteraction, FollowUp, FollowUpInput, Interaction, InteractionInput,
};
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command(async)]
pub fn log_interaction(
    state: State<'_, AppState>,
    interaction: InteractionInput,
) -> Result<Interaction, CommandError> {
    Ok(state.store().log_interaction(interaction, Utc::now())?)
}

#[tauri::command(async)]
pub fn update_interaction(
    state: State<'_, AppState>,
    id: i64,
    interaction: InteractionInput,
) -> Result<Interaction, CommandError> {
    Ok(state
        .store()
        .update_interaction(id, interaction, Utc::now())?)
}

/// Deletes interaction `id`; answers it as it was, for Undo.
#[tauri::command(async)]
pub fn delete_interaction(
    state: State<'_, AppState>,
    id: i64,
) -> Result<DeletedInteraction, CommandError> {
    Ok(state.store().delete_interaction(id)?)
}

/// Undoes a deletion: the same interaction back, with its follow-ups linked again.
#[tauri::command(async)]
pub fn restore_interaction(
    state: State<'_, AppState>,
    deleted: DeletedInteraction,
) -> Result<Interaction, CommandError> {
    Ok(state.store().restore_interaction(deleted, Utc::now())?)
}

#[tauri::command(async)]
pub fn add_follow_up(
    state: State<'_, AppState>,
    follow_up: FollowUpInput,
) -> Result<FollowUp, CommandError> {
    Ok(state.reschedule(|store| store.add_follow_up(follow_up, Utc::now()))?)
}

#[tauri::command(async)]
pub fn set_follow_up_done(
    state: State<'_, AppState>,
    id: i64,
    done: bool,
) -> Result<FollowUp, CommandError> {
    Ok(state.reschedule(|store| store.set_follow_up_done(id, done, Utc::now()))?)
}

#[tauri::command(async)]
pub fn report_back(state: State<'_, AppState>, id: i64) -> Result<Interaction, CommandError> {
    Ok(state.store().report_back(id, Utc::now())?)
}
