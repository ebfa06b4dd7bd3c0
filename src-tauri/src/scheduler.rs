//! The background thread that drives `kith_core::schedule` with the real clock: it fires
//! what is due, sends one nudge for it, records how it was delivered, and sleeps until the
//! next occurrence — never longer than the one-minute wall-clock check, and woken early
//! when data or settings change. It owns its own store connection (WAL lets it work beside
//! the window's) and never blocks the UI.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use chrono::{DateTime, Utc};
use kith_core::reminder::{DeliveryChannel, Occurrence, OccurrenceAction};
use kith_core::schedule::{sleep_for, Clock};
use kith_core::Store;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::notifier::{Delivery, Nudge, NudgeAction, NudgeAnswer};
use crate::{AppEvent, AppState};

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A handle to wake the scheduler when something it depends on changed.
#[derive(Default)]
pub struct Waker(Mutex<Option<Sender<()>>>);

impl Waker {
    /// Asks the scheduler to look again now (a reminder was set, the nudge time moved…).
    pub fn wake(&self) {
        if let Some(tx) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            let _ = tx.send(());
        }
    }
}

/// Starts the scheduler on the database at `path`.
pub fn start<R: Runtime>(app: AppHandle<R>, path: PathBuf, clock: Arc<dyn Clock>) {
    let (tx, rx) = mpsc::channel::<()>();
    *app.state::<AppState>()
        .waker
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(tx);
    let spawned = thread::Builder::new().name("scheduler".into()).spawn(move || {
        let mut store = match Store::open(&path) {
            Ok(store) => store,
            Err(e) => {
                tracing::error!(error = %e, "the scheduler cannot open the database; no nudges");
                return;
            }
        };
        // What fired before a stop but was never recorded as delivered is shown in the
        // window, not on the desktop again: Kith may have stopped after the desktop showed
        // it, and a nudge must never come twice.
        match store.undelivered() {
            Ok(left) if !left.is_empty() => {
                deliver(&app, &mut store, &left, clock.now(), Route::WindowOnly)
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read undelivered nudges"),
        }
        loop {
            let now = clock.now();
            match store.fire_due(now) {
                Ok(fired) if !fired.is_empty() => {
                    deliver(&app, &mut store, &fired, now, Route::Desktop)
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "checking reminders failed; trying again"),
            }
            // The day's backup, at most once a day while Kith runs.
            match store.back_up_if_due(now) {
                Ok(Some(b)) => tracing::info!(file = %b.file_name, "took the day's backup"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "the day's backup failed; trying again later"),
            }
            crate::tray::refresh(&app);
            let next = store.next_due(now).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot tell when the next reminder is due");
                None
            });
            let nap = sleep_for(next, clock.now());
            tracing::debug!(next = ?next, nap_s = nap.as_secs(), "scheduler sleeping");
            match rx.recv_timeout(nap) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the scheduler; no nudges");
    }
}

/// Where a nudge may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// The desktop, or the window when the desktop cannot show it.
    Desktop,
    /// The window only.
    WindowOnly,
}

/// Sends one nudge for `fired` and records how it went out.
fn deliver<R: Runtime>(
    app: &AppHandle<R>,
    store: &mut Store,
    fired: &[Occurrence],
    now: DateTime<Utc>,
    route: Route,
) {
    let text = match store.nudge_text(fired, now) {
        Ok(text) => text,
        Err(e) => {
            tracing::warn!(error = %e, "cannot word a nudge");
            return;
        }
    };
    let Some(text) = text else {
        // An empty digest stays quiet: nothing to tell, nothing lost.
        for o in fired {
            if let Err(e) = store.act_on_occurrence(o.id, OccurrenceAction::Dismiss, None, now) {
                tracing::warn!(occurrence = o.id, error = %e, "cannot close a quiet digest");
            }
        }
        return;
    };
    let action = NudgeAction::new;
    let asking = matches!(fired, [o] if o.kind == kith_core::schedule::ReminderKind::CallCheck);
    let actions = match text.contact_id {
        Some(_) if asking => vec![
            action(NudgeAnswer::Yes, "Yes"),
            action(NudgeAnswer::No, "No"),
        ],
        Some(_) => vec![
            action(NudgeAnswer::Call, "Call"),
            action(NudgeAnswer::Snooze, "Snooze"),
            action(NudgeAnswer::Done, "Done"),
        ],
        None => vec![
            action(NudgeAnswer::Snooze, "Snooze"),
            action(NudgeAnswer::Done, "Done"),
        ],
    };
    let state = app.state::<AppState>();
    let nudge = Nudge {
        id: state.nudges.next_id(),
        summary: text.summary,
        body: text.body,
        actions,
        contact_id: text.contact_id,
        occurrences: fired.iter().map(|o| o.id).collect(),
    };
    let delivery = match route {
        Route::Desktop => state.nudges.deliver(app, nudge),
        Route::WindowOnly => state.nudges.keep_in_app(
            nudge,
            "Kith stopped before this nudge was recorded as shown.".into(),
        ),
    };
    let channel = match &delivery {
        Delivery::Desktop { .. } => DeliveryChannel::Desktop,
        Delivery::InApp { .. } => {
            if let Err(e) = app.emit(AppEvent::NudgeInApp.name(), &delivery) {
                tracing::warn!(error = %e, "cannot show a nudge in the window");
            }
            DeliveryChannel::InApp
        }
    };
    for o in fired {
        if let Err(e) = store.mark_delivered(o.id, channel, now) {
            tracing::warn!(occurrence = o.id, error = %e, "cannot record a delivery");
        }
    }
}
