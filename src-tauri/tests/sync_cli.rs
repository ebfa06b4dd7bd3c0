//! `kith sync` through the real binary, two data folders sharing one Radicale server; the
//! password kept in a private GNOME Keyring on a bus of the test's own, or in a private file
//! where no Secret Service runs.

#[path = "../sync/tests/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use support::proxy::{Mode, Proxy};
use support::{server, Kind, PASSWORD, USER};

/// A D-Bus session of the test's own with GNOME Keyring's Secret Service on it, unlocked;
/// both stop when it is dropped.
struct Keyring {
    address: String,
    bus: Child,
    daemon: Child,
    _home: tempfile::TempDir,
}

impl Keyring {
    fn start() -> Keyring {
        let home = tempfile::tempdir().unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (from the dbus package)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        let run = home.path().join("run");
        std::fs::create_dir_all(&run).unwrap();
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_RUNTIME_DIR", &run)
            .env("XDG_DATA_HOME", home.path().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (from the gnome-keyring package)");
        // The keyring's own password, then end of input.
        drop(daemon.stdin.take().map(|mut i| i.write_all(b"keyring")));
        // Wait until this daemon owns the Secret Service's name. Asking the bus who owns it
        // (rather than calling the service) never starts another keyring through D-Bus
        // activation, which would run with the real home folder and a locked keyring.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let up = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .output()
                .is_ok_and(|o| {
                    o.status.success() && String::from_utf8_lossy(&o.stdout).contains("true")
                });
            if up {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no Secret Service");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Keyring {
            address,
            bus,
            daemon,
            _home: home,
        }
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        for child in [&mut self.daemon, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `kith --data-dir <dir> args…` with `stdin` on its standard input, and no Secret Service.
fn kith(dir: &Path, args: &[&str], stdin: &str) -> Output {
    kith_on(None, dir, args, stdin)
}

/// The same with the session bus of `keyring`, when given.
fn kith_on(keyring: Option<&Keyring>, dir: &Path, args: &[&str], stdin: &str) -> Output {
    kith_with(keyring, &[], dir, args, stdin)
}

/// The same with variables `env` set.
fn kith_with(
    keyring: Option<&Keyring>,
    env: &[(&str, &str)],
    dir: &Path,
    args: &[&str],
    stdin: &str,
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kith"));
    command.env_remove("DBUS_SESSION_BUS_ADDRESS");
    command.envs(env.iter().copied());
    if let Some(k) = keyring {
        command.env("DBUS_SESSION_BUS_ADDRESS", &k.address);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KITH_DATA_DIR")
        .env_remove("KITH_SYNC_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn two_data_folders_share_their_people_through_kith_sync() {
    let url = &server(Kind::Radicale).url;
    let (laptop, desktop) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let password = format!("{PASSWORD}\n");

    // A wrong password is refused in words, and nothing is connected.
    let out = kith(
        laptop.path(),
        &["sync", "connect", url, "--user", USER, "--create"],
        "wrong\n",
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refused the user name or password"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(ok(&kith(laptop.path(), &["sync", "status"], "")).contains("Not connected"));

    ok(&kith(
        laptop.path(),
        &["sync", "connect", url, "--user", USER, "--create"],
        &password,
    ));
    let mode = std::fs::metadata(laptop.path().join("sync-password"))
        .unwrap()
        .permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o077,
        0,
        "the password is readable by its owner alone"
    );
    let vcf = laptop.path().join("people.vcf");
    std::fs::write(
        &vcf,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Priya Raman\r\nEMAIL:priya@acme.example\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nTEL:+351 912 345 678\r\nEND:VCARD\r\n",
    )
    .unwrap();
    ok(&kith(laptop.path(), &["import", vcf.to_str().unwrap()], ""));
    let sent = ok(&kith(laptop.path(), &["sync"], ""));
    assert!(sent.contains("To the server: 2 new"), "{sent}");

    // The same address book ("Kith") from the desktop: connecting says what the first round
    // will do with the two cards there, and writes nothing yet.
    let said = ok(&kith(
        desktop.path(),
        &["sync", "connect", url, "--user", USER, "--create"],
        &password,
    ));
    assert!(
        said.contains("The address book holds 2 card(s). The first `kith sync` will add 2 new to Kith, join 0 with people already here, and send 0 of yours."),
        "{said}"
    );
    let store = kith_core::Store::open_in(desktop.path()).unwrap();
    assert!(store.list_contacts(chrono::Utc::now()).unwrap().is_empty());
    drop(store);
    let report: serde_json::Value =
        serde_json::from_str(&ok(&kith(desktop.path(), &["sync", "--json"], ""))).unwrap();
    assert_eq!(report["pulled"]["added"], 2, "{report}");
    let status: serde_json::Value = serde_json::from_str(&ok(&kith(
        desktop.path(),
        &["sync", "status", "--json"],
        "",
    )))
    .unwrap();
    assert!(
        status["lastAt"].is_string() && status["lastError"].is_null(),
        "{status}"
    );

    // One round at a time: while another holds the folder, `kith sync` says so.
    let held = kith_sync::lock(desktop.path()).unwrap();
    let out = kith(desktop.path(), &["sync"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Another sync"));
    drop(held);

    ok(&kith(desktop.path(), &["sync", "disconnect"], ""));
    assert!(!desktop.path().join("sync-password").exists());
    assert!(ok(&kith(desktop.path(), &["sync", "status"], "")).contains("Not connected"));
}

#[test]
fn the_password_goes_to_the_desktops_keyring_when_one_runs() {
    let url = &server(Kind::Radicale).url;
    let keyring = Keyring::start();
    let dir = tempfile::tempdir().unwrap();
    let said = ok(&kith_on(
        Some(&keyring),
        dir.path(),
        &["sync", "connect", url, "--user", USER, "--create"],
        &format!("{PASSWORD}\n"),
    ));
    assert!(said.contains("keyring (Secret Service)"), "{said}");
    assert!(!dir.path().join("sync-password").exists());
    // A round finds the password there.
    ok(&kith_on(Some(&keyring), dir.path(), &["sync"], ""));
    // Without the keyring, the password is nowhere to be found: said in words.
    let out = kith(dir.path(), &["sync"], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("password is not kept here"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Disconnecting takes it out of the keyring too.
    ok(&kith_on(
        Some(&keyring),
        dir.path(),
        &["sync", "disconnect"],
        "",
    ));
    let out = kith_on(
        Some(&keyring),
        dir.path(),
        &["sync", "connect", url, "--user", USER, "--create"],
        "",
    );
    assert!(!out.status.success(), "no password given, none remembered");
}

fn err(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn connect_works_where_kith_never_ran_and_a_silent_server_times_out() {
    let proxy = Proxy::start(&server(Kind::Radicale).url);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("kith");
    let said = ok(&kith(
        &dir,
        &["sync", "connect", &proxy.url, "--user", USER, "--create"],
        &format!("{PASSWORD}\n"),
    ));
    assert!(said.contains("Connected"), "{said}");
    // The server accepts connections and never answers: the round ends in seconds, says
    // so, and frees the folder.
    proxy.set(Mode::Hang);
    let started = std::time::Instant::now();
    let words = err(&kith_with(
        None,
        &[("KITH_SYNC_TIMEOUT", "1")],
        &dir,
        &["sync"],
        "",
    ));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(words.contains("timed out"), "{words}");
    assert!(!words.contains(PASSWORD), "{words}");
    drop(kith_sync::lock(&dir).expect("the lock is free again"));
    let status = ok(&kith(&dir, &["sync", "status"], ""));
    assert!(status.contains("timed out"), "{status}");
}

#[test]
fn plain_http_to_another_machine_takes_insecure() {
    let dir = tempfile::tempdir().unwrap();
    let words = err(&kith(
        dir.path(),
        &["sync", "connect", "http://dav.example.org/", "--user", USER],
        &format!("{PASSWORD}\n"),
    ));
    assert!(
        words.contains("plain http") && words.contains("--insecure"),
        "{words}"
    );
    assert!(ok(&kith(dir.path(), &["sync", "status"], "")).contains("Not connected"));
}

#[test]
fn the_conflict_log_is_listed_and_use_mine_takes_a_value_back() {
    use chrono::Utc;
    let url = &server(Kind::Radicale).url;
    let book = support::runtime().block_on(async {
        kith_sync::Server::connect(url, USER, PASSWORD)
            .await
            .unwrap()
            .create_address_book("conflicts-cli", "Conflicts")
            .await
            .unwrap()
            .href
    });
    let (laptop, desktop) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&laptop, &desktop] {
        ok(&kith(
            dir.path(),
            &[
                "sync",
                "connect",
                url,
                "--user",
                USER,
                "--address-book",
                &book,
                "--no-tasks",
            ],
            &format!("{PASSWORD}\n"),
        ));
    }
    let company = |dir: &Path, to: &str| {
        let mut store = kith_core::Store::open_in(dir).unwrap();
        let id = match store.list_contacts(Utc::now()).unwrap().first() {
            Some(c) => c.id,
            None => kith_core::testing::person("Priya Raman")
                .add(&mut store, Utc::now())
                .unwrap(),
        };
        let mut input = store.get_contact(id).unwrap().to_input();
        input.company = Some(to.into());
        store.update_contact(id, input, Utc::now()).unwrap();
    };
    company(laptop.path(), "Acme");
    ok(&kith(laptop.path(), &["sync"], ""));
    ok(&kith(desktop.path(), &["sync"], ""));
    company(laptop.path(), "Globex");
    ok(&kith(laptop.path(), &["sync"], ""));
    company(desktop.path(), "Initech");
    ok(&kith(desktop.path(), &["sync"], ""));

    let listed: serde_json::Value = serde_json::from_str(&ok(&kith(
        desktop.path(),
        &["sync", "conflicts", "--json"],
        "",
    )))
    .unwrap();
    let entry = &listed[0];
    assert_eq!(entry["name"], "Priya Raman", "{listed}");
    assert_eq!(entry["field"], "company", "{listed}");
    assert_eq!(entry["kept"], "Initech", "{listed}");
    assert_eq!(entry["took"], "Globex", "{listed}");
    let words = ok(&kith(desktop.path(), &["sync", "conflicts"], ""));
    assert!(
        words.contains("Priya Raman") && words.contains("Initech"),
        "{words}"
    );

    let id = entry["id"].as_i64().unwrap().to_string();
    ok(&kith(desktop.path(), &["sync", "use-mine", &id], ""));
    let store = kith_core::Store::open_in(desktop.path()).unwrap();
    let priya = &store.list_contacts(Utc::now()).unwrap()[0];
    assert_eq!(
        store.get_contact(priya.id).unwrap().company.as_deref(),
        Some("Initech")
    );
    assert!(store.sync_conflicts().unwrap().is_empty());
    let words = err(&kith(desktop.path(), &["sync", "use-mine", "999"], ""));
    assert!(
        words.contains("999") || words.contains("conflict"),
        "{words}"
    );
}

#[test]
fn connect_says_what_was_saved_when_the_look_at_the_address_book_fails() {
    let proxy = Proxy::start(&server(Kind::Radicale).url);
    let dir = tempfile::tempdir().unwrap();
    // Connecting asks with PROPFIND and MKCOL; the look at what the book holds is a REPORT.
    proxy.set(Mode::HangReports);
    let out = kith_with(
        None,
        &[("KITH_SYNC_TIMEOUT", "1")],
        dir.path(),
        &[
            "sync",
            "connect",
            &proxy.url,
            "--user",
            USER,
            "--create",
            "--no-tasks",
        ],
        &format!("{PASSWORD}\n"),
    );
    let words = err(&out);
    assert!(words.contains("The account is saved"), "{words}");
    assert!(words.contains("timed out"), "{words}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Connected"), "{said}");
    // The account is there for the next round.
    proxy.set(Mode::Forward);
    assert!(ok(&kith(dir.path(), &["sync", "status"], "")).contains(&proxy.url));
    ok(&kith(dir.path(), &["sync"], ""));
}
