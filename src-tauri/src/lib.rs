//! The Kith desktop app: opens the store, wires the Tauri commands, the notifier and the
//! logs, and starts the window. Everything worth testing without a window lives in
//! kith-core; this crate only connects it to the desktop.

pub mod cli;
pub mod commands;
mod first_paint;
mod live;
mod logging;
pub mod notifier;
pub mod scheduler;
mod sync;
mod tray;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use kith_core::Store;
use tauri::{Builder, RunEvent, Runtime};

use notifier::{DesktopNotifier, Nudges};

/// The events the backend sends the window (a generated TypeScript union of their names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AppEvent {
    /// A nudge was answered (payload: `NudgeOutcome`).
    NudgeOutcome,
    /// A nudge the desktop could not show, for the window to show (payload: `Delivery`).
    NudgeInApp,
    /// Open a contact (payload: its id), from the tray.
    OpenContact,
    /// A sync round ended, or the account changed (payload: `SyncStatus`).
    Synced,
    /// A sync round's writes went on (payload: `SyncProgress`).
    SyncProgress,
    /// Another process changed the network (payload: the `Area`s it changed).
    Changed,
}

impl AppEvent {
    /// The event's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            AppEvent::NudgeOutcome => "nudge-outcome",
            AppEvent::NudgeInApp => "nudge-in-app",
            AppEvent::OpenContact => "open-contact",
            AppEvent::Synced => "synced",
            AppEvent::SyncProgress => "sync-progress",
            AppEvent::Changed => "changed",
        }
    }
}

/// What every command can reach: the store (one connection, one writer at a time), the
/// nudges in flight, and a way to wake the scheduler.
pub struct AppState {
    store: Mutex<Store>,
    pub nudges: Nudges,
    pub waker: scheduler::Waker,
    /// The file being imported, between its preview and its confirmation.
    pending_import: Mutex<Option<Arc<[u8]>>>,
}

impl AppState {
    pub fn new(store: Store, nudges: Nudges) -> Self {
        AppState {
            store: Mutex::new(store),
            nudges,
            waker: scheduler::Waker::default(),
            pending_import: Mutex::new(None),
        }
    }

    pub fn pending_import(&self) -> Option<Arc<[u8]>> {
        self.pending_import
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_pending_import(&self, bytes: Option<Vec<u8>>) {
        *self
            .pending_import
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = bytes.map(Arc::from);
    }

    /// The store. A panic while it was held cannot leave a half-written change behind (an
    /// unfinished transaction rolls back when dropped), so a poisoned lock is still usable.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `change` on the store, then wakes the scheduler: for changes to anything a
    /// reminder depends on (settings, birthdays, follow-ups, events, reminders).
    pub fn reschedule<T>(
        &self,
        change: impl FnOnce(&mut Store) -> kith_core::Result<T>,
    ) -> kith_core::Result<T> {
        let result = change(&mut self.store());
        self.waker.wake();
        result
    }
}

/// The app's state, commands and plugins on any runtime (the real one, or the mock runtime
/// in command tests).
pub fn app_builder<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .manage(tray::TrayPlan::default())
        .manage(tray::NoTray::default())
        // Without a tray, closing the window minimises it: hidden, Kith would be out of reach.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if tauri::Manager::state::<tray::NoTray>(window)
                    .reason()
                    .is_some()
                {
                    api.prevent_close();
                    if let Err(e) = window.minimize() {
                        tracing::warn!(error = %e, "cannot minimise the window");
                    }
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::contacts::list_contacts,
            commands::contacts::list_archived,
            commands::contacts::search_contacts,
            commands::contacts::count_contacts,
            commands::contacts::list_tags,
            commands::contacts::add_contact,
            commands::contacts::update_contact,
            commands::contacts::get_contact,
            commands::contacts::contact_page,
            commands::contacts::archive_contact,
            commands::contacts::restore_contact,
            commands::contacts::purge_contact,
            commands::contacts::find_duplicates,
            commands::contacts::merge_preview,
            commands::contacts::merge_contacts,
            commands::contacts::list_merges,
            commands::contacts::undo_merge,
            commands::contacts::not_duplicates,
            commands::contacts::bulk_edit_contacts,
            commands::contacts::undo_bulk_edit,
            commands::history::log_interaction,
            commands::history::update_interaction,
            commands::history::delete_interaction,
            commands::history::restore_interaction,
            commands::history::add_follow_up,
            commands::history::set_follow_up_done,
            commands::history::report_back,
            commands::settings::get_circle_cadences,
            commands::settings::set_circle_cadences,
            commands::settings::get_cadence_rules,
            commands::settings::set_cadence_rules,
            commands::settings::list_backups,
            commands::settings::back_up_now,
            commands::settings::restore_backup,
            commands::settings::get_preferences,
            commands::settings::set_preferences,
            commands::settings::get_start_at_login,
            commands::settings::set_start_at_login,
            commands::goals::goal_views,
            commands::goals::goal_template,
            commands::goals::goal_start,
            commands::goals::goal_audience,
            commands::goals::add_goal,
            commands::goals::update_goal,
            commands::goals::delete_goal,
            commands::imports::load_import_file,
            commands::imports::preview_import,
            commands::imports::confirm_import,
            commands::imports::list_imports,
            commands::imports::undo_import,
            commands::events::event_views,
            commands::events::add_event,
            commands::events::update_event,
            commands::events::delete_event,
            commands::events::attend_event,
            commands::reminders::list_reminders,
            commands::reminders::add_reminder,
            commands::reminders::delete_reminder,
            commands::reminders::repeat_choices,
            commands::reminders::recent_occurrences,
            commands::today::today,
            commands::today::snooze_suggestion,
            commands::today::dismiss_suggestion,
            commands::today::unhide_suggestion,
            commands::today::keep_up_choices,
            commands::nudges::send_test_nudge,
            commands::nudges::act_on_nudge,
            commands::nudges::in_app_nudges,
            commands::sync::sync_status,
            commands::sync::sync_books,
            commands::contacts::open_link,
            commands::today::network_picture,
            commands::settings::tray_status,
            commands::sync::sync_preview,
            commands::sync::sync_connect,
            commands::sync::sync_now,
            commands::sync::sync_disconnect,
            commands::sync::sync_conflicts,
            commands::sync::settle_sync_conflict,
        ])
}

/// Starts the desktop app (in the tray only, without a window, when `tray_only`) and returns
/// when the user quits it.
pub fn run(tray_only: bool) -> ExitCode {
    let data_dir: PathBuf = match kith_core::paths::data_dir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("kith: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _log_guard = logging::init(&data_dir);
    let store = match Store::open_in(&data_dir) {
        Ok(store) => store,
        Err(e) => {
            tracing::error!(error = %e, dir = %data_dir.display(), "cannot open the database");
            eprintln!(
                "kith: cannot open the database in {}: {e}",
                data_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(db = %store.path().display(), "store opened");

    let path = store.path().to_path_buf();
    let state = AppState::new(store, Nudges::new(Box::new(DesktopNotifier::default())));
    // A second launch only brings the first one's window forward.
    let builder = Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _, _| {
            tray::show_main(app)
        }))
        // Call on a nudge opens the phone app through a tel: link.
        .plugin(tauri_plugin_opener::init())
        // "Start at login" starts Kith in the tray, without the window.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--tray"]),
        ));
    let built = app_builder(builder, state)
        .setup(move |app| {
            // The window first, so nothing the tray waits for can delay it.
            if !tray_only {
                tray::show_main(app.handle());
            }
            if !tray::start(app.handle()) && tray_only {
                // Without a tray, a window is the only way to reach Kith.
                tray::show_main(app.handle());
            }
            scheduler::start(
                app.handle().clone(),
                path.clone(),
                std::sync::Arc::new(scheduler::SystemClock),
            );
            if let Some(dir) = path.parent() {
                sync::start(app.handle().clone(), dir.to_path_buf());
            }
            live::start(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!());
    match built {
        Ok(app) => {
            app.run(|app, event| {
                // Closing the last window keeps Kith in the tray (when there is one) so
                // nudges still come; Quit in the tray menu ends it.
                if let RunEvent::ExitRequested {
                    api, code: None, ..
                } = event
                {
                    if app.tray_by_id(tray::TRAY).is_some() {
                        tracing::info!("window closed; staying in the tray");
                        api.prevent_exit();
                    }
                }
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "the app stopped with an error");
            eprintln!("kith: {e}");
            ExitCode::FAILURE
        }
    }
}
