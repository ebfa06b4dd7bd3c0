//! Reminder commands: the reminders the user sets, and the log of nudges sent.

use chrono::{NaiveDate, Utc};
use kith_core::reminder::{Occurrence, Reminder, ReminderInput};
use kith_core::repeat::{Repeat, RepeatChoice};
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command(async)]
pub fn list_reminders(state: State<'_, AppState>) -> Result<Vec<Reminder>, CommandError> {
    Ok(state.store().list_reminders()?)
}

#[tauri::command(async)]
pub fn add_reminder(
    state: State<'_, AppState>,
    reminder: ReminderInput,
) -> Result<Reminder, CommandError> {
    Ok(state.reschedule(|store| store.add_reminder(reminder, Utc::now()))?)
}

#[tauri::command(async)]
pub fn delete_reminder(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(state.reschedule(|store| store.delete_reminder(id))?)
}

/// The ways something starting on `start_date` can repeat, in words, with "every N" set to
/// `every` (a form's choices for events and reminders alike).
#[tauri::command(async)]
pub fn repeat_choices(start_date: NaiveDate, every: u32) -> Vec<RepeatChoice> {
    Repeat::choices(start_date, every)
}

/// The latest nudges and what became of them, newest first.
#[tauri::command(async)]
pub fn recent_occurrences(state: State<'_, AppState>) -> Result<Vec<Occurrence>, CommandError> {
    Ok(state.store().occurrences(50)?)
}
