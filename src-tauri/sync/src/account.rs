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

use crate::round::{all_cards, unreadable_words};
use crate::{io, lock, round, Options, Progress, Result, Server, SyncError};

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

/// What the user gives to reach an account: the server's address, the user name, the
/// password, and whether plain http to another machine is allowed.
#[derive(Debug, Clone, Copy)]
pub struct Login<'a> {
    pub url: &'a str,
    pub user: &'a str,
    pub password: &'a str,
    pub plain_http: bool,
}

impl Login<'_> {
    async fn server(&self) -> Result<Server> {
        Server::connect_with(
            self.url,
            self.user,
            self.password,
            Options {
                plain_http: self.plain_http,
                ..Options::default()
            },
        )
        .await
    }
}

/// Runs `work` within the round limit (connecting and choosing make several requests).
async fn bounded<T>(work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    let limit = Options::default().limits.round;
    tokio::time::timeout(limit, work)
        .await
        .unwrap_or(Err(SyncError::RoundTimedOut(limit.as_secs())))
}

/// The address books and the task lists the account can use (to choose before
/// connecting).
pub fn collections(login: Login<'_>) -> Result<ServerCollections> {
    runtime()?.block_on(bounded(async {
        let server = login.server().await?;
        Ok(ServerCollections {
            address_books: server.address_books().await?,
            task_lists: server.task_lists().await?,
        })
    }))
}

/// Connects the data folder to the account: checks the credentials against the server,
/// settles the address book and the task list, keeps the password, and records the account
/// (a new account starts afresh; every contact stays). The data folder is made where Kith
/// never ran.
pub fn connect(
    data_dir: &Path,
    login: Login<'_>,
    choice: BookChoice,
    tasks: ListChoice,
) -> Result<SyncAccount> {
    let _held = lock(data_dir)?;
    let (book, list, vcard3_only) = runtime()?.block_on(bounded(async {
        let server = login.server().await?;
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
    }))?;
    let account = SyncAccount {
        url: login.url.trim().to_owned(),
        user: login.user.to_owned(),
        address_book: Some(book.href),
        task_list: list.map(|l| l.href),
        vcard3_only,
        plain_http: login.plain_http,
    };
    let place = keep_password(data_dir, &account, login.password)?;
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
pub fn preview(data_dir: &Path, login: Login<'_>, choice: BookChoice) -> Result<Option<FirstSync>> {
    runtime()?.block_on(bounded(async {
        let server = login.server().await?;
        let Some(book) = choose_book(&server, choice, true).await? else {
            return Ok(None);
        };
        let (cards, unreadable) = all_cards(&server, &book.href).await?;
        if cards.is_empty() && unreadable.is_empty() {
            return Ok(None);
        }
        let mut store = Store::open_in(data_dir)?;
        let mut first = store.preview_first_sync(&cards, Utc::now())?;
        first.cards += u32::try_from(unreadable.len()).unwrap_or(u32::MAX);
        first.skipped.extend(unreadable_words(&unreadable));
        Ok(Some(first))
    }))
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
    sync_with_progress(data_dir, None)
}

/// The same, telling `progress` how far the round's writes are.
pub fn sync_with_progress(data_dir: &Path, progress: Option<Progress>) -> Result<RoundReport> {
    let _held = lock(data_dir)?;
    let mut store = Store::open_in(data_dir)?;
    let account = store.sync_account()?.ok_or(SyncError::NotConnected)?;
    let password = password(data_dir, &account)?.ok_or(SyncError::NoPassword)?;
    let login = Login {
        url: &account.url,
        user: &account.user,
        password: &password,
        plain_http: account.plain_http,
    };
    let outcome = runtime()?.block_on(async {
        let mut server = login.server().await?;
        if let Some(progress) = progress {
            server = server.with_progress(progress);
        }
        round(&mut store, &server, Utc::now()).await
    });
    let error = outcome.as_ref().err().map(ToString::to_string);
    store.record_sync_round(Utc::now(), error.as_deref())?;
    outcome
}
