//! The end-to-end harness: each test gets its own X display (Xvfb), its own D-Bus session
//! bus, its own data dir and a tauri-driver that starts the real debug binary of Kith in a
//! real WebKitGTK webview. Everything it starts runs in a process group of its own and is
//! ended when the test's values drop, pass or fail. A failing check saves a screenshot in
//! `tests/artifacts/`.

pub mod harness;
pub mod notifications;
pub mod tray_host;

pub use harness::{testid, App, Bus, BusChoice, TestEnv, TestResult};
pub use notifications::NotificationServer;
pub use tray_host::TrayHost;
