//! Logs to stderr and to daily files in `<data dir>/logs` (a week is kept). Log lines carry
//! ids, counts and error messages, never the text of notes.

use std::path::Path;

use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Installs the global subscriber. Returns the guard that flushes the file writer on drop;
/// if the log folder cannot be used, logs go to stderr only and the app carries on.
pub fn init(data_dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let filter = || EnvFilter::try_from_env("KITH_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let dir = data_dir.join("logs");
    // The appender prunes old files when it starts and complains if the folder is missing.
    let appender = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            Builder::new()
                .rotation(Rotation::DAILY)
                .filename_prefix("kith")
                .filename_suffix("log")
                .max_log_files(7)
                .build(&dir)
                .map_err(|e| e.to_string())
        });
    match appender {
        Ok(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let file = fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter());
            let _ = tracing_subscriber::registry()
                .with(stderr)
                .with(file)
                .try_init();
            Some(guard)
        }
        Err(e) => {
            let _ = tracing_subscriber::registry().with(stderr).try_init();
            tracing::warn!(error = %e, "cannot write log files; logging to stderr only");
            None
        }
    }
}
