//! A hostile middle for the sync tests: a TCP proxy in front of a real server that forwards
//! requests one per connection, and on demand never answers (a server that accepted the
//! connection and hangs) or forwards a write and drops the server's reply (the card is
//! stored, the answer never comes).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the proxy does with the next requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    Forward = 0,
    /// Accept, read the request, never answer.
    Hang = 1,
    /// Forward each PUT and drop the server's reply (the connection closes unanswered).
    DropPutReplies = 2,
    /// Forward all but REPORTs (listings and multigets), which are never answered.
    HangReports = 3,
}

pub struct Proxy {
    pub url: String,
    mode: Arc<AtomicU8>,
    dropped: Arc<AtomicU32>,
}

impl Proxy {
    /// A proxy to `target` (`http://127.0.0.1:port/`), forwarding until told otherwise.
    pub fn start(target: &str) -> Proxy {
        let upstream = target
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the proxy");
        let port = listener.local_addr().expect("its address").port();
        let mode = Arc::new(AtomicU8::new(Mode::Forward as u8));
        let dropped = Arc::new(AtomicU32::new(0));
        let (m, d) = (mode.clone(), dropped.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (m, d, upstream) = (m.clone(), d.clone(), upstream.clone());
                std::thread::spawn(move || serve(client, &upstream, &m, &d));
            }
        });
        Proxy {
            url: format!("http://127.0.0.1:{port}/"),
            mode,
            dropped,
        }
    }

    pub fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    /// How many replies to a PUT were dropped so far.
    pub fn dropped(&self) -> u32 {
        self.dropped.load(Ordering::SeqCst)
    }
}

/// One request from `client`: its head (with `Connection: close`) and body.
fn read_request(client: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    client.read_exact(&mut body).ok()?;
    let head: String = head
        .trim_end()
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .map(|l| format!("{l}\r\n"))
        .collect::<String>()
        + "Connection: close\r\n\r\n";
    Some((head, body))
}

fn serve(mut client: TcpStream, upstream: &str, mode: &AtomicU8, dropped: &AtomicU32) {
    let Some((head, body)) = read_request(&mut client) else {
        return;
    };
    let now = mode.load(Ordering::SeqCst);
    let hang =
        now == Mode::Hang as u8 || (now == Mode::HangReports as u8 && head.starts_with("REPORT "));
    if hang {
        // Hold the connection, answer nothing, until the test ends (or stops hanging).
        while mode.load(Ordering::SeqCst) == now {
            std::thread::sleep(Duration::from_millis(50));
        }
        return;
    }
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    if server.write_all(head.as_bytes()).is_err() || server.write_all(&body).is_err() {
        return;
    }
    let mut reply = Vec::new();
    if server.read_to_end(&mut reply).is_err() {
        return;
    }
    if now == Mode::DropPutReplies as u8 && head.starts_with("PUT ") {
        dropped.fetch_add(1, Ordering::SeqCst);
        // Closed unanswered: the card is stored, the answer lost.
        return;
    }
    let _ = client.write_all(&reply);
}
