//! `kith sync` through the real binary, two data folders sharing one Radicale server.

#[path = "../sync/tests/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::{server, Kind, PASSWORD, USER};

/// `kith --data-dir <dir> args…` with `stdin` on its standard input.
fn kith(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
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

    // The same address book ("Kith") from the desktop.
    ok(&kith(
        desktop.path(),
        &["sync", "connect", url, "--user", USER, "--create"],
        &password,
    ));
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
