//! Native desktop notifications ("nudges") and what happens when the user answers one.
//!
//! A [`Notifier`] shows a nudge with action buttons and reports the chosen action back.
//! [`DesktopNotifier`] talks to the desktop's org.freedesktop.Notifications service through
//! notify-rust. [`Nudges`] delivers a nudge on the desktop, or — when there is no
//! notification service, or it does not answer in time — hands it to the window to show
//! in-app; either way the answer comes back through [`Nudges::resolve`]. A missing
//! notification service is logged and never fatal.

use kith_core::store::Area;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use kith_core::reminder::OccurrenceAction;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use ts_rs::TS;

use crate::{AppEvent, AppState};

/// What a nudge can be answered with: one of its buttons, or the notification itself
/// clicked (`open`) or closed without a choice (`dismissed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NudgeAnswer {
    Call,
    Snooze,
    Done,
    /// "Did you reach them?" — yes.
    Yes,
    /// … no.
    No,
    Open,
    Dismissed,
}

impl NudgeAnswer {
    /// The key a notification's action carries (its IPC name).
    pub fn key(self) -> &'static str {
        match self {
            NudgeAnswer::Call => "call",
            NudgeAnswer::Snooze => "snooze",
            NudgeAnswer::Done => "done",
            NudgeAnswer::Yes => "yes",
            NudgeAnswer::No => "no",
            NudgeAnswer::Open => "open",
            NudgeAnswer::Dismissed => "dismissed",
        }
    }

    /// The answer a key names; the notification server's own `default` (the notification
    /// clicked) and `__closed` are open and dismissed.
    pub fn from_key(key: &str) -> Option<NudgeAnswer> {
        match key {
            "default" => Some(NudgeAnswer::Open),
            "__closed" => Some(NudgeAnswer::Dismissed),
            _ => serde_json::from_value(serde_json::Value::String(key.to_owned())).ok(),
        }
    }
}

/// One button on a nudge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NudgeAction {
    /// What choosing it answers.
    pub key: NudgeAnswer,
    /// What the button says.
    pub label: String,
}

impl NudgeAction {
    pub fn new(key: NudgeAnswer, label: &str) -> NudgeAction {
        NudgeAction {
            key,
            label: label.into(),
        }
    }
}

/// A nudge: who or what, why, and what the user can do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Nudge {
    pub id: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<NudgeAction>,
    /// The contact it is about, which clicking it opens.
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    /// The reminder occurrences it tells of; an answer applies to each.
    #[ts(type = "number[]")]
    pub occurrences: Vec<i64>,
}

/// Where a nudge was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "channel", rename_all = "camelCase")]
#[ts(export)]
pub enum Delivery {
    /// As a desktop notification.
    Desktop { nudge: Nudge },
    /// In the app's window, because the desktop could not show it (`reason` says why).
    InApp { nudge: Nudge, reason: String },
}

/// How a nudge was answered, as sent to the UI with [`AppEvent::NudgeOutcome`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NudgeOutcome {
    pub nudge_id: String,
    /// The contact the nudge is about, for the window to open.
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    pub action: NudgeAnswer,
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("no desktop notification service is available: {0}")]
    Unavailable(String),
    #[error("the desktop notification service did not answer within {0:?}")]
    TimedOut(Duration),
}

/// Called once, from a background thread, with the key of the action the user chose.
pub type OnAction = Box<dyn FnOnce(String) + Send + 'static>;

/// Something that can show a nudge and report the user's answer.
pub trait Notifier: Send + Sync {
    /// Shows `nudge`. Returns once it is on screen (or failed); the answer arrives later
    /// through `on_action`, at most once.
    fn show(&self, nudge: &Nudge, on_action: OnAction) -> Result<(), NotifyError>;
}

/// Notifications through the desktop's org.freedesktop.Notifications service.
pub struct DesktopNotifier {
    /// How long to wait for the service to accept a notification before giving up.
    show_timeout: Duration,
}

impl Default for DesktopNotifier {
    fn default() -> Self {
        // A healthy service answers in milliseconds; a stuck one must not hold the user.
        DesktopNotifier {
            show_timeout: Duration::from_secs(3),
        }
    }
}

impl Notifier for DesktopNotifier {
    fn show(&self, nudge: &Nudge, on_action: OnAction) -> Result<(), NotifyError> {
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("Kith")
            .summary(&nudge.summary)
            .icon("kith")
            // Clicking the notification itself.
            .action("default", "Open Kith")
            .timeout(notify_rust::Timeout::Never);
        for action in &nudge.actions {
            notification.action(action.key.key(), &action.label);
        }

        // notify-rust blocks on D-Bus: show and then wait for the answer on a thread of
        // its own, and wait here only a bounded time for the notification to be accepted.
        let (shown_tx, shown_rx) = mpsc::sync_channel(1);
        let body = nudge.body.clone();
        thread::Builder::new()
            .name("nudge".into())
            .spawn(move || {
                // Servers that read markup in the body (dunst, GNOME) would render a
                // contact named "<b>Ana</b>" in bold, or a link: they get the text escaped.
                let markup = notify_rust::get_capabilities()
                    .map(|caps| caps.iter().any(|c| c == "body-markup"))
                    .unwrap_or(true);
                notification.body(&if markup { escape_markup(&body) } else { body });
                match notification.show() {
                    Ok(handle) => {
                        if shown_tx.send(Ok(())).is_err() {
                            // We gave up waiting and showed it in the app: do not show it twice.
                            handle.close();
                            return;
                        }
                        handle.wait_for_action(|action| on_action(action.to_owned()));
                    }
                    Err(e) => {
                        let _ = shown_tx.send(Err(e.to_string()));
                    }
                }
            })
            .map_err(|e| NotifyError::Unavailable(format!("cannot start a thread: {e}")))?;

        match shown_rx.recv_timeout(self.show_timeout) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(NotifyError::Unavailable(message)),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(NotifyError::TimedOut(self.show_timeout)),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(NotifyError::Unavailable(
                "the notification thread ended unexpectedly".into(),
            )),
        }
    }
}

/// `text` with the three characters notification markup reads (`&`, `<`, `>`) escaped, so
/// it shows exactly as written.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The nudges in flight: delivers them and accepts each one's answer once.
pub struct Nudges {
    notifier: Box<dyn Notifier>,
    pending: Mutex<HashMap<String, Nudge>>,
    /// Nudges the desktop could not show and the user has not answered yet, oldest first:
    /// a window opened later still shows them.
    in_app: Mutex<Vec<Delivery>>,
    next_id: AtomicU64,
}

impl Nudges {
    pub fn new(notifier: Box<dyn Notifier>) -> Self {
        Nudges {
            notifier,
            pending: Mutex::new(HashMap::new()),
            in_app: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1),
        }
    }

    /// A fresh id for a nudge about to be delivered.
    pub fn next_id(&self) -> String {
        format!("n{}", self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// Shows `nudge` on the desktop, or returns it for the window to show when the desktop
    /// cannot. Never fails: a missing notification service is logged, not fatal.
    pub fn deliver<R: Runtime>(&self, app: &AppHandle<R>, nudge: Nudge) -> Delivery {
        self.pending_map().insert(nudge.id.clone(), nudge.clone());
        let app = app.clone();
        let id = nudge.id.clone();
        let on_action: OnAction = Box::new(move |action| {
            let nudges = &app.state::<AppState>().nudges;
            if let Err(e) = nudges.resolve(&app, &id, &action) {
                tracing::warn!(nudge = %id, error = %e, "ignored a desktop answer");
            }
        });
        let started = Instant::now();
        match self.notifier.show(&nudge, on_action) {
            Ok(()) => {
                tracing::info!(nudge = %nudge.id, elapsed_ms = started.elapsed().as_millis() as u64, "nudge shown on the desktop");
                Delivery::Desktop { nudge }
            }
            Err(e) => {
                tracing::warn!(
                    nudge = %nudge.id,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    error = %e,
                    "desktop notification failed; showing the nudge in the app"
                );
                let delivery = Delivery::InApp {
                    nudge,
                    reason: e.to_string(),
                };
                self.in_app_list().push(delivery.clone());
                delivery
            }
        }
    }

    /// Keeps `nudge` for the window alone (it is never sent to the desktop), with why.
    pub fn keep_in_app(&self, nudge: Nudge, reason: String) -> Delivery {
        self.pending_map().insert(nudge.id.clone(), nudge.clone());
        let delivery = Delivery::InApp { nudge, reason };
        self.in_app_list().push(delivery.clone());
        delivery
    }

    /// The nudges waiting in the window for an answer.
    pub fn in_app(&self) -> Vec<Delivery> {
        self.in_app_list().clone()
    }

    fn in_app_list(&self) -> std::sync::MutexGuard<'_, Vec<Delivery>> {
        self.in_app.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the user's answer to a nudge, once, and tells the UI. An unknown nudge, a
    /// nudge already answered, or an action the nudge does not offer is refused.
    pub fn resolve<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        nudge_id: &str,
        action: &str,
    ) -> Result<NudgeOutcome, kith_core::Error> {
        let outcome = {
            let mut pending = self.pending_map();
            let nudge = pending
                .remove(nudge_id)
                .ok_or_else(|| kith_core::Error::Invalid {
                    field: "nudgeId",
                    reason: format!("There is no open nudge “{nudge_id}”."),
                })?;
            let answer = NudgeAnswer::from_key(action).filter(|answer| {
                matches!(answer, NudgeAnswer::Open | NudgeAnswer::Dismissed)
                    || nudge.actions.iter().any(|a| a.key == *answer)
            });
            let Some(answer) = answer else {
                // Still open: a wrong answer does not close it.
                pending.insert(nudge_id.to_owned(), nudge);
                return Err(kith_core::Error::Invalid {
                    field: "action",
                    reason: format!("“{action}” is not one of this nudge’s actions."),
                });
            };
            (
                NudgeOutcome {
                    nudge_id: nudge_id.to_owned(),
                    contact_id: nudge.contact_id,
                    action: answer,
                },
                nudge.occurrences,
            )
        };
        let (outcome, occurrences) = outcome;
        self.in_app_list().retain(|d| match d {
            Delivery::InApp { nudge, .. } | Delivery::Desktop { nudge } => nudge.id != nudge_id,
        });
        // Done (or Yes, they were reached) logs the touch, Snooze (or No) brings it back
        // tomorrow, closing it dismisses it, Call opens the phone and asks later; Open leaves
        // it for the window, which shows the contact.
        let act = match outcome.action {
            NudgeAnswer::Done | NudgeAnswer::Yes => Some(OccurrenceAction::Done),
            NudgeAnswer::Snooze | NudgeAnswer::No => Some(OccurrenceAction::Snooze),
            NudgeAnswer::Dismissed => Some(OccurrenceAction::Dismiss),
            // Kith asks later whether they were reached.
            NudgeAnswer::Call => Some(OccurrenceAction::Call),
            NudgeAnswer::Open => None,
        };
        if outcome.action == NudgeAnswer::Call {
            call(app, outcome.contact_id);
        }
        if let Some(act) = act {
            let state = app.state::<AppState>();
            let mut store = state.store();
            for id in occurrences {
                if let Err(e) = store.act_on_occurrence(id, act, None, Utc::now()) {
                    tracing::warn!(occurrence = id, error = %e, "cannot record a nudge answer");
                }
            }
            drop(store);
            state.waker.wake();
            // A touch logged, a reminder snoozed: the screens showing them reload.
            crate::live::tell(app, &[Area::History, Area::Contacts, Area::Reminders]);
        }
        tracing::info!(nudge = %outcome.nudge_id, action = outcome.action.key(), "nudge answered");
        if let Err(e) = app.emit(AppEvent::NudgeOutcome.name(), &outcome) {
            tracing::warn!(error = %e, "cannot tell the window about a nudge answer");
        }
        Ok(outcome)
    }

    fn pending_map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Nudge>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Opens the phone app on the contact's first number (a `tel:` link), if they have one.
fn call<R: Runtime>(app: &AppHandle<R>, contact: Option<i64>) {
    let Some(id) = contact else { return };
    let Some(opener) = app.try_state::<tauri_plugin_opener::Opener<R>>() else {
        return;
    };
    let phone = match app.state::<AppState>().store().get_contact(id) {
        Ok(contact) => contact.phones.into_iter().next(),
        Err(e) => {
            tracing::warn!(contact = id, error = %e, "cannot find whom to call");
            return;
        }
    };
    let Some(link) = phone.and_then(|p| kith_core::model::tel_link(&p.value)) else {
        return;
    };
    if let Err(e) = opener.open_url(link, None::<&str>) {
        tracing::warn!(error = %e, "no app answers tel: links; the contact is open in Kith");
    }
}
