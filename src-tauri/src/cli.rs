//! The command line of the `kith` binary: with no subcommand it starts the desktop app;
//! `kith today` prints Today's suggestions for scripts and for checking the ranking without
//! a window; `kith import <file>` adds contacts from a vCard or CSV file (`--dry-run` shows
//! what it would do). It reads the same data dir as the app (`KITH_DATA_DIR` or
//! `--data-dir`).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use kith_core::export::ExportFormat;
use kith_core::import::Format;
use kith_core::model::Circle;
use kith_core::rank::Suggestion;
use kith_core::store::{ImportOptions, ImportPlan, ImportReport, ImportSource};
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
    let store = match Store::open_in(&dir) {
        Ok(store) => store,
        Err(e) => {
            return fail(&format!(
                "cannot open the database in {}: {e}",
                dir.display()
            ))
        }
    };
    match command {
        Command::Import {
            file,
            dry_run,
            json,
            tag,
            circle,
        } => import(store, &file, dry_run, json, ImportOptions { tag, circle }),
        Command::Export { format, output } => export(&store, format, &output),
        Command::Today { now, limit, json } => {
            let now = now.unwrap_or_else(Utc::now);
            match store.today(now, usize::from(limit)) {
                Ok(suggestions) if json => match serde_json::to_string_pretty(&suggestions) {
                    Ok(text) => {
                        println!("{text}");
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(&e.to_string()),
                },
                Ok(suggestions) => {
                    print!("{}", as_text(&suggestions));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            }
        }
    }
}

fn import(
    mut store: Store,
    file: &std::path::Path,
    dry_run: bool,
    json: bool,
    options: ImportOptions,
) -> ExitCode {
    let bytes = match kith_core::import::read_file(file) {
        Ok(bytes) => bytes,
        Err(e) => return fail(&format!("cannot import {}: {e}", file.display())),
    };
    if kith_core::import::detect(&bytes).ok() == Some(Format::Backup) {
        return restore(store, file, &bytes, dry_run);
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = match ImportSource::read(&name, &bytes, None) {
        Ok(source) => source,
        Err(e) => return fail(&format!("cannot import {}: {e}", file.display())),
    };
    if dry_run {
        return match store.plan_import(&source, &options) {
            Ok(plan) if json => print_json(&plan),
            Ok(plan) => {
                print!("{}", plan_text(&plan));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        };
    }
    match store.import(&source, &options, &[], Utc::now()) {
        Ok(report) if json => print_json(&report),
        Ok(report) => {
            print!("{}", report_text(&report));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// Restores a JSON backup into this (empty) data folder.
fn restore(mut store: Store, file: &std::path::Path, bytes: &[u8], dry_run: bool) -> ExitCode {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => return fail(&format!("{} is not UTF-8 text", file.display())),
    };
    if dry_run {
        println!(
            "{} is a Kith backup: `kith import` without --dry-run restores it into an empty data folder.",
            file.display()
        );
        return ExitCode::SUCCESS;
    }
    match store.restore_backup(text) {
        Ok(rows) => {
            println!("Restored {rows} rows from {}.", file.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("cannot restore {}: {e}", file.display())),
    }
}

/// Writes the export next to `output` first, then moves it into place: a failed export
/// never leaves a half-written file or clobbers the old one.
fn export(store: &Store, format: ExportFormat, output: &std::path::Path) -> ExitCode {
    let text = match store.export(format, Utc::now()) {
        Ok(text) => text,
        Err(e) => return fail(&e.to_string()),
    };
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let written = tempfile::NamedTempFile::new_in(dir).and_then(|mut tmp| {
        std::io::Write::write_all(&mut tmp, text.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(output).map_err(|e| e.error)?;
        Ok(())
    });
    match written {
        Ok(()) => {
            eprintln!("wrote {}", output.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("cannot write {}: {e}", output.display())),
    }
}

fn print_json(value: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
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

fn fail(message: &str) -> ExitCode {
    eprintln!("kith: {message}");
    ExitCode::from(2)
}
