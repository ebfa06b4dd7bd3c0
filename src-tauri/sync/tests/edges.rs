//! Sync at its edges: a machine where Kith never ran, a server that never answers, a
//! certificate nobody vouches for, plain http, and a write whose answer is lost.

#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use chrono::Utc;
use kith_core::testing::person;
use kith_sync::{BookChoice, Limits, ListChoice, Login, Options, Server, SyncError};
use support::proxy::{Mode, Proxy};
use support::{server, Device, Kind, PASSWORD, USER};

#[test]
fn connecting_makes_the_data_folder_where_kith_never_ran() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("never").join("ran");
    let account = kith_sync::connect(
        &dir,
        Login {
            url: &server(Kind::Radicale).url,
            user: USER,
            password: PASSWORD,
            plain_http: false,
        },
        BookChoice::CreateKith,
        ListChoice::Off,
    )
    .expect("connected from an absent folder");
    assert!(account.address_book.is_some());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "the folder is private");
    }
}

fn quick() -> Options {
    Options {
        plain_http: false,
        limits: Limits::per_request(Duration::from_secs(1)),
    }
}

async fn a_server_that_never_answers_times_out_in_seconds(kind: Kind, slug: &str) {
    let proxy = Proxy::start(&server(kind).url);
    let mut device = Device::through(kind, slug, &proxy.url, quick()).await;
    person("Priya Raman")
        .add(&mut device.store, Utc::now())
        .unwrap();
    proxy.set(Mode::Hang);
    let started = Instant::now();
    let error = kith_sync::round(&mut device.store, &device.server, Utc::now())
        .await
        .expect_err("no answer, no round");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(error, SyncError::TimedOut(_)), "{error:?}");
    assert!(error.to_string().contains("timed out"), "{error}");
    // Answering again, the next round goes through.
    proxy.set(Mode::Forward);
    let report = device.sync().await;
    assert_eq!(report.created, 1, "{report:?}");
}

on_both_servers!(
    never_answers,
    a_server_that_never_answers_times_out_in_seconds
);

#[test]
fn plain_http_to_another_machine_needs_the_users_word() {
    support::runtime().block_on(async {
        let refused = Server::connect("http://dav.example.org/", USER, PASSWORD).await;
        match refused {
            Err(e @ SyncError::InsecureUrl(_)) => {
                assert!(e.to_string().contains("--insecure"), "{e}");
                assert!(!e.to_string().contains(PASSWORD));
            }
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("plain http to another machine was taken"),
        }
        let allowed = Options {
            plain_http: true,
            ..quick()
        };
        assert!(
            Server::connect_with("http://dav.example.org/", USER, PASSWORD, allowed)
                .await
                .is_ok(),
            "allowed when the user says so"
        );
        for local in [
            "http://127.0.0.1:1/",
            "http://localhost:1/",
            "http://[::1]:1/",
        ] {
            assert!(
                !matches!(
                    Server::connect_with(local, USER, PASSWORD, quick()).await,
                    Err(SyncError::InsecureUrl(_))
                ),
                "{local} stays on this machine"
            );
        }
    });
}

/// An https server whose certificate signs itself (openssl s_server), on a free port.
struct SelfSigned {
    url: String,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Drop for SelfSigned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn self_signed() -> SelfSigned {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(made.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(port.to_string())
        .arg("-cert")
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "s_server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    SelfSigned {
        url: format!("https://localhost:{port}/"),
        child,
        _dir: dir,
    }
}

#[test]
fn a_certificate_nobody_vouches_for_is_named_as_such() {
    let tls = self_signed();
    let error = kith_sync::collections(Login {
        url: &tls.url,
        user: USER,
        password: PASSWORD,
        plain_http: false,
    })
    .expect_err("an untrusted certificate is refused");
    assert!(
        matches!(error, SyncError::UntrustedCertificate(_)),
        "{error:?}"
    );
    let words = error.to_string();
    assert!(words.contains("certificate is not trusted"), "{words}");
    assert!(words.contains("trust store"), "{words}");
}

async fn a_write_whose_answer_was_lost_is_found_again_not_made_twice(kind: Kind, slug: &str) {
    let proxy = Proxy::start(&server(kind).url);
    let mut laptop = Device::through(kind, slug, &proxy.url, Options::default()).await;
    // No email, phone or profile: nothing to link a second card by but its UID.
    person("Sam").add(&mut laptop.store, Utc::now()).unwrap();
    laptop.follow_up("Sam", "Call back", None);
    proxy.set(Mode::DropPutReplies);
    let lost = kith_sync::round(&mut laptop.store, &laptop.server, Utc::now()).await;
    assert!(lost.is_err(), "the answer never came: {lost:?}");
    // Rounds while answers still go missing: each finds what it wrote (the card, then the
    // follow-up's task) instead of writing it again.
    for _ in 0..4 {
        let _ = kith_sync::round(&mut laptop.store, &laptop.server, Utc::now()).await;
    }
    assert_eq!(
        proxy.dropped(),
        2,
        "one card and one task, each written once"
    );
    proxy.set(Mode::Forward);
    laptop.sync().await;
    laptop.sync().await;
    assert_eq!(laptop.names(), ["Sam"]);
    assert_eq!(laptop.store.sync_known().unwrap().len(), 1);
    assert_eq!(laptop.store.sync_known_tasks().unwrap().len(), 1);
    let sam = laptop.id("Sam");
    assert_eq!(laptop.store.follow_ups_for(sam).unwrap().len(), 1);
    // Another device sees one Sam, with one follow-up.
    let mut desktop = Device::new(kind, slug).await;
    desktop.sync().await;
    assert_eq!(desktop.names(), ["Sam"]);
    let sam = desktop.id("Sam");
    assert_eq!(desktop.store.follow_ups_for(sam).unwrap().len(), 1);
}

on_both_servers!(
    lost_answer,
    a_write_whose_answer_was_lost_is_found_again_not_made_twice
);

fn card(uid: &str, name: &[u8]) -> Vec<u8> {
    let mut out = format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:").into_bytes();
    out.extend_from_slice(name);
    out.extend_from_slice(b"\r\nN:;;;;\r\nEND:VCARD\r\n");
    out
}

async fn a_card_no_reader_takes_is_left_alone_and_listed(kind: Kind, slug: &str) {
    let mut device = Device::new(kind, slug).await;
    let book = device
        .store
        .sync_account()
        .unwrap()
        .unwrap()
        .address_book
        .unwrap();
    let phone = support::OtherApp::new(kind);
    assert!(phone
        .create(&format!("{book}ana.vcf"), &card("ana", b"Ana Lima"))
        .await
        .is_success());
    // What XML forbids (U+FFFF, a control character), and bytes that are not UTF-8: each
    // sent only where the server stores it as sent.
    let mut bad = Vec::new();
    for (uid, name) in [
        ("ffff", "Bad \u{FFFF} Name".as_bytes().to_vec()),
        ("control", b"Bad \x01 Name".to_vec()),
        ("latin1", b"Bad \xe9 Name".to_vec()),
    ] {
        let href = format!("{book}{uid}.vcf");
        let status = phone.create(&href, &card(uid, &name)).await;
        if status.is_success() {
            bad.push(href);
        }
    }
    assert!(!bad.is_empty(), "the server stores none of them");
    device.sync().await;
    assert!(
        device.names().contains(&"Ana Lima".to_owned()),
        "{:?}",
        device.names()
    );
    // Each bad card is either read after all (one by one, outside XML) or listed as left
    // alone, with why — and stays listed round after round.
    device.sync().await;
    let status = device.store.sync_status().unwrap();
    let known = device.store.sync_known().unwrap();
    for href in &bad {
        let listed = status.left_alone.iter().any(|l| &l.href == href);
        assert!(
            listed != known.contains_key(href),
            "{href}: listed {listed}, known {}",
            known.contains_key(href)
        );
    }
    // Fixed on the server, a card left alone comes in and leaves the list.
    let Some(left) = status.left_alone.first() else {
        return;
    };
    assert!(!left.reason.is_empty());
    let (_, etag) = phone.get(&left.href).await;
    let uid = left
        .href
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".vcf");
    let fixed = String::from_utf8(card(uid, b"Fixed Name")).unwrap();
    phone.put(&left.href, &fixed, &etag).await;
    device.sync().await;
    assert!(device.names().contains(&"Fixed Name".to_owned()));
    let after = device.store.sync_status().unwrap().left_alone;
    assert!(after.iter().all(|l| l.href != left.href), "{after:?}");
}

on_both_servers!(
    unreadable_cards,
    a_card_no_reader_takes_is_left_alone_and_listed
);
