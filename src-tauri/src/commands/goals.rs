//! Goal commands.

use chrono::{NaiveDate, Utc};
use kith_core::goals::{
    self, Audience, AudienceCheck, Goal, GoalInput, GoalKind, GoalView, Period,
};
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command(async)]
pub fn goal_views(state: State<'_, AppState>) -> Result<Vec<GoalView>, CommandError> {
    Ok(state.store().goal_views(Utc::now())?)
}

/// A new goal of `kind` with its defaults, counting from the start of the current period
/// in the user's time zone and week.
#[tauri::command(async)]
pub fn goal_template(
    state: State<'_, AppState>,
    kind: GoalKind,
) -> Result<GoalInput, CommandError> {
    let (tz, week_start) = state.store().calendar()?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    Ok(GoalInput::offered(kind, today, week_start))
}

/// Where a new goal of `period` starts counting unless the user picks a date.
#[tauri::command(async)]
pub fn goal_start(state: State<'_, AppState>, period: Period) -> Result<NaiveDate, CommandError> {
    let (tz, week_start) = state.store().calendar()?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    Ok(goals::first_day(period, week_start, today))
}

/// Who `audience` holds now, and every tag there is (the goal form's audience field).
#[tauri::command(async)]
pub fn goal_audience(
    state: State<'_, AppState>,
    audience: Audience,
) -> Result<AudienceCheck, CommandError> {
    Ok(state.store().check_audience(&audience)?)
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
