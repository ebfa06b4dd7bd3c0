//! Contact commands.

use chrono::Utc;
use kith_core::duplicates::{Duplicates, MergePreview, MergeReport, MergeSummary};
use kith_core::history::ContactPage;
use kith_core::links::LinkKind;
use kith_core::model::ContactField;
use kith_core::model::{Contact, ContactInput, ContactSummary};
use kith_core::search::ContactQuery;
use kith_core::store::{BulkEdit, BulkReport, BulkUndoReport};
use kith_core::ErrorKind;
use tauri::{AppHandle, Manager, Runtime, State};

use super::CommandError;
use crate::AppState;

/// Opens a contact's detail in the desktop's own app: a web page in the browser, `mailto:` in
/// the mail client, `tel:` in the phone app. Anything else (a stored `javascript:` or
/// `file:` link) is refused and nothing opens. Opening logs nothing: the window offers that.
/// When no app opens it (a webmail user has no mail app), the address, number or link is put
/// on the clipboard and the error says so: "No mail app is set up — address copied".
#[tauri::command(async)]
pub fn open_link<R: Runtime>(app: AppHandle<R>, url: String) -> Result<LinkKind, CommandError> {
    let (kind, url) = kith_core::links::openable(&url)?;
    let opener = app
        .try_state::<tauri_plugin_opener::Opener<R>>()
        .ok_or_else(|| CommandError {
            kind: ErrorKind::Conflict,
            message: "Opening links is not available here.".into(),
            field: None,
        })?;
    opener.open_url(&url, None::<&str>).map_err(|e| {
        // The launcher's own words (`gio … unix_wait_status(512)`) go to the log only.
        tracing::warn!(error = %e, "no app opened a link");
        // The address or number without its scheme; a web page whole.
        let bare = url.split_once(':').map_or(url.as_str(), |(_, rest)| rest);
        let (app_name, what, value) = match kind {
            LinkKind::Mail => ("mail app", "address", bare),
            LinkKind::Phone => ("phone app", "number", bare),
            LinkKind::Web => ("browser", "link", url.as_str()),
        };
        let message = if copy_to_clipboard(&app, value.to_owned()) {
            format!("No {app_name} is set up — {what} copied")
        } else {
            format!("No {app_name} is set up on this desktop.")
        };
        CommandError {
            kind: ErrorKind::Io,
            message,
            field: Some("url".into()),
        }
    })?;
    Ok(kind)
}

/// Puts `text` on the desktop's clipboard (GTK's, from the main thread); false where Kith
/// cannot.
fn copy_to_clipboard<R: Runtime>(app: &AppHandle<R>, text: String) -> bool {
    #[cfg(target_os = "linux")]
    {
        app.run_on_main_thread(move || {
            let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
            clipboard.set_text(&text);
            clipboard.store();
        })
        .is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (app, text);
        false
    }
}

/// How much history the contact page loads at first.
const TIMELINE_PAGE: u32 = 200;

#[tauri::command(async)]
pub fn list_contacts(state: State<'_, AppState>) -> Result<Vec<ContactSummary>, CommandError> {
    Ok(state.store().list_contacts(Utc::now())?)
}

#[tauri::command(async)]
pub fn list_archived(state: State<'_, AppState>) -> Result<Vec<ContactSummary>, CommandError> {
    Ok(state.store().list_archived(Utc::now())?)
}

#[tauri::command(async)]
pub fn search_contacts(
    state: State<'_, AppState>,
    query: ContactQuery,
) -> Result<Vec<ContactSummary>, CommandError> {
    Ok(state.store().search_contacts(&query, Utc::now())?)
}

/// How many active contacts match `query`, whatever its limit.
#[tauri::command(async)]
pub fn count_contacts(
    state: State<'_, AppState>,
    query: ContactQuery,
) -> Result<u32, CommandError> {
    Ok(state.store().count_contacts(&query, Utc::now())?)
}

/// Every tag active contacts carry, with how many carry it, by name.
#[tauri::command(async)]
pub fn list_tags(
    state: State<'_, AppState>,
) -> Result<Vec<kith_core::search::TagCount>, CommandError> {
    Ok(state.store().tag_counts()?)
}

#[tauri::command(async)]
pub fn add_contact(
    state: State<'_, AppState>,
    contact: ContactInput,
) -> Result<Contact, CommandError> {
    Ok(state.reschedule(|store| store.add_contact(contact, Utc::now()))?)
}

#[tauri::command(async)]
pub fn update_contact(
    state: State<'_, AppState>,
    id: i64,
    contact: ContactInput,
) -> Result<Contact, CommandError> {
    Ok(state.reschedule(|store| store.update_contact(id, contact, Utc::now()))?)
}

#[tauri::command(async)]
pub fn get_contact(state: State<'_, AppState>, id: i64) -> Result<Contact, CommandError> {
    Ok(state.store().get_contact(id)?)
}

#[tauri::command(async)]
pub fn contact_page(state: State<'_, AppState>, id: i64) -> Result<ContactPage, CommandError> {
    Ok(state.store().contact_page(id, TIMELINE_PAGE, Utc::now())?)
}

#[tauri::command(async)]
pub fn archive_contact(state: State<'_, AppState>, id: i64) -> Result<Contact, CommandError> {
    Ok(state.store().archive_contact(id, Utc::now())?)
}

#[tauri::command(async)]
pub fn restore_contact(state: State<'_, AppState>, id: i64) -> Result<Contact, CommandError> {
    Ok(state.store().restore_contact(id, Utc::now())?)
}

#[tauri::command(async)]
pub fn purge_contact(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(state.store().purge_contact(id)?)
}

/// The people who may be one person entered twice, strongest reason first.
#[tauri::command(async)]
pub fn find_duplicates(state: State<'_, AppState>) -> Result<Duplicates, CommandError> {
    Ok(state.store().duplicates(Utc::now())?)
}

/// What merging contact `other` into contact `keep` would do.
#[tauri::command(async)]
pub fn merge_preview(
    state: State<'_, AppState>,
    keep: i64,
    other: i64,
) -> Result<MergePreview, CommandError> {
    Ok(state.store().merge_preview(keep, other)?)
}

/// Merges contact `other` into contact `keep`, taking the other's value for `take`.
#[tauri::command(async)]
pub fn merge_contacts(
    state: State<'_, AppState>,
    keep: i64,
    other: i64,
    take: Vec<ContactField>,
) -> Result<MergeReport, CommandError> {
    Ok(state.reschedule(|store| store.merge_contacts(keep, other, &take, Utc::now()))?)
}

/// The merges done, newest first, and which can still be undone.
#[tauri::command(async)]
pub fn list_merges(state: State<'_, AppState>) -> Result<Vec<MergeSummary>, CommandError> {
    Ok(state.store().list_merges()?)
}

/// Undoes merge `id`; answers the contact given back.
#[tauri::command(async)]
pub fn undo_merge(state: State<'_, AppState>, id: i64) -> Result<Contact, CommandError> {
    Ok(state.reschedule(|store| store.undo_merge(id, Utc::now()))?)
}

/// Sets one circle, rhythm or tag on several people at once; answers what each had.
#[tauri::command(async)]
pub fn bulk_edit_contacts(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    edit: BulkEdit,
) -> Result<BulkReport, CommandError> {
    Ok(state.reschedule(|store| store.bulk_edit(&ids, edit, Utc::now()))?)
}

/// Undoes a bulk edit for everyone not changed since; names the others.
#[tauri::command(async)]
pub fn undo_bulk_edit(
    state: State<'_, AppState>,
    report: BulkReport,
) -> Result<BulkUndoReport, CommandError> {
    Ok(state.reschedule(|store| store.undo_bulk_edit(&report, Utc::now()))?)
}

/// Says contacts `a` and `b` are two people.
#[tauri::command(async)]
pub fn not_duplicates(state: State<'_, AppState>, a: i64, b: i64) -> Result<(), CommandError> {
    Ok(state.store().not_duplicates(a, b)?)
}
