//! Settings commands.

use kith_core::backup::{BackupInfo, BackupReason, RestoreReport};
use kith_core::cadence::CadenceRule;
use kith_core::cadence::CircleCadences;
use kith_core::preferences::Preferences;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_autostart::AutoLaunchManager;

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

/// The keep-in-touch rules by tag ("former colleague: every 60 days").
#[tauri::command(async)]
pub fn get_cadence_rules(state: State<'_, AppState>) -> Result<Vec<CadenceRule>, CommandError> {
    Ok(state.store().cadence_rules()?)
}

/// Replaces every tag rule at once; the due dates they move change in the same transaction.
#[tauri::command(async)]
pub fn set_cadence_rules(
    state: State<'_, AppState>,
    rules: Vec<CadenceRule>,
) -> Result<Vec<CadenceRule>, CommandError> {
    Ok(state.store().set_cadence_rules(rules)?)
}

/// The backups in the backups folder, newest first (Settings → Backups).
#[tauri::command(async)]
pub fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, CommandError> {
    Ok(state.store().backups()?)
}

/// Takes a backup now.
#[tauri::command(async)]
pub fn back_up_now(state: State<'_, AppState>) -> Result<BackupInfo, CommandError> {
    Ok(state
        .store()
        .back_up(BackupReason::Manual, chrono::Utc::now())?)
}

/// Replaces the network with the backup called `file_name` (a name from `list_backups`,
/// never a path), keeping the network as it is now as a backup first. The window reloads
/// everything afterwards.
#[tauri::command(async)]
pub fn restore_backup(
    state: State<'_, AppState>,
    file_name: String,
) -> Result<RestoreReport, CommandError> {
    Ok(state.reschedule(|store| {
        let path = store.backup_path(&file_name)?;
        store.restore(&path, chrono::Utc::now())
    })?)
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

/// Whether Kith starts (in the tray) when the user logs in.
#[tauri::command(async)]
pub fn get_start_at_login<R: Runtime>(app: AppHandle<R>) -> Result<bool, CommandError> {
    let launcher = login_launcher(&app)?;
    launcher.is_enabled().map_err(|e| login_error(&e))
}

/// Starts Kith at login, or stops doing so; returns the setting as it now is.
#[tauri::command(async)]
pub fn set_start_at_login<R: Runtime>(
    app: AppHandle<R>,
    enabled: bool,
) -> Result<bool, CommandError> {
    let launcher = login_launcher(&app)?;
    let changed = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    changed.map_err(|e| login_error(&e))?;
    launcher.is_enabled().map_err(|e| login_error(&e))
}

fn login_launcher<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<tauri::State<'_, AutoLaunchManager>, CommandError> {
    app.try_state::<AutoLaunchManager>()
        .ok_or_else(|| CommandError {
            kind: kith_core::ErrorKind::Conflict,
            message: "Starting at login is not available here.".into(),
            field: None,
        })
}

fn login_error(e: &tauri_plugin_autostart::Error) -> CommandError {
    tracing::warn!(error = %e, "cannot change starting at login");
    CommandError {
        kind: kith_core::ErrorKind::Io,
        message: format!("Kith could not change starting at login: {e}"),
        field: Some("startAtLogin".into()),
    }
}

/// Why there is no tray icon on this desktop (so closing the window minimises it), or null
/// when there is one.
#[tauri::command(async)]
pub fn tray_status(no_tray: State<'_, crate::tray::NoTray>) -> Option<String> {
    no_tray.reason()
}
