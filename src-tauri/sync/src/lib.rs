//! Kith's network shared through any standard CardDAV server (Radicale, Nextcloud, Fastmail,
//! Baïkal, Xandikos…), with libdav: finding the user's address books (never building paths),
//! and the sync round — pull what changed on the server since the last token, join it into
//! the store, then push what changed in Kith with conditional writes. The rules (what a card
//! says, who wins a field) are `kith_core::sync`'s and the state is the store's; this crate
//! only talks to the server. One round at a time per data folder, across processes.

mod account;
mod http;
mod round;

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use ::http::{StatusCode, Uri};
use libdav::caldav::{
    CalendarComponent, CreateCalendar, FindCalendarHomeSet, FindCalendars, GetSupportedComponents,
};
use libdav::carddav::{CreateAddressBook, FindAddressBookHomeSet, FindAddressBooks};
use libdav::dav::{Propfind, RequestError, WebDavClient, WebDavError};
use libdav::CardDavClient;
use libdav::{Depth, PropertyName};

pub use account::{
    collections, connect, disconnect, password, preview, sync_now, sync_with_progress, BookChoice,
    ListChoice, Login, PASSWORD_VARIABLE,
};
pub use http::{Limits, TIMEOUT_VARIABLE};
pub use round::{pull, push, round};

/// Why sync could not go on, in words for the user.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] kith_core::Error),
    #[error("“{0}” is not a server address such as https://dav.example.org/.")]
    BadUrl(String),
    #[error("The server did not answer ({0}). Check the address and the connection.")]
    Network(String),
    #[error("The server timed out: {0}. Nothing is lost; check the address and the connection, and try again later.")]
    TimedOut(String),
    #[error("The sync round timed out after {0} s; what it sent or brought so far is kept, and the next round goes on from there.")]
    RoundTimedOut(u64),
    #[error("The server's certificate is not trusted by this computer ({0}). If the server uses a certificate of your own or a private authority, add that authority to the system's trust store (see the README's sync section).")]
    UntrustedCertificate(String),
    #[error("“{0}” is plain http: the password and the network would cross the network unencrypted. Use https, or allow plain http for this account (`kith sync connect --insecure`, or “Allow plain http” in Settings → Sync) on a network you trust.")]
    InsecureUrl(String),
    #[error("The server refused the user name or password.")]
    Unauthorized,
    #[error("The server answered “{0}”.")]
    Server(String),
    #[error("The server has no address book for this account.")]
    NoAddressBook,
    #[error("The server has no task list at “{0}” for this account.")]
    NoTaskList(String),
    #[error("Another sync of this network is running; try again in a moment.")]
    Busy,
    #[error("Kith is not connected to a server: connect first.")]
    NotConnected,
    #[error("The server's password is not kept here: connect again.")]
    NoPassword,
    #[error("The account has several address books; choose one: {}.", .0.join(", "))]
    ChooseAddressBook(Vec<String>),
}

pub type Result<T> = std::result::Result<T, SyncError>;

impl From<WebDavError<reqwest::Error>> for SyncError {
    fn from(e: WebDavError<reqwest::Error>) -> SyncError {
        match e {
            WebDavError::BadStatusCode(StatusCode::UNAUTHORIZED) => SyncError::Unauthorized,
            WebDavError::BadStatusCode(status) => SyncError::Server(status.to_string()),
            WebDavError::Request(RequestError::Client(e)) => http::wire_error(&e),
            WebDavError::Request(RequestError::Http(e)) => http::wire_error(e.as_ref()),
            other => SyncError::Server(other.to_string()),
        }
    }
}

/// How Kith reaches an account's server: whether plain http to another machine is allowed
/// (the user said so), and the time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub plain_http: bool,
    pub limits: Limits,
}

impl Default for Options {
    /// https only (plain http to this machine itself), and the limits of the environment.
    fn default() -> Options {
        Options {
            plain_http: false,
            limits: Limits::from_env(),
        }
    }
}

/// Whether `host` (as a URL names it) is this machine: plain http to it never leaves it.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

type Client = CardDavClient<http::Http>;

pub use kith_core::sync::Collection;

/// A CardDAV server, reached with an account's credentials.
pub struct Server {
    dav: Client,
    limits: Limits,
    progress: Option<Progress>,
    /// Card writes in flight at once.
    writers: usize,
}

/// Told how far a round's writes are: (cards written, cards to write).
pub type Progress = Box<dyn Fn(usize, usize) + Send + Sync>;

impl Server {
    /// Reaches the server at `url` as `user` with the default [`Options`].
    pub async fn connect(url: &str, user: &str, password: &str) -> Result<Server> {
        Server::connect_with(url, user, password, Options::default()).await
    }

    /// Reaches the server at `url` as `user`: through the well-known address where the server
    /// offers one, else at `url` itself. Plain http is refused unless it stays on this
    /// machine or `options` allow it.
    pub async fn connect_with(
        url: &str,
        user: &str,
        password: &str,
        options: Options,
    ) -> Result<Server> {
        let uri: Uri = url
            .trim()
            .parse()
            .map_err(|_| SyncError::BadUrl(url.to_owned()))?;
        let Some(host) = uri.host() else {
            return Err(SyncError::BadUrl(url.to_owned()));
        };
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if options.plain_http || is_loopback(host) => {}
            Some("http") => return Err(SyncError::InsecureUrl(url.trim().to_owned())),
            _ => return Err(SyncError::BadUrl(url.to_owned())),
        }
        let limits = options.limits;
        let http = http::Http::new(user, password, limits).map_err(|e| http::wire_error(&e))?;
        let webdav = WebDavClient::new(uri, http);
        let dav = match CardDavClient::bootstrap_via_service_discovery(webdav.clone()).await {
            Ok(dav) => dav,
            Err(_) => CardDavClient::new(webdav),
        };
        Ok(Server {
            dav,
            limits,
            progress: None,
            writers: round::WRITERS,
        })
    }

    /// Tells `progress` how far each round's writes are.
    pub fn with_progress(mut self, progress: Progress) -> Server {
        self.progress = Some(progress);
        self
    }

    /// Writes at most `writers` cards at once (at least one; the bench compares one with
    /// the default).
    pub fn set_writers(&mut self, writers: usize) {
        self.writers = writers.max(1);
    }

    fn progress(&self, done: usize, total: usize) {
        if let Some(tell) = &self.progress {
            tell(done, total);
        }
    }

    /// The time limits this server is held to.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Where the account's address books live: the home sets of its principal.
    async fn home_sets(&self) -> Result<Vec<String>> {
        let principal = self.principal().await?;
        let homes = self
            .dav
            .request(FindAddressBookHomeSet::new(&principal))
            .await?
            .home_sets;
        Ok(homes.into_iter().map(|u| u.path().to_owned()).collect())
    }

    /// Where the account's calendars live (none on a server that only keeps contacts).
    async fn calendar_home_sets(&self) -> Result<Vec<String>> {
        let principal = self.principal().await?;
        match self.dav.request(FindCalendarHomeSet::new(&principal)).await {
            Ok(found) => Ok(found
                .home_sets
                .into_iter()
                .map(|u| u.path().to_owned())
                .collect()),
            // No CalDAV here: no task lists. A server that did not answer says so.
            Err(e) => match SyncError::from(e) {
                SyncError::Server(_) => Ok(Vec::new()),
                other => Err(other),
            },
        }
    }

    /// The account's principal: its own collection of home sets.
    async fn principal(&self) -> Result<String> {
        let principal = self
            .dav
            .find_current_user_principal()
            .await
            .map_err(|e| match e {
                libdav::dav::FindCurrentUserPrincipalError::RequestError(e) => SyncError::from(e),
                other => SyncError::Server(other.to_string()),
            })?
            .map_or_else(
                || self.dav.base_url().path().to_owned(),
                |u| u.path().to_owned(),
            );
        Ok(principal)
    }

    /// The account's calendars that keep tasks.
    pub async fn task_lists(&self) -> Result<Vec<Collection>> {
        let mut lists = Vec::new();
        for home in self.calendar_home_sets().await? {
            for c in self.dav.request(FindCalendars::new(&home)).await?.calendars {
                // A calendar that does not say what it keeps keeps everything (RFC 4791).
                let keeps_tasks = match self.dav.request(GetSupportedComponents::new(&c.href)).await
                {
                    Ok(found) => {
                        found.components.is_empty()
                            || found.components.contains(&CalendarComponent::VTodo)
                    }
                    Err(_) => true,
                };
                if keeps_tasks {
                    lists.push(Collection {
                        name: display_name(&c.properties),
                        href: c.href,
                    });
                }
            }
        }
        Ok(lists)
    }

    /// Creates a task list called `name` in the account's first calendar home (at `slug/`),
    /// or finds the one already there; `None` where the server keeps no calendars.
    pub async fn create_task_list(&self, slug: &str, name: &str) -> Result<Option<Collection>> {
        let Some(home) = self.calendar_home_sets().await?.into_iter().next() else {
            return Ok(None);
        };
        let href = format!("{}/{slug}/", home.trim_end_matches('/'));
        let same = |l: &Collection| l.href.trim_end_matches('/') == href.trim_end_matches('/');
        if let Some(list) = self.task_lists().await?.into_iter().find(same) {
            return Ok(Some(list));
        }
        let made = self
            .dav
            .request(
                CreateCalendar::new(&href)
                    .with_display_name(name)
                    .with_components(&[CalendarComponent::VTodo]),
            )
            .await;
        if let Err(e) = made {
            // Made meanwhile by another device connecting at the same time.
            return match self.task_lists().await?.into_iter().find(same) {
                Some(list) => Ok(Some(list)),
                None => Err(e.into()),
            };
        }
        Ok(Some(Collection {
            href,
            name: Some(name.to_owned()),
        }))
    }

    /// The account's address books.
    pub async fn address_books(&self) -> Result<Vec<Collection>> {
        let mut books = Vec::new();
        for home in self.home_sets().await? {
            let found = self.dav.request(FindAddressBooks::new(&home)).await?;
            books.extend(found.addressbooks.into_iter().map(|c| Collection {
                name: display_name(&c.properties),
                href: c.href,
            }));
        }
        Ok(books)
    }

    /// Whether the address book at `href` takes vCard 3.0 only (asked once, when connecting;
    /// a server that does not say takes 4.0).
    pub async fn takes_only_vcard3(&self, href: &str) -> bool {
        const SUPPORTED: PropertyName<'static, 'static> =
            PropertyName::new(libdav::names::CARDDAV, "supported-address-data");
        match self
            .dav
            .request(
                Propfind::new(href)
                    .with_properties(&[&SUPPORTED])
                    .with_depth(Depth::Zero),
            )
            .await
        {
            Ok(answer) => answer.xml_tree().is_ok_and(|doc| only_vcard3(&doc)),
            Err(_) => false,
        }
    }

    /// The address book at `slug/` in the account's first home set, if it is there.
    pub async fn find_address_book(&self, slug: &str) -> Result<Option<Collection>> {
        let Some(home) = self.home_sets().await?.into_iter().next() else {
            return Ok(None);
        };
        let href = format!("{}/{slug}/", home.trim_end_matches('/'));
        Ok(self
            .address_books()
            .await?
            .into_iter()
            .find(|b| b.href.trim_end_matches('/') == href.trim_end_matches('/')))
    }

    /// Creates an address book called `name` in the account's first home set (at `slug/`),
    /// or finds the one already there.
    pub async fn create_address_book(&self, slug: &str, name: &str) -> Result<Collection> {
        if let Some(book) = self.find_address_book(slug).await? {
            return Ok(book);
        }
        let home = self
            .home_sets()
            .await?
            .into_iter()
            .next()
            .ok_or(SyncError::NoAddressBook)?;
        let href = format!("{}/{slug}/", home.trim_end_matches('/'));
        let made = self
            .dav
            .request(CreateAddressBook::new(&href).with_display_name(name))
            .await;
        if let Err(e) = made {
            // Made meanwhile by another device connecting at the same time (405: something
            // is there already): that one.
            return match self.find_address_book(slug).await? {
                Some(book) => Ok(book),
                None => Err(e.into()),
            };
        }
        Ok(Collection {
            href,
            name: Some(name.to_owned()),
        })
    }
}

/// Whether a `supported-address-data` answer (RFC 6352 §6.2.2) names vCard 3.0 and nothing
/// newer; an answer that names no version leaves vCard 4.0.
fn only_vcard3(doc: &roxmltree::Document<'_>) -> bool {
    let versions: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "address-data-type")
        .filter(|n| {
            n.attribute("content-type")
                .is_none_or(|t| t.eq_ignore_ascii_case("text/vcard"))
        })
        .filter_map(|n| n.attribute("version"))
        .collect();
    !versions.is_empty() && versions.iter().all(|v| v.trim() == "3.0")
}

/// A collection's display name among the properties the server gave for it.
fn display_name(properties: &[(&libdav::PropertyName<'_, '_>, Option<String>)]) -> Option<String> {
    properties
        .iter()
        .find(|(name, _)| name.name() == "displayname")
        .and_then(|(_, v)| v.clone())
}

/// The lock that keeps rounds of one data folder apart (the app, its timer and the command
/// line): held while the returned file is open. The data folder is made (private) where
/// Kith never ran.
pub fn lock(data_dir: &Path) -> Result<File> {
    kith_core::files::private_dir(data_dir)?;
    let path = data_dir.join("sync.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(SyncError::Busy),
        Err(TryLockError::Error(e)) => Err(io(&path)(e)),
    }
}

/// What a failed file operation on `path` becomes.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SyncError + '_ {
    move |source| {
        SyncError::Store(kith_core::Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::only_vcard3;

    fn answer(types: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
            <d:response><d:href>/dav/priya/kith/</d:href><d:propstat><d:prop>
            <c:supported-address-data>{types}</c:supported-address-data>
            </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>"#
        )
    }

    #[test]
    fn a_server_that_names_only_vcard_3_gets_3_0_cards() {
        let check = |types: &str| {
            let text = answer(types);
            only_vcard3(&roxmltree::Document::parse(&text).unwrap())
        };
        assert!(check(
            r#"<c:address-data-type content-type="text/vcard" version="3.0"/>"#
        ));
        assert!(!check(
            r#"<c:address-data-type content-type="text/vcard" version="3.0"/>
               <c:address-data-type content-type="text/vcard" version="4.0"/>"#
        ));
        assert!(!check(""), "a server that does not say takes 4.0");
        assert!(!check(
            r#"<c:address-data-type content-type="application/vcard+json" version="4.0"/>"#
        ));
    }
}
