//! Sync commands: Settings → Sync. Each runs kith-sync off the async runtime (see
//! [`crate::sync::off_runtime`]) with the data folder of the window's store.

use chrono::Utc;
use kith_core::sync::{FirstSync, KeptConflict, RoundReport, ServerCollections, SyncStatus};
use kith_core::ErrorKind;
use kith_sync::{BookChoice, ListChoice, Login, SyncError};
use tauri::{AppHandle, Runtime, State};

use super::CommandError;
use crate::sync::{announce, off_runtime, progress_to};
use crate::AppState;

impl From<SyncError> for CommandError {
    fn from(e: SyncError) -> Self {
        let message = e.to_string();
        let (kind, field) = match e {
            // The store's own errors keep their kind and field.
            SyncError::Store(inner) => return CommandError::from(inner),
            SyncError::BadUrl(_) | SyncError::InsecureUrl(_) => (ErrorKind::Invalid, Some("url")),
            SyncError::Unauthorized => (ErrorKind::Invalid, Some("password")),
            SyncError::NoAddressBook | SyncError::ChooseAddressBook(_) => {
                (ErrorKind::Invalid, Some("addressBook"))
            }
            SyncError::NoTaskList(_) => (ErrorKind::Invalid, Some("taskList")),
            SyncError::Network(_)
            | SyncError::Server(_)
            | SyncError::TimedOut(_)
            | SyncError::RoundTimedOut(_)
            | SyncError::UntrustedCertificate(_) => (ErrorKind::Network, None),
            SyncError::Busy | SyncError::NotConnected | SyncError::NoPassword => {
                (ErrorKind::Conflict, None)
            }
        };
        tracing::warn!(error = %message, "sync command failed");
        CommandError {
            kind,
            message,
            field: field.map(str::to_owned),
        }
    }
}

fn data_dir(state: &AppState) -> std::path::PathBuf {
    state
        .store()
        .path()
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default()
}

#[tauri::command(async)]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, CommandError> {
    Ok(state.store().sync_status()?)
}

/// *Test connection*: the account's address books and task lists.
#[tauri::command(async)]
pub fn sync_books(
    url: String,
    user: String,
    password: String,
    plain_http: Option<bool>,
) -> Result<ServerCollections, CommandError> {
    let login = login(&url, &user, &password, plain_http);
    Ok(off_runtime(|| kith_sync::collections(login))?)
}

/// What the form gives to reach the account (`plain_http`: the user allowed plain http to
/// another machine).
fn login<'a>(
    url: &'a str,
    user: &'a str,
    password: &'a str,
    plain_http: Option<bool>,
) -> Login<'a> {
    Login {
        url,
        user,
        password,
        plain_http: plain_http.unwrap_or(false),
    }
}

/// What the first round with the address book at `address_book` (or the "Kith" one) would
/// do, before connecting; `null` when it holds no cards. Nothing is written on either side.
#[tauri::command(async)]
pub fn sync_preview(
    state: State<'_, AppState>,
    url: String,
    user: String,
    password: String,
    address_book: Option<String>,
    plain_http: Option<bool>,
) -> Result<Option<FirstSync>, CommandError> {
    let dir = data_dir(&state);
    let choice = address_book.map_or(BookChoice::CreateKith, BookChoice::Href);
    let login = login(&url, &user, &password, plain_http);
    Ok(off_runtime(|| kith_sync::preview(&dir, login, choice))?)
}

/// Connects to the account with the address book at `address_book`, or a new "Kith" one, and
/// the task list at `task_list`, or a "Kith" one where the server keeps calendars (`""`:
/// follow-ups stay in Kith).
#[tauri::command(async)]
// Each argument is a field of the form as the UI sends it.
#[allow(clippy::too_many_arguments)]
pub fn sync_connect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
    user: String,
    password: String,
    address_book: Option<String>,
    task_list: Option<String>,
    plain_http: Option<bool>,
) -> Result<SyncStatus, CommandError> {
    let dir = data_dir(&state);
    let choice = address_book.map_or(BookChoice::CreateKith, BookChoice::Href);
    let tasks = match task_list {
        None => ListChoice::Kith,
        Some(href) if href.is_empty() => ListChoice::Off,
        Some(href) => ListChoice::Href(href),
    };
    let login = login(&url, &user, &password, plain_http);
    off_runtime(|| kith_sync::connect(&dir, login, choice, tasks))?;
    let status = state.store().sync_status()?;
    announce(&app, &status);
    Ok(status)
}

/// *Sync now*.
#[tauri::command(async)]
pub fn sync_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<RoundReport, CommandError> {
    let dir = data_dir(&state);
    let progress = progress_to(&app);
    let outcome = off_runtime(|| kith_sync::sync_with_progress(&dir, Some(progress)));
    if let Ok(status) = state.store().sync_status() {
        announce(&app, &status);
    }
    Ok(outcome?)
}

/// The conflict log: fields where the server's value won, Kith's kept.
#[tauri::command(async)]
pub fn sync_conflicts(state: State<'_, AppState>) -> Result<Vec<KeptConflict>, CommandError> {
    Ok(state.store().sync_conflicts()?)
}

/// Settles a conflict: `restore` takes Kith's value back (sent at the next round).
#[tauri::command(async)]
pub fn settle_sync_conflict(
    state: State<'_, AppState>,
    id: i64,
    restore: bool,
) -> Result<SyncStatus, CommandError> {
    let mut store = state.store();
    store.settle_sync_conflict(id, restore, Utc::now())?;
    Ok(store.sync_status()?)
}

/// *Disconnect*: the account and its password go; every contact stays.
#[tauri::command(async)]
pub fn sync_disconnect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<SyncStatus, CommandError> {
    let dir = data_dir(&state);
    off_runtime(|| kith_sync::disconnect(&dir))?;
    let status = state.store().sync_status()?;
    announce(&app, &status);
    Ok(status)
}
