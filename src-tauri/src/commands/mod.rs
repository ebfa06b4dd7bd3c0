//! Tauri commands: thin wrappers that take the state, make one kith-core call and map its
//! error into a [`CommandError`] the UI can show next to the right control.

pub mod contacts;
pub mod events;
pub mod goals;
pub mod history;
pub mod imports;
pub mod nudges;
pub mod reminders;
pub mod settings;
pub mod sync;
pub mod today;

use kith_core::ErrorKind;
use serde::Serialize;
use ts_rs::TS;

/// The error every command returns, serialized as `{ kind, message, field }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CommandError {
    pub kind: ErrorKind,
    /// A sentence for the user.
    pub message: String,
    /// The input field the error is about, as the UI names it.
    #[ts(optional = nullable)]
    pub field: Option<String>,
}

impl From<kith_core::Error> for CommandError {
    fn from(e: kith_core::Error) -> Self {
        match e.kind() {
            ErrorKind::Invalid | ErrorKind::NotFound => {
                tracing::debug!(error = %e, "request refused")
            }
            _ => tracing::error!(error = %e, "command failed"),
        }
        CommandError {
            kind: e.kind(),
            message: e.to_string(),
            field: e.field().map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests;
