//! The command line of the `kith` binary: with no subcommand it starts the desktop app;
//! `kith today` prints Today's suggestions for scripts and for checking the ranking without
//! a window; `kith import <file>` adds contacts from a vCard or CSV file (`--dry-run` shows
//! what it would do); `kith export`, `kith backup`, `kith backups` and `kith restore` write
//! and bring back the network; `kith sync` shares it through a CardDAV server. It reads the same data dir as the app (`KITH_DATA_DIR` or
//! `--data-dir`), and opens it only once its own arguments and files are checked: a typo
//! never leaves an empty database behind.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use kith_core::export::ExportFormat;
use kith_core::import::Format;
use kith_core::model::Circle;
use kith_core::rank::Suggestion;
use kith_core::store::{BackupReason, ImportOptions, ImportPlan, ImportReport, ImportSource};
use kith_core::Store;

#[derive(Debug, Parser)]
#[command(
    name = "kith",
    version,
    about = "Kith keeps your network alive, on purpose."
)]
pub struct Cli {
    /// Where Kith keeps its data (default: $KITH_DATA_DIR, else ~/.local/share/kith).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Start in the tray without opening the window (how Kith starts at login).
    #[arg(long)]
    pub tray: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Who to reach out to now, why, and how.
    Today {
        /// Rank as of this instant (RFC 3339, e.g. 2026-11-23T09:00:00Z) instead of now.
        #[arg(long, value_name = "TIME", value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
        /// How many suggestions to print.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
        limit: u16,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add contacts from a vCard (.vcf), LinkedIn's Connections.csv, a Google Contacts CSV
    /// or a CSV with a header row. People already in Kith get what is new about them; a
    /// file imported twice adds nothing the second time.
    Import {
        /// The file to import.
        file: PathBuf,
        /// Show what the import would do, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON: the counts, each contact as it would be stored, and
        /// the reason for every record skipped.
        #[arg(long)]
        json: bool,
        /// Tag everyone in the file, e.g. "Acme alumni".
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// The circle of the people it adds: inner, close, network or acquaintance.
        #[arg(long, value_name = "CIRCLE", value_parser = parse_circle)]
        circle: Option<Circle>,
    },
    /// Write the network to a file: vCard 4.0 (vcf), CSV, the full JSON backup (json; restore
    /// it with `kith --data-dir <new folder> import <file>`), or an iCalendar of upcoming
    /// reminders and follow-ups (ics).
    Export {
        #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
        format: ExportFormat,
        /// The file to write (replaced whole, never left half-written).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Take a backup of the database now: into the backups folder beside it (kept in the
    /// rotation), or to FILE.
    Backup {
        /// Write the backup to this file instead (replaced whole).
        #[arg(long, value_name = "FILE")]
        to: Option<PathBuf>,
    },
    /// List the backups in the backups folder, newest first.
    Backups {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Share the network through a CardDAV server (Radicale, Nextcloud, Fastmail, Baïkal…):
    /// with no action, one round both ways.
    Sync {
        #[command(subcommand)]
        action: Option<SyncAction>,
        /// Print the round's report (or the status) as JSON.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Replace the network with a backup (a file from `kith backups`, or any Kith database).
    /// The network as it is now is kept as a backup first.
    Restore {
        /// The backup: its name in the backups folder, or a path.
        file: PathBuf,
    },
}

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
    },
    /// List the address books and task lists of the account at URL (password as for
    /// `connect`).
    Books {
        url: String,
        #[arg(long)]
        user: String,
    },
    /// Forget the server and its password; every contact stays.
    Disconnect,
    /// The server, the address book and how the last round went.
    Status,
}

fn parse_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(text).ok_or_else(|| "use vcf, csv, json or ics".into())
}

fn parse_circle(text: &str) -> Result<Circle, String> {
    Circle::parse(text).ok_or_else(|| "use inner, close, network or acquaintance".into())
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 time such as 2026-11-23T09:00:00Z ({e})"))
}

/// Runs a CLI command; the GUI is started by the caller when there is none.
pub fn run(data_dir: Option<PathBuf>, command: Command) -> ExitCode {
    let dir = match data_dir.map(Ok).unwrap_or_else(kith_core::paths::data_dir) {
        Ok(dir) => dir,
        Err(e) => return fail(&e.to_string()),
    };
    let open = || {
        Store::open_in(&dir)
            .map_err(|e| format!("cannot open the database in {}: {e}", dir.display()))
    };
    let result = match command {
        Command::Import {
            file,
            dry_run,
            json,
            tag,
            circle,
        } => import(open, &file, dry_run, json, ImportOptions { tag, circle }),
        Command::Export { format, output } => open().and_then(|store| {
            kith_core::files::write_whole(&output, |out| store.export_to(format, Utc::now(), out))
                .map(|()| eprintln!("wrote {}", output.display()))
                .map_err(|e| format!("cannot write {}: {e}", output.display()))
        }),
        Command::Backup { to } => open().and_then(|store| match to {
            Some(to) => store
                .back_up_to(&to)
                .map(|()| eprintln!("wrote {}", to.display()))
                .map_err(|e| format!("cannot back up to {}: {e}", to.display())),
            None => store
                .back_up(BackupReason::Manual, Utc::now())
                .map(|b| println!("{}", store.backups_folder().join(&b.file_name).display()))
                .map_err(|e| format!("cannot back up: {e}")),
        }),
        Command::Backups { json } => open().and_then(|store| {
            let list = store.backups().map_err(|e| e.to_string())?;
            if json {
                return serde_json::to_string_pretty(&list)
                    .map(|text| println!("{text}"))
                    .map_err(|e| e.to_string());
            }
            if list.is_empty() {
                println!("No backups yet in {}.", store.backups_folder().display());
            }
            for b in list {
                println!(
                    "{}  {:<16} {:>7} contacts  {}",
                    b.taken_at.format("%Y-%m-%d %H:%M UTC"),
                    serde_json::to_value(b.reason)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    b.contacts.map_or("?".into(), |n| n.to_string()),
                    b.file_name
                );
            }
            Ok(())
        }),
        Command::Restore { file } => restore_database(open, &file),
        Command::Sync { action, json } => sync(&dir, action, json),
        Command::Today { now, limit, json } => open().and_then(|store| {
            let now = now.unwrap_or_else(Utc::now);
            let suggestions = store
                .today(now, usize::from(limit))
                .map_err(|e| e.to_string())?;
            if json {
                serde_json::to_string_pretty(&suggestions)
                    .map(|text| println!("{text}"))
                    .map_err(|e| e.to_string())
            } else {
                print!("{}", as_text(&suggestions));
                Ok(())
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

/// `kith restore FILE`: a name from `kith backups`, or a path.
fn restore_database(
    open: impl FnOnce() -> Result<Store, String>,
    file: &std::path::Path,
) -> Result<(), String> {
    let mut store = open()?;
    let named = file
        .to_str()
        .filter(|name| !name.contains('/'))
        .and_then(|name| store.backup_path(name).ok());
    let path = named.unwrap_or_else(|| file.to_path_buf());
    let report = store
        .restore(&path, Utc::now())
        .map_err(|e| e.to_string())?;
    println!(
        "Restored {} contacts from {}. The network as it was is kept in {}.",
        report.contacts,
        path.display(),
        store
            .backups_folder()
            .join(&report.saved_as.file_name)
            .display()
    );
    Ok(())
}

fn import(
    open: impl FnOnce() -> Result<Store, String>,
    file: &std::path::Path,
    dry_run: bool,
    json: bool,
    options: ImportOptions,
) -> Result<(), String> {
    let cannot = |e: kith_core::Error| format!("cannot import {}: {e}", file.display());
    let head = kith_core::import::read_head(file).map_err(cannot)?;
    if kith_core::import::detect(&head).ok() == Some(Format::Backup) {
        return restore_json(open, file, dry_run);
    }
    let bytes = kith_core::import::read_file(file).map_err(cannot)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = ImportSource::read(&name, &bytes, None).map_err(cannot)?;
    let mut store = open()?;
    if dry_run {
        let plan = store
            .plan_import(&source, &options)
            .map_err(|e| e.to_string())?;
        return if json {
            print_json(&plan)
        } else {
            print!("{}", plan_text(&plan));
            Ok(())
        };
    }
    let report = store
        .import(&source, &options, &[], Utc::now())
        .map_err(|e| e.to_string())?;
    if json {
        print_json(&report)
    } else {
        print!("{}", report_text(&report));
        Ok(())
    }
}

/// Restores a JSON backup into this (empty) data folder, reading it as it streams.
fn restore_json(
    open: impl FnOnce() -> Result<Store, String>,
    file: &std::path::Path,
    dry_run: bool,
) -> Result<(), String> {
    if dry_run {
        println!(
            "{} is a Kith backup: `kith import` without --dry-run restores it into an empty data folder.",
            file.display()
        );
        return Ok(());
    }
    let input = kith_core::import::open_file(file)
        .map_err(|e| format!("cannot restore {}: {e}", file.display()))?;
    let rows = open()?
        .restore_backup_from(input)
        .map_err(|e| format!("cannot restore {}: {e}", file.display()))?;
    println!("Restored {rows} rows from {}.", file.display());
    Ok(())
}

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    serde_json::to_string_pretty(value)
        .map(|text| println!("{text}"))
        .map_err(|e| e.to_string())
}

fn skipped_text(skipped: &[kith_core::import::Skipped]) -> String {
    skipped
        .iter()
        .map(|s| {
            format!(
                "  {}{}: {}\n",
                s.at,
                s.name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                s.reason
            )
        })
        .collect()
}

fn plan_text(plan: &ImportPlan) -> String {
    let c = plan.counts;
    let mut out = format!(
        "{} ({}): {} new, {} already in Kith with something new, {} already in Kith, {} skipped\n",
        plan.file_name,
        plan.format.label(),
        c.new,
        c.duplicates,
        c.unchanged,
        c.skipped
    );
    for e in plan
        .entries
        .iter()
        .filter(|e| e.status == kith_core::store::EntryStatus::Duplicate)
    {
        out.push_str(&format!(
            "  {}: {} is {} — adds {}\n",
            e.at,
            e.contact.display_name,
            e.existing_name.as_deref().unwrap_or_default(),
            e.adds.join(", ")
        ));
    }
    if !plan.skipped.is_empty() {
        out.push_str("Skipped:\n");
        out.push_str(&skipped_text(&plan.skipped));
    }
    out
}

fn report_text(report: &ImportReport) -> String {
    let mut out = format!(
        "Imported: {} added, {} updated, {} already in Kith, {} skipped\n",
        report.added,
        report.merged,
        report.unchanged,
        report.skipped.len()
    );
    if !report.skipped.is_empty() {
        out.push_str("Skipped:\n");
        out.push_str(&skipped_text(&report.skipped));
    }
    out
}

fn as_text(suggestions: &[Suggestion]) -> String {
    if suggestions.is_empty() {
        return "Nobody needs you today: everyone is within their rhythm.\n".into();
    }
    let mut out = String::new();
    for (i, s) in suggestions.iter().enumerate() {
        let action = serde_json::to_value(s.action)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out.push_str(&format!("{:>2}. {} — {action}\n", i + 1, s.name));
        for r in &s.reasons {
            out.push_str(&format!("    {}\n", r.text));
        }
    }
    out
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
            c.name, c.conflict.field, c.conflict.took, c.conflict.kept
        ));
    }
    for s in &first.skipped {
        out.push_str(&format!("  left alone: {s}\n"));
    }
    out
}

fn sync(dir: &std::path::Path, action: Option<SyncAction>, json: bool) -> Result<(), String> {
    let words = |e: kith_sync::SyncError| e.to_string();
    match action {
        None => {
            let report = kith_sync::sync_now(dir).map_err(words)?;
            if json {
                return serde_json::to_string_pretty(&report)
                    .map(|text| println!("{text}"))
                    .map_err(|e| e.to_string());
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
                println!("Task left alone: {s}");
            }
            if p.conflicts > 0 {
                println!(
                    "{} field(s) changed on both sides: the server's value was kept, yours is in the conflict log.",
                    p.conflicts
                );
            }
            for s in &p.skipped {
                println!("Left alone: {s}");
            }
            Ok(())
        }
        Some(SyncAction::Connect {
            url,
            user,
            address_book,
            create,
            task_list,
            no_tasks,
        }) => {
            let password = read_password()?;
            let choice = match (address_book, create) {
                (Some(href), _) => kith_sync::BookChoice::Href(href),
                (None, true) => kith_sync::BookChoice::CreateKith,
                (None, false) => kith_sync::BookChoice::Only,
            };
            let tasks = match (task_list, no_tasks) {
                (Some(href), _) => kith_sync::ListChoice::Href(href),
                (None, true) => kith_sync::ListChoice::Off,
                (None, false) => kith_sync::ListChoice::Kith,
            };
            let account =
                kith_sync::connect(dir, &url, &user, &password, choice, tasks).map_err(words)?;
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
            // What the first round will do with what the address book holds already.
            let book =
                kith_sync::BookChoice::Href(account.address_book.clone().unwrap_or_default());
            if let Some(first) =
                kith_sync::preview(dir, &url, &user, &password, book).map_err(words)?
            {
                print!("{}", first_sync_words(&first));
            }
            let status = Store::open_in(dir)
                .and_then(|s| s.sync_status())
                .map_err(|e| e.to_string())?;
            println!("{}", password_words(status.password_place));
            Ok(())
        }
        Some(SyncAction::Books { url, user }) => {
            let password = read_password()?;
            let found = kith_sync::collections(&url, &user, &password).map_err(words)?;
            for (kind, list) in [
                ("address book", found.address_books),
                ("task list", found.task_lists),
            ] {
                for c in list {
                    println!("{kind}\t{}\t{}", c.href, c.name.unwrap_or_default());
                }
            }
            Ok(())
        }
        Some(SyncAction::Disconnect) => {
            kith_sync::disconnect(dir).map_err(words)?;
            println!("Disconnected; every contact stays.");
            Ok(())
        }
        Some(SyncAction::Status) => {
            let store = Store::open_in(dir).map_err(|e| e.to_string())?;
            let status = store.sync_status().map_err(|e| e.to_string())?;
            if json {
                return serde_json::to_string_pretty(&status)
                    .map(|text| println!("{text}"))
                    .map_err(|e| e.to_string());
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
                    println!("Last round: {} — {e}", at.format("%Y-%m-%d %H:%M UTC"))
                }
            }
            if status.conflicts > 0 {
                println!("{} field(s) in the conflict log.", status.conflicts);
            }
            if status.account.is_some() {
                println!("{}", password_words(status.password_place));
            }
            Ok(())
        }
    }
}

fn password_words(place: Option<kith_core::sync::PasswordPlace>) -> &'static str {
    match place {
        Some(kith_core::sync::PasswordPlace::SecretService) => {
            "The password is in the desktop's keyring (Secret Service)."
        }
        _ => "No keyring service runs: the password is in a file in the data folder that only you can read.",
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("kith: {message}");
    ExitCode::from(2)
}
