//! Event commands.

use chrono::{DateTime, Utc};
use kith_core::events::{Event, EventInput, EventView};
use kith_core::history::Interaction;
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command(async)]
pub fn event_views(state: State<'_, AppState>) -> Result<Vec<EventView>, CommandError> {
    Ok(state.store().event_views(Utc::now())?)
}

#[tauri::command(async)]
pub fn add_event(state: State<'_, AppState>, event: EventInput) -> Result<Event, CommandError> {
    Ok(state.reschedule(|store| store.add_event(event, Utc::now()))?)
}

#[tauri::command(async)]
pub fn update_event(
    state: State<'_, AppState>,
    id: i64,
    event: EventInput,
) -> Result<Event, CommandError> {
    Ok(state.reschedule(|store| store.update_event(id, event, Utc::now()))?)
}

#[tauri::command(async)]
pub fn delete_event(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(state.reschedule(|store| store.delete_event(id))?)
}

/// Logs going to event `id` at `occurred_at` (an occurrence's start), with the people met.
#[tauri::command(async)]
pub fn attend_event(
    state: State<'_, AppState>,
    id: i64,
    occurred_at: DateTime<Utc>,
    met: Vec<i64>,
    notes: Option<String>,
) -> Result<Interaction, CommandError> {
    Ok(state
        .store()
        .attend_event(id, occurred_at, met, notes, Utc::now())?)
}
