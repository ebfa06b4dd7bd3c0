//! `kith sync`: connecting to a CardDAV server, a round both ways, the account's status,
//! and the words each prints.

use clap::Subcommand;
use kith_core::Store;

use super::{print_json, shown};

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Connect to the server at URL. The password is read from standard input (or
    /// $KITH_SYNC_PASSWORD) and kept in the data folder, readable by you alone.
    Connect {
        url: String,
        #[arg(long)]
        user: String,
        /// The address book to use (an href `kith sync books` lists).
        #[arg(long, value_name = "HREF")]
        address_book: Option<String>,
        /// Use an address book called "Kith" (created if it is not there).
        #[arg(long, conflicts_with = "address_book")]
        create: bool,
        /// The task list for follow-ups (an href `kith sync books` lists); without it, one
        /// called "Kith", where the server keeps calendars.
        #[arg(long, value_name = "HREF")]
        task_list: Option<String>,
        /// Keep follow-ups in Kith: no task list.
        #[arg(long, conflicts_with = "task_list")]
        no_tasks: bool,
        /// Allow a plain http:// address on another machine (the password then crosses the
        /// network unencrypted); kept with the account.
        #[arg(long)]
        insecure: bool,
    },
    /// List the address books and task lists of the account at URL (password as for
    /// `connect`).
    Books {
        url: String,
        #[arg(long)]
        user: String,
        /// As for `connect`.
        #[arg(long)]
        insecure: bool,
    },
    /// The conflict log: each field changed on both sides, the value kept (the server's) and
    /// yours, with the ID `use-mine` takes.
    Conflicts,
    /// Take your value back for conflict ID (sent at the next round), as Settings → Sync's
    /// "Use mine" does.
    UseMine { id: i64 },
    /// Forget the server and its password; every contact stays.
    Disconnect,
    /// The server, the address book and how the last round went.
    Status,
}

/// The password for `kith sync connect` and `books`: $KITH_SYNC_PASSWORD, else the first
/// line of standard input.
fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var(kith_sync::PASSWORD_VARIABLE) {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err("give the password on standard input or in KITH_SYNC_PASSWORD".into());
    }
    Ok(password)
}

/// What the first round will do, in words (nothing is written until `kith sync`).
fn first_sync_words(first: &kith_core::sync::FirstSync) -> String {
    let mut out = format!(
        "The address book holds {} card(s). The first `kith sync` will add {} new to Kith, join {} with people already here, and send {} of yours.\n",
        first.cards,
        first.new_people.len(),
        first.linked.len(),
        first.to_send
    );
    for c in &first.conflicts {
        out.push_str(&format!(
            "  {}: {} — the server's “{}” will be kept, yours (“{}”) saved in the conflict log\n",
            shown(&c.name),
            c.conflict.field,
            shown(&c.conflict.took),
            shown(&c.conflict.kept)
        ));
    }
    for s in &first.skipped {
        out.push_str(&format!("  left alone: {}\n", shown(s)));
    }
    out
}

pub(super) fn run(
    dir: &std::path::Path,
    action: Option<SyncAction>,
    json: bool,
) -> Result<(), String> {
    match action {
        None => round(dir, json),
        Some(SyncAction::Connect {
            url,
            user,
            address_book,
            create,
            task_list,
            no_tasks,
            insecure,
        }) => {
            let book = match (address_book, create) {
                (Some(href), _) => kith_sync::BookChoice::Href(href),
                (None, true) => kith_sync::BookChoice::CreateKith,
                (None, false) => kith_sync::BookChoice::Only,
            };
            let tasks = match (task_list, no_tasks) {
                (Some(href), _) => kith_sync::ListChoice::Href(href),
                (None, true) => kith_sync::ListChoice::Off,
                (None, false) => kith_sync::ListChoice::Kith,
            };
            connect(dir, &url, &user, insecure, book, tasks)
        }
        Some(SyncAction::Books {
            url,
            user,
            insecure,
        }) => books(&url, &user, insecure),
        Some(SyncAction::Conflicts) => conflicts(dir, json),
        Some(SyncAction::UseMine { id }) => {
            let mut store = Store::open_in(dir).map_err(|e| e.to_string())?;
            store
                .settle_sync_conflict(id, true, chrono::Utc::now())
                .map_err(|e| e.to_string())?;
            println!("Your value is back; the next `kith sync` sends it.");
            Ok(())
        }
        Some(SyncAction::Disconnect) => {
            kith_sync::disconnect(dir).map_err(words)?;
            println!("Disconnected; every contact stays.");
            Ok(())
        }
        Some(SyncAction::Status) => status(dir, json),
    }
}

fn words(e: kith_sync::SyncError) -> String {
    e.to_string()
}

/// `kith sync`: one round both ways, and what it did.
fn round(dir: &std::path::Path, json: bool) -> Result<(), String> {
    let report = kith_sync::sync_with_progress(dir, Some(progress_on_stderr())).map_err(words)?;
    if json {
        return print_json(&report);
    }
    let p = &report.pulled;
    println!(
        "From the server: {} new, {} changed, {} joined, {} linked, {} archived.",
        p.added, p.updated, p.merged, p.linked, p.archived
    );
    println!(
        "To the server: {} new, {} changed, {} deleted.",
        report.created, report.updated, report.deleted
    );
    let t = &report.tasks;
    if t.added + t.updated + t.created + t.sent > 0 {
        println!(
            "Follow-ups: {} new and {} changed from the server, {} new and {} changed sent.",
            t.added, t.updated, t.created, t.sent
        );
    }
    for s in &t.skipped {
        println!("Task left alone: {}", shown(s));
    }
    if p.conflicts > 0 {
        println!(
            "{} field(s) changed on both sides: the server's value was kept, yours is in the conflict log.",
            p.conflicts
        );
    }
    for s in &p.skipped {
        println!("Left alone: {}", shown(s));
    }
    Ok(())
}

/// `kith sync connect`: the account saved, where the password is, and what the first round
/// will do.
fn connect(
    dir: &std::path::Path,
    url: &str,
    user: &str,
    insecure: bool,
    book: kith_sync::BookChoice,
    tasks: kith_sync::ListChoice,
) -> Result<(), String> {
    let password = read_password()?;
    let login = kith_sync::Login {
        url,
        user,
        password: &password,
        plain_http: insecure,
    };
    let account = kith_sync::connect(dir, login, book, tasks).map_err(words)?;
    println!(
        "Connected to {} as {}, address book {}. Run `kith sync` for the first round.",
        account.url,
        account.user,
        account.address_book.as_deref().unwrap_or_default()
    );
    match &account.task_list {
        Some(list) => println!("Follow-ups go to the task list {list}."),
        None => println!("Follow-ups stay in Kith (no task list)."),
    }
    let status = Store::open_in(dir)
        .and_then(|s| s.sync_status())
        .map_err(|e| e.to_string())?;
    println!("{}", password_words(status.password_place));
    // What the first round will do with what the address book holds already.
    let book = kith_sync::BookChoice::Href(account.address_book.clone().unwrap_or_default());
    match kith_sync::preview(dir, login, book) {
        Ok(Some(first)) => print!("{}", first_sync_words(&first)),
        Ok(None) => {}
        Err(e) => {
            return Err(format!(
                "The account is saved, but looking at what the address book holds failed: {e} `kith sync` will try again."
            ))
        }
    }
    Ok(())
}

/// `kith sync books`: the account's address books and task lists, one a line.
fn books(url: &str, user: &str, insecure: bool) -> Result<(), String> {
    let password = read_password()?;
    let found = kith_sync::collections(kith_sync::Login {
        url,
        user,
        password: &password,
        plain_http: insecure,
    })
    .map_err(words)?;
    for (kind, list) in [
        ("address book", found.address_books),
        ("task list", found.task_lists),
    ] {
        for c in list {
            println!(
                "{kind}\t{}\t{}",
                shown(&c.href),
                shown(&c.name.unwrap_or_default())
            );
        }
    }
    Ok(())
}

/// `kith sync conflicts`: the conflict log, one field a line.
fn conflicts(dir: &std::path::Path, json: bool) -> Result<(), String> {
    let store = Store::open_in(dir).map_err(|e| e.to_string())?;
    let conflicts = store.sync_conflicts().map_err(|e| e.to_string())?;
    if json {
        return print_json(&conflicts);
    }
    if conflicts.is_empty() {
        println!("The conflict log is empty.");
    }
    for c in &conflicts {
        println!(
            "{}\t{}\t{}: the server's “{}” was kept; yours was “{}” ({})",
            c.id,
            shown(&c.name),
            c.conflict.field,
            shown(&c.conflict.took),
            shown(&c.conflict.kept),
            c.at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    Ok(())
}

/// `kith sync status`: the account, the last round, the conflict log's size and what rounds
/// leave alone.
fn status(dir: &std::path::Path, json: bool) -> Result<(), String> {
    let store = Store::open_in(dir).map_err(|e| e.to_string())?;
    let status = store.sync_status().map_err(|e| e.to_string())?;
    if json {
        return print_json(&status);
    }
    match &status.account {
        None => println!("Not connected."),
        Some(a) => {
            println!(
                "{} as {}, address book {}",
                a.url,
                a.user,
                a.address_book.clone().unwrap_or_default()
            );
            match &a.task_list {
                Some(list) => println!("Follow-ups as tasks in {list}"),
                None => println!("Follow-ups stay in Kith (no task list)"),
            }
        }
    }
    match (status.last_at, &status.last_error) {
        (None, _) => {}
        (Some(at), None) => println!(
            "Last round: {} (went through).",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        (Some(at), Some(e)) => {
            println!(
                "Last round: {} — {}",
                at.format("%Y-%m-%d %H:%M UTC"),
                shown(e)
            )
        }
    }
    if status.conflicts > 0 {
        println!(
            "{} field(s) in the conflict log (kith sync conflicts).",
            status.conflicts
        );
    }
    for l in &status.left_alone {
        let what = match l.item {
            kith_core::sync::SyncItem::Card => "Card",
            kith_core::sync::SyncItem::Task => "Task",
        };
        println!(
            "{what} left alone until it changes on the server: {} — {}",
            shown(&l.href),
            shown(&l.reason)
        );
    }
    if status.account.is_some() {
        println!("{}", password_words(status.password_place));
    }
    Ok(())
}

/// Tells standard error how far a round's writes are, where someone watches (a terminal):
/// a line every 100 cards and at the end, so scripts and `--json` stay clean.
fn progress_on_stderr() -> kith_sync::Progress {
    use std::io::IsTerminal;
    let watched = std::io::stderr().is_terminal();
    Box::new(move |done, total| {
        if watched && total >= 100 && (done % 100 == 0 || done == total) {
            eprintln!("Sent {done} of {total} cards…");
        }
    })
}

fn password_words(place: Option<kith_core::sync::PasswordPlace>) -> &'static str {
    match place {
        Some(kith_core::sync::PasswordPlace::SecretService) => {
            "The password is in the desktop's keyring (Secret Service)."
        }
        _ => "No keyring service runs: the password is in a file in the data folder that only you can read.",
    }
}
