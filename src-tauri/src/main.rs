// Without this a release build on Windows would open a console next to the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::Parser;
use kith_app::cli::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Some(dir) = &cli.data_dir {
        // The app and everything it opens use this data dir.
        std::env::set_var(kith_core::paths::DATA_DIR_ENV, dir);
    }
    match cli.command {
        Some(command) => kith_app::cli::run(cli.data_dir, command),
        None => kith_app::run(cli.tray),
    }
}
