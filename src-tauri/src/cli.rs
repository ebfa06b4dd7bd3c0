//! The command line of the `kith` binary: with no subcommand it starts the desktop app;
//! `kith today` prints Today's suggestions for scripts and for checking the ranking without
//! a window; `kith import <file>` adds contacts from a vCard or CSV file (`--dry-run` shows
//! what it would do); `kith export`, `kith backup`, `kith backups` and `kith restore` write
//! and bring back the network; `kith sync` shares it through a CardDAV server. It reads the same data dir as the app (`KITH_DATA_DIR` or
//! `--data-dir`), and opens it only once its own arguments and files are checked: a typo
//! never leaves an empty database behind.
//!
//! Terminal safety: every value that comes from data or a path is printed through [`shown`]
//! (no control or bidi-override character reaches the terminal), and every line through
//! [`say`] (a reader that stops early, as `| head` does, ends the command quietly).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use kith_core::backup::BackupReason;
use kith_core::export::ExportFormat;
use kith_core::import::Format;
use kith_core::import::{ImportOptions, ImportPlan, ImportReport, ImportSource};
use kith_core::model::Circle;
use kith_core::rank::Suggestion;
use kith_core::Store;

/// `println!` of this module and the ones below it (`sync` too): the line goes through
/// [`say`].
macro_rules! println {
    () => {
        $crate::cli::say("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::say(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` of this module and the ones below it: the text goes through [`say`].
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::cli::say(&format!($($arg)*))
    };
}

mod sync;
pub use sync::SyncAction;

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
    if let Some(zone) = kith_core::paths::system_zone() {
        kith_core::store::use_system_zone(zone);
    }
    let open = || open_store(&dir, false);
    let read = || open_store(&dir, true);
    // A database failure names the folder it happened in.
    let failed = |e: kith_core::Error| match e.kind() {
        kith_core::ErrorKind::Storage => format!("{}: {e}", dir.display()),
        _ => e.to_string(),
    };
    let result = match command {
        Command::Import {
            file,
            dry_run,
            json,
            tag,
            circle,
        } => import(
            open,
            &file,
            dry_run,
            json,
            ImportOptions { tag, circle },
            failed,
        ),
        Command::Export { format, output } => read().and_then(|store| {
            store
                .export_file(format, Utc::now(), &output)
                .map(|()| eprintln!("wrote {}", shown_path(&output)))
                .map_err(|e| format!("cannot write {}: {}", output.display(), failed(e)))
        }),
        Command::Backup { to: Some(to) } => read().and_then(|store| {
            store
                .check_output(&to)
                .and_then(|()| store.back_up_to(&to))
                .map(|()| eprintln!("wrote {}", shown_path(&to)))
                .map_err(|e| format!("cannot back up to {}: {}", to.display(), failed(e)))
        }),
        Command::Backup { to: None } => open().and_then(|store| {
            store
                .back_up(BackupReason::Manual, Utc::now())
                .map(|b| println!("{}", shown_path(&store.backups_folder().join(&b.file_name))))
                .map_err(|e| format!("cannot back up: {}", failed(e)))
        }),
        Command::Backups { json } => read().and_then(|store| {
            let list = store.backups().map_err(failed)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No backups yet in {}.", shown_path(&store.backups_folder()));
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
                    shown(&b.file_name)
                );
            }
            Ok(())
        }),
        Command::Restore { file } => restore_database(open, &file, failed),
        Command::Sync { action, json } => sync::run(&dir, action, json),
        Command::Today { now, limit, json } => read().and_then(|store| {
            let now = now.unwrap_or_else(Utc::now);
            let suggestions = store.today(now, usize::from(limit)).map_err(failed)?;
            if json {
                print_json(&suggestions)
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

/// Opens the database in `dir`. When Kith cannot write there (the disk holding the folder
/// is full or read-only, the file is read-only), a command that only reads (`only_reads`:
/// today, export, backup --to, backups) reads it without writing, and says so; any other
/// says why it cannot.
fn open_store(dir: &Path, only_reads: bool) -> Result<Store, String> {
    let e = match Store::open_in(dir) {
        Ok(store) => return Ok(store),
        Err(e) => e,
    };
    // The folder's disk, else the database file itself (its folder may be writable).
    let file_read_only = matches!(&e, kith_core::Error::Io { source, .. }
        if source.kind() == std::io::ErrorKind::ReadOnlyFilesystem);
    let why = match e.kind() {
        kith_core::ErrorKind::Storage | kith_core::ErrorKind::Io => {
            kith_core::files::why_unwritable(dir).or_else(|| file_read_only.then(|| e.to_string()))
        }
        _ => None,
    };
    let Some(why) = why else {
        return Err(format!(
            "cannot open the database in {}: {e}",
            dir.display()
        ));
    };
    if only_reads {
        if let Ok(store) = Store::open_read_only(dir) {
            eprintln!(
                "kith: {}. Until then Kith reads the network without changing anything.",
                shown(&why)
            );
            return Ok(store);
        }
    }
    Err(format!(
        "cannot open the database in {}: {why}, then try again (`kith today`, `kith export` \
         and `kith backup --to` another disk only read it)",
        dir.display()
    ))
}

/// `kith restore FILE`: a name from `kith backups`, or a path.
fn restore_database(
    open: impl FnOnce() -> Result<Store, String>,
    file: &Path,
    failed: impl Fn(kith_core::Error) -> String,
) -> Result<(), String> {
    let mut store = open()?;
    let named = file
        .to_str()
        .filter(|name| !name.contains('/'))
        .and_then(|name| store.backup_path(name).ok());
    let path = named.unwrap_or_else(|| file.to_path_buf());
    let report = store.restore(&path, Utc::now()).map_err(failed)?;
    println!(
        "Restored {} contacts from {}. The network as it was is kept in {}.",
        report.contacts,
        shown_path(&path),
        shown_path(&store.backups_folder().join(&report.saved_as.file_name))
    );
    if let Some(url) = &report.file_sync_url {
        println!(
            "The file was synced with {}: its sync account was not taken. This computer keeps its own (kith sync status).",
            shown(url)
        );
    } else if report.sync_links_kept {
        println!("The next `kith sync` compares every card with the server again.");
    }
    Ok(())
}

fn import(
    open: impl FnOnce() -> Result<Store, String>,
    file: &Path,
    dry_run: bool,
    json: bool,
    options: ImportOptions,
    failed: impl Fn(kith_core::Error) -> String,
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
        let plan = store.plan_import(&source, &options).map_err(&failed)?;
        return if json {
            print_json(&plan)
        } else {
            print!("{}", plan_text(&plan));
            Ok(())
        };
    }
    let report = store
        .import(&source, &options, &[], Utc::now())
        .map_err(failed)?;
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
    file: &Path,
    dry_run: bool,
) -> Result<(), String> {
    if dry_run {
        println!(
            "{} is a Kith backup: `kith import` without --dry-run restores it into an empty data folder.",
            shown_path(file)
        );
        return Ok(());
    }
    let input = kith_core::import::open_file(file)
        .map_err(|e| format!("cannot restore {}: {e}", file.display()))?;
    let rows = open()?
        .restore_backup_from(input, Utc::now())
        .map_err(|e| format!("cannot restore {}: {e}", file.display()))?;
    println!("Restored {rows} rows from {}.", shown_path(file));
    Ok(())
}

/// Prints `value` as JSON. serde_json escapes C0 control characters; DEL, C1 and the bidi
/// overrides are escaped here too (`\u202e`: the same JSON, and a terminal shows it as is).
fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    // Its line breaks and indentation are its own; C0 in strings is escaped already.
    let escape = |c: u32| match char::from_u32(c) {
        Some('\n') => "\n".to_owned(),
        _ => format!("\\u{c:04x}"),
    };
    println!("{}", escaped(&text, escape));
    Ok(())
}

fn skipped_text(skipped: &[kith_core::import::Skipped]) -> String {
    skipped
        .iter()
        .map(|s| {
            format!(
                "  {}{}: {}\n",
                shown(&s.at),
                s.name
                    .as_deref()
                    .map(|n| format!(" ({})", shown(n)))
                    .unwrap_or_default(),
                shown(&s.reason)
            )
        })
        .collect()
}

fn plan_text(plan: &ImportPlan) -> String {
    let c = plan.counts;
    let mut out = format!(
        "{} ({}): {} new, {} already in Kith with something new, {} already in Kith, {} skipped\n",
        shown(&plan.file_name),
        plan.format.label(),
        c.new,
        c.duplicates,
        c.unchanged,
        c.skipped
    );
    for e in plan
        .entries
        .iter()
        .filter(|e| e.status == kith_core::import::EntryStatus::Duplicate)
    {
        out.push_str(&format!(
            "  {}: {} is {} — adds {}\n",
            shown(&e.at),
            shown(&e.contact.display_name),
            shown(e.existing_name.as_deref().unwrap_or_default()),
            shown(&e.adds.join(", "))
        ));
    }
    if !plan.skipped.is_empty() {
        out.push_str("Skipped:\n");
        out.push_str(&skipped_text(&plan.skipped));
    }
    out.push_str(&left_out_text(&plan.left_out()));
    out
}

/// The records imported without a value Kith could not read, and what was left out.
fn left_out_text(left_out: &[kith_core::import::Skipped]) -> String {
    if left_out.is_empty() {
        return String::new();
    }
    format!(
        "Imported without what could not be read:\n{}",
        skipped_text(left_out)
    )
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
    out.push_str(&left_out_text(&report.left_out));
    out
}

fn as_text(suggestions: &[Suggestion]) -> String {
    if suggestions.is_empty() {
        return "Nobody needs you today: everyone is within their rhythm.\n".into();
    }
    let mut out = String::new();
    for (i, s) in suggestions.iter().enumerate() {
        // In words, as Today's cards say it; `--json` keeps the names scripts read.
        let action = s.action.label();
        out.push_str(&format!("{:>2}. {} — {action}\n", i + 1, shown(&s.name)));
        for r in &s.reasons {
            out.push_str(&format!("    {}\n", shown(&r.text)));
        }
    }
    out
}

/// `text` as a terminal may show it: control characters (C0, DEL, C1) and the bidi overrides
/// and isolates (U+202A–202E, U+2066–2069) are written as `\u{…}`, so a name from someone
/// else's file can never move the cursor, clear the screen, set the title, write a link or
/// turn a line around. Everything printed that comes from data or a path goes through it.
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    escaped(text, |c| format!("\\u{{{c:x}}}"))
}

/// `text` with each control or bidi-override character written as `escape` makes it of its
/// code point.
fn escaped(text: &str, escape: impl Fn(u32) -> String) -> Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&escape(u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path as a terminal may show it (see [`shown`]).
pub(crate) fn shown_path(path: &Path) -> String {
    shown(&path.display().to_string()).into_owned()
}

/// Writes `text` to standard output. A reader that stopped reading (`kith today | head`)
/// ends the command there, quietly and successfully, as ripgrep does; any other failure to
/// write is said on standard error.
pub(crate) fn say(text: &str) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("kith: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("kith: {}", shown(message));
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_shown_escaped() {
        assert_eq!(shown("Priya Raman"), "Priya Raman");
        assert_eq!(
            shown("Bob\u{202E}gnp.exe\u{1b}]0;owned\u{7}\r\u{8}\u{7f}\u{9b}\u{2066}\n"),
            "Bob\\u{202e}gnp.exe\\u{1b}]0;owned\\u{7}\\u{d}\\u{8}\\u{7f}\\u{9b}\\u{2066}\\u{a}"
        );
        assert_eq!(shown("Zoë 李 \\ tab"), "Zoë 李 \\ tab");
    }
}
