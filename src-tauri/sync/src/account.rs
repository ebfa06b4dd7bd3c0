//! Connecting a data folder to a server and running a round from outside async code (the
//! command line, the app's sync thread). The password is kept apart from the database: in the
//! desktop's Secret Service (GNOME Keyring, KWallet) through `keyring`; where none runs, in a
//! file readable by the user alone (`sync-password` in the data folder), and the status says
//! so. `KITH_SYNC_PASSWORD` overrides both for scripts.

use std::path::{Path, PathBuf};

use chrono::Utc;
use kith_core::sync::{
    Collection, FirstSync, PasswordPlace, RoundReport, ServerCollections, SyncAccount,
};
use kith_core::Store;

use crate::round::all_cards;
use crate::{io, lock, round, Result, Server, SyncError};

const PASSWORD_FILE: &str = "sync-password";
/// The Secret Service entry's service; its user is `user@url` (one per account).
const KEYRING_SERVICE: &str = "Kith sync";
/// The environment variable that gives the password to scripts, over any kept one.
pub const PASSWORD_VARIABLE: &str = "KITH_SYNC_PASSWORD";

/// Which task list a connection uses for follow-ups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListChoice {
    /// This one (an href the server listed).
    Href(String),
    /// One called "Kith" (made where none is yet), where the server keeps calendars.
    Kith,
    /// None: follow-ups stay in Kith.
    Off,
}

/// Which address book a connection uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookChoice {
    /// This one (an href the server listed).
    Href(String),
    /// A new one called "Kith" (or the one already there).
    CreateKith,
    /// The account's only address book; with several, the choice is the user's.
    Only,
}

fn password_file(data_dir: &Path) -> PathBuf {
    data_dir.join(PASSWORD_FILE)
}

fn keyring_entry(account: &SyncAccount) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(
        KEYRING_SERVICE,
        &format!("{}@{}", account.user, account.url),
    )
}

/// The account's password: `KITH_SYNC_PASSWORD`, else the one kept when connecting (the
/// Secret Service's, else the file's).
pub fn password(data_dir: &Path, account: &SyncAccount) -> Result<Option<String>> {
    if let Ok(p) = std::env::var(PASSWORD_VARIABLE) {
        return Ok(Some(p));
    }
    if let Ok(p) = keyring_entry(account).and_then(|e| e.get_password()) {
        return Ok(Some(p));
    }
    let path = password_file(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(p) => Ok(Some(p.trim_end_matches(['\r', '\n']).to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path)(e)),
    }
}

/// Keeps the password in the Secret Service, or in the private file where none runs.
fn keep_password(data_dir: &Path, account: &SyncAccount, password: &str) -> Result<PasswordPlace> {
    let path = password_file(data_dir);
    match keyring_entry(account).and_then(|e| e.set_password(password)) {
        Ok(()) => {
            forget_file(&path)?;
            Ok(PasswordPlace::SecretService)
        }
        // No Secret Service (none runs, or it refused): the status says where it went.
        Err(_) => {
            kith_core::files::write_whole(&path, |out| {
                out.write_all(password.as_bytes())
                    .map_err(|source| kith_core::Error::Io {
                        path: path.clone(),
                        source,
                    })
            })?;
            kith_core::files::make_private(&path)?;
            Ok(PasswordPlace::File)
        }
    }
}

fn forget_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SyncError::Network(e.to_string()))
}

/// The address books and the task lists the account at `url` can use (to choose before
/// connecting).
pub fn collections(url: &str, user: &str, password: &str) -> Result<ServerCollections> {
    runtime()?.block_on(async {
        let server = Server::connect(url, user, password).await?;
        Ok(ServerCollections {
            address_books: server.address_books().await?,
            task_lists: server.task_lists().await?,
        })
    })
}

/// Connects the data folder to the account: checks the credentials against the server,
/// settles the address book and the task list, keeps the password, and records the account
/// (a new account starts afresh; every contact stays).
pub fn connect(
    data_dir: &Path,
    url: &str,
    user: &str,
    password: &str,
    choice: BookChoice,
    tasks: ListChoice,
) -> Result<SyncAccount> {
    let _held = lock(data_dir)?;
    let (book, list, vcard3_only) = runtime()?.block_on(async {
        let server = Server::connect(url, user, password).await?;
        let book = match choose_book(&server, choice, true).await? {
            Some(book) => book,
            None => server.create_address_book(KITH_BOOK, "Kith").await?,
        };
        let list = match tasks {
            ListChoice::Href(href) => Some(
                server
                    .task_lists()
                    .await?
                    .into_iter()
                    .find(|l| l.href.trim_end_matches('/') == href.trim_end_matches('/'))
                    .ok_or(SyncError::NoTaskList(href))?,
            ),
            ListChoice::Kith => server.create_task_list("kith-tasks", "Kith").await?,
            ListChoice::Off => None,
        };
        let vcard3_only = server.takes_only_vcard3(&book.href).await;
        Ok::<_, SyncError>((book, list, vcard3_only))
    })?;
    let account = SyncAccount {
        url: url.trim().to_owned(),
        user: user.to_owned(),
        address_book: Some(book.href),
        task_list: list.map(|l| l.href),
        vcard3_only,
    };
    let place = keep_password(data_dir, &account, password)?;
    let mut store = Store::open_in(data_dir)?;
    store.set_sync_account(Some(&account))?;
    store.record_password_place(place)?;
    Ok(account)
}

/// The slug of the address book Kith makes.
const KITH_BOOK: &str = "kith";

/// The address book `choice` names, or `None` for one called Kith that is not there yet
/// (`create`: also where the account has none).
async fn choose_book(
    server: &Server,
    choice: BookChoice,
    create: bool,
) -> Result<Option<Collection>> {
    let books = server.address_books().await?;
    match choice {
        BookChoice::Href(href) => books
            .into_iter()
            .find(|b| b.href.trim_end_matches('/') == href.trim_end_matches('/'))
            .map(Some)
            .ok_or(SyncError::NoAddressBook),
        BookChoice::CreateKith => server.find_address_book(KITH_BOOK).await,
        BookChoice::Only => match books.len() {
            0 if create => Ok(None),
            0 => Err(SyncError::NoAddressBook),
            1 => Ok(books.into_iter().next()),
            _ => Err(SyncError::ChooseAddressBook(
                books.into_iter().map(|b| b.href).collect(),
            )),
        },
    }
}

/// What the first round with the address book `choice` names would do in the data folder,
/// before connecting: `None` when the book is empty or not there yet (nothing to join).
/// Nothing is written on either side.
pub fn preview(
    data_dir: &Path,
    url: &str,
    user: &str,
    password: &str,
    choice: BookChoice,
) -> Result<Option<FirstSync>> {
    runtime()?.block_on(async {
        let server = Server::connect(url, user, password).await?;
        let Some(book) = choose_book(&server, choice, true).await? else {
            return Ok(None);
        };
        let cards = all_cards(&server, &book.href).await?;
        if cards.is_empty() {
            return Ok(None);
        }
        let mut store = Store::open_in(data_dir)?;
        Ok(Some(store.preview_first_sync(&cards, Utc::now())?))
    })
}

/// Forgets the account and its password; every contact stays.
pub fn disconnect(data_dir: &Path) -> Result<()> {
    let _held = lock(data_dir)?;
    let mut store = Store::open_in(data_dir)?;
    if let Some(account) = store.sync_account()? {
        // Nothing there (no Secret Service, or never kept there) is nothing to forget.
        let _ = keyring_entry(&account).and_then(|e| e.delete_credential());
    }
    store.set_sync_account(None)?;
    forget_file(&password_file(data_dir))
}

/// One round for the data folder, its outcome recorded for the status line.
pub fn sync_now(data_dir: &Path) -> Result<RoundReport> {
    let _held = lock(data_dir)?;
    let mut store = Store::open_in(data_dir)?;
    let account = store.sync_account()?.ok_or(SyncError::NotConnected)?;
    let password = password(data_dir, &account)?.ok_or(SyncError::NoPassword)?;
    let outcome = runtime()?.block_on(async {
        let server = Server::connect(&account.url, &account.user, &password).await?;
        round(&mut store, &server, Utc::now()).await
    });
    let error = outcome.as_ref().err().map(ToString::to_string);
    store.record_sync_round(Utc::now(), error.as_deref())?;
    outcome
}
