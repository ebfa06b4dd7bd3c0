//! Import commands. The file's bytes arrive once, as the raw body of `load_import_file`
//! (no JSON-encoding of megabytes), and wait in the app's state while the user previews,
//! maps columns and chooses what to merge; `confirm_import` stores it as one transaction.

use chrono::Utc;
use kith_core::import::ImportSource;
use kith_core::import::Mapping;
use kith_core::import::{Choice, ImportOptions, ImportPreview, ImportReport, ImportSummary};
use tauri::ipc::{InvokeBody, Request};
use tauri::State;

use super::CommandError;
use crate::AppState;

fn no_file() -> CommandError {
    CommandError {
        kind: kith_core::ErrorKind::Invalid,
        message: "Choose a file to import first.".into(),
        field: Some("file".into()),
    }
}

/// Keeps the bytes of the file to import (sent as the raw request body).
#[tauri::command(async)]
pub fn load_import_file(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<(), CommandError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError {
            kind: kith_core::ErrorKind::Invalid,
            message: "The file must be sent as raw bytes.".into(),
            field: Some("file".into()),
        });
    };
    kith_core::import::check_file_size(bytes.len() as u64)?;
    state.set_pending_import(Some(bytes.clone()));
    Ok(())
}

/// How many entries of each kind a preview sends (the counts tell the whole file).
const SHOWN: usize = 500;

/// What importing the loaded file would do.
#[tauri::command(async)]
pub fn preview_import(
    state: State<'_, AppState>,
    file_name: String,
    mapping: Option<Mapping>,
    options: ImportOptions,
) -> Result<ImportPreview, CommandError> {
    let bytes = state.pending_import().ok_or_else(no_file)?;
    let mut preview =
        state
            .store()
            .preview_import(&file_name, &bytes, mapping.as_ref(), &options)?;
    preview.plan = preview.plan.shown(SHOWN);
    Ok(preview)
}

/// Imports the loaded file as the user chose; the file is let go once it is stored.
#[tauri::command(async)]
pub fn confirm_import(
    state: State<'_, AppState>,
    file_name: String,
    mapping: Option<Mapping>,
    options: ImportOptions,
    choices: Vec<Choice>,
) -> Result<ImportReport, CommandError> {
    let bytes = state.pending_import().ok_or_else(no_file)?;
    let source = ImportSource::read(&file_name, &bytes, mapping.as_ref())?;
    let report = state.reschedule(|store| store.import(&source, &options, &choices, Utc::now()))?;
    state.set_pending_import(None);
    Ok(report)
}

#[tauri::command(async)]
pub fn list_imports(state: State<'_, AppState>) -> Result<Vec<ImportSummary>, CommandError> {
    Ok(state.store().list_imports()?)
}

#[tauri::command(async)]
pub fn undo_import(state: State<'_, AppState>, id: i64) -> Result<ImportSummary, CommandError> {
    Ok(state.reschedule(|store| store.undo_import(id, Utc::now()))?)
}
