//! Contact commands.

use chrono::Utc;
use kith_core::model::{Contact, ContactInput, ContactSummary};
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command(async)]
pub fn list_contacts(state: State<'_, AppState>) -> Result<Vec<ContactSummary>, CommandError> {
    Ok(state.store().list_contacts()?)
}

#[tauri::command(async)]
pub fn add_contact(
    state: State<'_, AppState>,
    contact: ContactInput,
) -> Result<Contact, CommandError> {
    Ok(state.store().add_contact(contact, Utc::now())?)
}

#[tauri::command(async)]
pub fn get_contact(state: State<'_, AppState>, id: i64) -> Result<Contact, CommandError> {
    Ok(state.store().get_contact(id)?)
}
