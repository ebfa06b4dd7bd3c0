//! `make bench` (sync part): a first sync of 1,000 contacts (its writes 4 at a time, beside
//! the same push one card at a time) and a round with nothing changed,
//! on Radicale and on Xandikos started for the run, each beside the raw HTTP time of the
//! same requests made with plain reqwest (the same cards PUT one by one; one sync-collection
//! REPORT and one addressbook-multiget per 100 cards; one REPORT with the token). Prints the
//! figures and the ratios; never fails on a timing. `KITH_BENCH_SYNC_CONTACTS` lowers the
//! size for a quick look; `KITH_BENCH_SYNC_WRITERS` tries another number of writers.

#[path = "../tests/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use chrono::Utc;
use kith_core::testing::person;
use support::{server, Device, Kind, PASSWORD, USER};

struct Raw {
    client: reqwest::Client,
    base: String,
}

impl Raw {
    async fn send(
        &self,
        method: &str,
        href: &str,
        body: String,
        headers: &[(&str, &str)],
    ) -> String {
        let mut request = self
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("a method"),
                format!("{}{href}", self.base),
            )
            .basic_auth(USER, Some(PASSWORD))
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("a response");
        assert!(
            response.status().is_success(),
            "{method} {href}: {}",
            response.status()
        );
        response.text().await.expect("a body")
    }
}

const XML: (&str, &str) = ("Content-Type", "application/xml; charset=utf-8");

fn sync_collection(token: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    )
}

fn multiget(hrefs: &[String]) -> String {
    let hrefs: String = hrefs
        .iter()
        .map(|h| format!("<D:href>{h}</D:href>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop>{hrefs}</C:addressbook-multiget>"#
    )
}

/// The text between the first `<…sync-token>` and its end.
fn token_in(body: &str) -> String {
    body.split("sync-token>")
        .nth(1)
        .and_then(|t| t.split("</").next())
        .unwrap_or_default()
        .to_owned()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `contacts` people, each with an email and a company.
fn add_people(store: &mut kith_core::Store, contacts: usize) {
    for n in 0..contacts {
        person(&format!("Person {n:05}"))
            .email(&format!("p{n}@example.org"))
            .company("Acme")
            .add(store, Utc::now())
            .expect("a contact");
    }
}

async fn measure(kind: Kind, contacts: usize) {
    let mut laptop = Device::new(kind, "bench-kith").await;
    let mut desktop = Device::new(kind, "bench-kith").await;
    add_people(&mut laptop.store, contacts);
    let writers: usize = std::env::var("KITH_BENCH_SYNC_WRITERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4);
    laptop.server.set_writers(writers);
    let cards: Vec<String> = laptop
        .store
        .push_plan(Utc::now(), || uuid::Uuid::new_v4().to_string())
        .expect("a plan")
        .creates
        .into_iter()
        .map(|p| p.text)
        .collect();

    let started = Instant::now();
    laptop.sync().await;
    let push = started.elapsed();
    // The same first push one card at a time, as rounds wrote before (into a book of its own).
    let mut one_by_one = Device::new(kind, "bench-one-by-one").await;
    one_by_one.server.set_writers(1);
    add_people(&mut one_by_one.store, contacts);
    let started = Instant::now();
    one_by_one.sync().await;
    let push_one_by_one = started.elapsed();
    let started = Instant::now();
    desktop.sync().await;
    let pull = started.elapsed();
    let started = Instant::now();
    desktop.sync().await;
    let idle = started.elapsed();

    // The same requests, raw, into a collection of their own.
    let book = laptop
        .server
        .create_address_book("bench-raw", "Raw")
        .await
        .expect("a collection")
        .href;
    let raw = Raw {
        client: reqwest::Client::new(),
        base: server(kind).url.trim_end_matches('/').to_owned(),
    };
    let started = Instant::now();
    let mut hrefs = Vec::new();
    for (n, card) in cards.iter().enumerate() {
        let href = format!("{book}raw-{n}.vcf");
        raw.send(
            "PUT",
            &href,
            card.clone(),
            &[
                ("Content-Type", "text/vcard; charset=utf-8"),
                ("If-None-Match", "*"),
            ],
        )
        .await;
        hrefs.push(href);
    }
    let raw_push = started.elapsed();
    let started = Instant::now();
    let listing = raw
        .send("REPORT", &book, sync_collection(""), &[XML, ("Depth", "1")])
        .await;
    for batch in hrefs.chunks(100) {
        raw.send("REPORT", &book, multiget(batch), &[XML, ("Depth", "1")])
            .await;
    }
    let raw_pull = started.elapsed();
    let token = token_in(&listing);
    let started = Instant::now();
    raw.send(
        "REPORT",
        &book,
        sync_collection(&token),
        &[XML, ("Depth", "1")],
    )
    .await;
    let raw_idle = started.elapsed();

    println!("{kind:?}, {contacts} contacts:");
    println!(
        "  {:<44} {:>9.1} ms   one at a time {:>9.1} ms   {:>5.2}×",
        format!("first sync, sending {writers} cards at once"),
        ms(push),
        ms(push_one_by_one),
        push.as_secs_f64() / push_one_by_one.as_secs_f64().max(1e-9)
    );
    for (what, kith, raw) in [
        ("first sync, sending (PUT each card)", push, raw_push),
        ("first sync, receiving (listing + multiget)", pull, raw_pull),
        ("a round with nothing changed", idle, raw_idle),
    ] {
        println!(
            "  {what:<44} {:>9.1} ms   raw HTTP {:>9.1} ms   {:>5.2}×",
            ms(kith),
            ms(raw),
            kith.as_secs_f64() / raw.as_secs_f64().max(1e-9)
        );
    }
}

fn main() {
    let contacts = std::env::var("KITH_BENCH_SYNC_CONTACTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    println!("Kith sync benchmarks — each figure beside the same requests made raw\n");
    let runtime = support::runtime();
    for kind in [Kind::Radicale, Kind::Xandikos] {
        runtime.block_on(measure(kind, contacts));
    }
}
