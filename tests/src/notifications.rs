//! A test server for org.freedesktop.Notifications on a private bus: it records every
//! `Notify` call and can answer as a user would, by emitting `ActionInvoked`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use zbus::blocking::connection;
use zbus::zvariant::OwnedValue;

use crate::{Bus, TestResult};

const PATH: &str = "/org/freedesktop/Notifications";
const INTERFACE: &str = "org.freedesktop.Notifications";

/// One `Notify` call as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub id: u32,
    pub app_name: String,
    pub summary: String,
    pub body: String,
    /// (key, label) pairs, in order.
    pub actions: Vec<(String, String)>,
}

#[derive(Default)]
struct Server {
    shown: Arc<Mutex<Vec<Shown>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    fn get_capabilities(&self) -> Vec<String> {
        // As dunst and GNOME Shell: the body is read as markup.
        vec!["actions".into(), "body".into(), "body-markup".into()]
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap_or_else(PoisonError::into_inner);
        let id = shown.len() as u32 + 1;
        shown.push(Shown {
            id,
            app_name,
            summary,
            body,
            actions: actions
                .chunks(2)
                .map(|pair| (pair[0].clone(), pair.get(1).cloned().unwrap_or_default()))
                .collect(),
        });
        id
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "kith-test-server".into(),
            "kith".into(),
            "1.0".into(),
            "1.2".into(),
        )
    }
}

/// A notification service that has hung: it owns the name but never answers `Notify`.
struct StuckServer;

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl StuckServer {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        _summary: String,
        _body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        std::future::pending::<u32>().await
    }
}

/// The running server. It owns the bus name until dropped.
pub struct NotificationServer {
    connection: zbus::blocking::Connection,
    shown: Arc<Mutex<Vec<Shown>>>,
}

impl NotificationServer {
    /// Serves on `bus` and returns once the name org.freedesktop.Notifications is owned.
    pub fn start(bus: &Bus) -> TestResult<NotificationServer> {
        let server = Server::default();
        let shown = server.shown.clone();
        let connection = connection::Builder::address(bus.address.as_str())?
            .serve_at(PATH, server)?
            .name(INTERFACE)?
            .build()?;
        Ok(NotificationServer { connection, shown })
    }

    /// Serves a hung service on `bus`: it never answers a notification.
    pub fn start_stuck(bus: &Bus) -> TestResult<zbus::blocking::Connection> {
        Ok(connection::Builder::address(bus.address.as_str())?
            .serve_at(PATH, StuckServer)?
            .name(INTERFACE)?
            .build()?)
    }

    /// Everything shown so far.
    pub fn shown(&self) -> Vec<Shown> {
        self.shown
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until `count` notifications were shown.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> TestResult<Vec<Shown>> {
        let end = Instant::now() + timeout;
        loop {
            let shown = self.shown();
            if shown.len() >= count {
                return Ok(shown);
            }
            if Instant::now() > end {
                return Err(
                    format!("{} notification(s) shown, expected {count}", shown.len()).into(),
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Acts as the user clicking the action `key` on notification `id`.
    pub fn invoke_action(&self, id: u32, key: &str) -> TestResult {
        self.connection
            .emit_signal(None::<&str>, PATH, INTERFACE, "ActionInvoked", &(id, key))?;
        Ok(())
    }
}
