//! Goal commands.

use chrono::Utc;
use kith_core::goals::{Goal, GoalInput, GoalKind, GoalView};
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command(async)]
pub fn goal_views(state: State<'_, AppState>) -> Result<Vec<GoalView>, CommandError> {
    Ok(state.store().goal_views(Utc::now())?)
}

/// A new goal of `kind` with its defaults, starting today in the user's time zone.
#[tauri::command(async)]
pub fn goal_template(
    state: State<'_, AppState>,
    kind: GoalKind,
) -> Result<GoalInput, CommandError> {
    let (tz, _) = state.store().calendar()?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    Ok(GoalInput::template(kind, today))
}

#[tauri::command(async)]
pub fn add_goal(state: State<'_, AppState>, goal: GoalInput) -> Result<Goal, CommandError> {
    Ok(state.store().add_goal(goal, Utc::now())?)
}

#[tauri::command(async)]
pub fn update_goal(
    state: State<'_, AppState>,
    id: i64,
    goal: GoalInput,
) -> Result<Goal, CommandError> {
    Ok(state.store().update_goal(id, goal, Utc::now())?)
}

#[tauri::command(async)]
pub fn delete_goal(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(state.store().delete_goal(id)?)
}
