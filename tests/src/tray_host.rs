//! A stand-in for the desktop's panel on a private bus: the StatusNotifierWatcher that tray
//! icons register with (KDE's, XFCE's, GNOME's AppIndicator extension…), saying that a host
//! shows them, and noting each icon registered.

use std::sync::{Arc, Mutex, PoisonError};

use zbus::blocking::connection;

use crate::{Bus, TestResult};

const NAME: &str = "org.kde.StatusNotifierWatcher";

#[derive(Default)]
struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&self, service: &str) {
        self.items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(service.to_owned());
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// The panel, serving until dropped.
pub struct TrayHost {
    _connection: zbus::blocking::Connection,
    items: Arc<Mutex<Vec<String>>>,
}

impl TrayHost {
    /// Serves on `bus` and returns once the watcher's name is owned.
    pub fn start(bus: &Bus) -> TestResult<TrayHost> {
        let watcher = Watcher::default();
        let items = watcher.items.clone();
        let connection = connection::Builder::address(bus.address.as_str())?
            .serve_at("/StatusNotifierWatcher", watcher)?
            .name(NAME)?
            .build()?;
        Ok(TrayHost {
            _connection: connection,
            items,
        })
    }

    /// The tray icons registered so far.
    pub fn items(&self) -> Vec<String> {
        self.items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
