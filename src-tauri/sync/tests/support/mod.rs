//! Real CardDAV servers for the sync tests: Radicale 3.9.0 and Xandikos 0.4.10 from the
//! Python environment `scripts/install-deps.sh` makes under the build folder
//! (`<target>/dav-venv`), each started on a free port in a temporary folder, waited for, and
//! stopped when the test binary ends. Devices are Kith data folders.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::Utc;
use kith_core::sync::{RoundReport, SyncAccount};
use kith_core::Store;
use kith_sync::{Options, Server};

pub mod proxy;

pub const USER: &str = "priya";
pub const PASSWORD: &str = "correct horse";

/// Which server a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Radicale,
    Xandikos,
}

pub struct DavServer {
    pub url: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for DavServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn venv() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let venv = target.join("dav-venv");
    assert!(
        venv.join("bin").exists(),
        "no CardDAV servers in {}: run scripts/install-deps.sh",
        venv.display()
    );
    venv
}

/// A free port for a server, below the ephemeral range (32768 and up) that listeners bound
/// to port 0 get — a proxy bound meanwhile can never take the server's port.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let start = 20_000 + (std::process::id() % 500) as u16 * 20;
    (0..2_000)
        .map(|_| start + NEXT.fetch_add(1, Ordering::SeqCst) % 2_000)
        .find(|port| TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .expect("a free port on 127.0.0.1")
}

impl DavServer {
    fn start(kind: Kind) -> DavServer {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let port = free_port();
        let bin = venv().join("bin");
        let program: Vec<String> = match kind {
            Kind::Radicale => {
                let users = dir.path().join("users");
                std::fs::write(&users, format!("{USER}:{PASSWORD}\n")).expect("htpasswd");
                vec![
                    bin.join("radicale").display().to_string(),
                    "--server-hosts".into(),
                    format!("127.0.0.1:{port}"),
                    "--storage-filesystem-folder".into(),
                    dir.path().join("collections").display().to_string(),
                    "--auth-type".into(),
                    "htpasswd".into(),
                    "--auth-htpasswd-encryption".into(),
                    "plain".into(),
                    "--auth-htpasswd-filename".into(),
                    users.display().to_string(),
                    "--auth-delay".into(),
                    "0".into(),
                    "--logging-level".into(),
                    "warning".into(),
                ]
            }
            Kind::Xandikos => vec![
                bin.join("xandikos").display().to_string(),
                "serve".into(),
                "-d".into(),
                dir.path().join("collections").display().to_string(),
                "--defaults".into(),
                "-l".into(),
                "127.0.0.1".into(),
                "-p".into(),
                port.to_string(),
                "--current-user-principal".into(),
                format!("/{USER}/"),
                "--state-dir".into(),
                dir.path().join("state").display().to_string(),
            ],
        };
        // The server goes when this test binary goes (statics are never dropped): a shell
        // starts it and stops it once the binary's process is gone.
        let log = std::fs::File::create(dir.path().join("server.log")).expect("a log");
        let child = Command::new("sh")
            .arg("-c")
            .arg(
                r#"parent=$1; shift; "$@" & server=$!
                   trap 'kill $server 2>/dev/null' EXIT
                   while kill -0 "$parent" 2>/dev/null && kill -0 "$server" 2>/dev/null; do
                     sleep 0.5
                   done"#,
            )
            .arg("sh")
            .arg(std::process::id().to_string())
            .args(&program)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {kind:?}: {e}"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "{kind:?} did not start: {}",
                std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        DavServer {
            url: format!("http://127.0.0.1:{port}/"),
            child,
            _dir: dir,
        }
    }
}

/// The one server of `kind` for this test binary.
pub fn server(kind: Kind) -> &'static DavServer {
    static RADICALE: OnceLock<DavServer> = OnceLock::new();
    static XANDIKOS: OnceLock<DavServer> = OnceLock::new();
    match kind {
        Kind::Radicale => RADICALE.get_or_init(|| DavServer::start(kind)),
        Kind::Xandikos => XANDIKOS.get_or_init(|| DavServer::start(kind)),
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// One Kith: its own data folder, synced with the address book `book`.
pub struct Device {
    pub store: Store,
    pub server: Server,
    _dir: tempfile::TempDir,
}

impl Device {
    /// A fresh Kith connected to `kind`'s address book `slug` and task list `slug-tasks`
    /// (created if needed).
    pub async fn new(kind: Kind, slug: &str) -> Device {
        Device::through(kind, slug, &server(kind).url, Options::default()).await
    }

    /// The same, reaching the server at `url` (a proxy in front of it) with `options`.
    pub async fn through(kind: Kind, slug: &str, url: &str, options: Options) -> Device {
        let dir = tempfile::tempdir().expect("a data folder");
        let mut store = Store::open_in(dir.path()).expect("a store");
        let direct = Server::connect(&server(kind).url, USER, PASSWORD)
            .await
            .expect("the server is reached");
        let book = direct
            .create_address_book(slug, "Kith")
            .await
            .expect("an address book");
        let list = direct
            .create_task_list(&format!("{slug}-tasks"), "Kith tasks")
            .await
            .expect("a task list");
        assert!(list.is_some(), "the server keeps calendars");
        let vcard3_only = direct.takes_only_vcard3(&book.href).await;
        store
            .set_sync_account(Some(&SyncAccount {
                url: url.to_owned(),
                user: USER.into(),
                address_book: Some(book.href),
                task_list: list.map(|l| l.href),
                vcard3_only,
                plain_http: false,
            }))
            .expect("connected");
        let server = Server::connect_with(url, USER, PASSWORD, options)
            .await
            .expect("the server is reached");
        Device {
            store,
            server,
            _dir: dir,
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub async fn sync(&mut self) -> RoundReport {
        kith_sync::round(&mut self.store, &self.server, Utc::now())
            .await
            .expect("a round")
    }

    /// The active contacts' names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .store
            .list_contacts(Utc::now())
            .expect("contacts")
            .into_iter()
            .map(|c| c.display_name)
            .collect();
        names.sort();
        names
    }

    /// The id of the active contact called `name`.
    pub fn id(&self, name: &str) -> i64 {
        self.store
            .list_contacts(Utc::now())
            .expect("contacts")
            .into_iter()
            .find(|c| c.display_name == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .id
    }
}

/// Runs `test` against Radicale and Xandikos both.
#[macro_export]
macro_rules! on_both_servers {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[test]
            fn radicale() {
                support::runtime().block_on($body(support::Kind::Radicale, stringify!($name)));
            }

            #[test]
            fn xandikos() {
                support::runtime().block_on($body(support::Kind::Xandikos, stringify!($name)));
            }
        }
    };
}

/// Another app on the same account: plain HTTP on the server's cards.
pub struct OtherApp {
    client: reqwest::Client,
    base: String,
}

impl OtherApp {
    pub fn new(kind: Kind) -> OtherApp {
        OtherApp {
            client: reqwest::Client::new(),
            base: server(kind).url.trim_end_matches('/').to_owned(),
        }
    }

    /// Sends `request` with the account's credentials; it must succeed.
    async fn send(&self, request: reqwest::RequestBuilder, what: &str) -> reqwest::Response {
        let response = request
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .expect(what);
        assert!(
            response.status().is_success(),
            "{what}: {}",
            response.status()
        );
        response
    }

    pub async fn get(&self, href: &str) -> (String, String) {
        let request = self.client.get(format!("{}{href}", self.base));
        let response = self.send(request, &format!("GET {href}")).await;
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (response.text().await.expect("a body"), etag)
    }

    /// Writes the bytes `item` at `href` where nothing is yet; the server's status.
    pub async fn create(&self, href: &str, item: &[u8]) -> reqwest::StatusCode {
        self.client
            .put(format!("{}{href}", self.base))
            .basic_auth(USER, Some(PASSWORD))
            .header("Content-Type", "text/vcard; charset=utf-8")
            .header("If-None-Match", "*")
            .body(item.to_vec())
            .send()
            .await
            .expect("PUT")
            .status()
    }

    /// Deletes the item at `href`, whatever its version.
    pub async fn delete(&self, href: &str) {
        let request = self.client.delete(format!("{}{href}", self.base));
        self.send(request, &format!("DELETE {href}")).await;
    }

    /// Writes `item` (a vCard, or a calendar object at an `.ics` href) at `href` over version
    /// `etag`.
    pub async fn put(&self, href: &str, item: &str, etag: &str) {
        let kind = if href.ends_with(".ics") {
            "text/calendar; charset=utf-8"
        } else {
            "text/vcard; charset=utf-8"
        };
        let request = self
            .client
            .put(format!("{}{href}", self.base))
            .header("Content-Type", kind)
            .header("If-Match", etag)
            .body(item.to_owned());
        self.send(request, &format!("PUT {href}")).await;
    }
}

impl Device {
    /// The href of the one card this device knows.
    pub fn only_href(&self) -> String {
        let known = self.store.sync_known().expect("known cards");
        assert_eq!(known.len(), 1, "{known:?}");
        known.into_keys().next().unwrap_or_default()
    }

    /// Adds a follow-up for `name`.
    pub fn follow_up(&mut self, name: &str, title: &str, due: Option<chrono::NaiveDate>) -> i64 {
        let contact = self.id(name);
        self.store
            .add_follow_up(
                kith_core::history::FollowUpInput {
                    contact_id: contact,
                    interaction_id: None,
                    title: title.into(),
                    due_on: due,
                },
                Utc::now(),
            )
            .unwrap()
            .id
    }

    /// Changes contact `name` with `change`.
    pub fn edit(&mut self, name: &str, change: impl FnOnce(&mut kith_core::model::ContactInput)) {
        let id = self.id(name);
        let mut input = self.store.get_contact(id).expect("the contact").to_input();
        change(&mut input);
        self.store
            .update_contact(id, input, Utc::now())
            .expect("an edit");
    }
}
