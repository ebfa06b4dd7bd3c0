//! One sync round against the chosen address book, then the task list. Pull first: the
//! changes since the last sync token (RFC 6578), or every item by ETag when there is no token
//! or the server refuses it, fetched 100 at a time and applied with the new token in one
//! transaction. Then push: new items written only where none is (`If-None-Match: *`),
//! changes only over the version Kith last saw (`If-Match`; a newer one on the server is
//! pulled, joined and written again, a few times at most), deletions likewise. Offline,
//! nothing queues but the store's state: the next round sends what is still different.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use http::StatusCode;
use kith_core::sync::{PullReport, Pulled, Push, RoundReport, SyncItem, TaskPush, TaskReport};
use kith_core::Store;
use libdav::caldav::GetCalendarResources;
use libdav::carddav::GetAddressBookResources;
use libdav::dav::WebDavError;
use libdav::dav::{Delete, GetEtag, ListResources, ListedResource, PutResource, SyncCollection};
use libdav::FetchedResource;

use crate::{Result, Server, SyncError};

/// Cards fetched per multiget.
const BATCH: usize = 100;
/// Writes tried again after meeting a newer version on the server.
const RETRIES: u32 = 3;
const VCARD: &str = "text/vcard; charset=utf-8";
const ICALENDAR: &str = "text/calendar; charset=utf-8";

/// One round: pull, then push, the address book first (a task names a card), then the task
/// list where there is one. The store's account names both.
/// A round that outlasts the server's round limit stops there: what it applied or sent so
/// far is kept (each write is recorded as it lands), and the next round goes on.
pub async fn round(store: &mut Store, server: &Server, now: DateTime<Utc>) -> Result<RoundReport> {
    let limit = server.limits().round;
    tokio::time::timeout(limit, unbounded_round(store, server, now))
        .await
        .unwrap_or(Err(SyncError::RoundTimedOut(limit.as_secs())))
}

async fn unbounded_round(
    store: &mut Store,
    server: &Server,
    now: DateTime<Utc>,
) -> Result<RoundReport> {
    let account = store.sync_account()?.ok_or(SyncError::NotConnected)?;
    let book = account.address_book.ok_or(SyncError::NoAddressBook)?;
    let mut report = RoundReport {
        pulled: pull(store, server, &book, now).await?,
        ..RoundReport::default()
    };
    push(store, server, &book, now, &mut report).await?;
    if let Some(list) = account.task_list {
        report.tasks = pull_tasks(store, server, &list, now).await?;
        push_tasks(store, server, &list, now, &mut report.tasks).await?;
    }
    Ok(report)
}

/// The two kinds of collection a round syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    AddressBook,
    TaskList,
}

/// What changed in a collection since the last round: the items, and the hrefs gone.
struct Changes {
    pulled: Vec<Pulled>,
    deleted: Vec<String>,
    /// Items the server sent in a form Kith cannot read, with why.
    unreadable: Vec<(String, String)>,
    token: Option<String>,
}

/// The server refused a version or a token: a newer version is there, or the token is too
/// old (403 `DAV:valid-sync-token`, or a bare 412).
fn refused<E>(e: &WebDavError<E>) -> bool {
    matches!(
        e,
        WebDavError::PreconditionFailed(_)
            | WebDavError::BadStatusCode(StatusCode::PRECONDITION_FAILED | StatusCode::FORBIDDEN)
    )
}

/// A round's first half: what changed on the server, into the store with the new token.
pub async fn pull(
    store: &mut Store,
    server: &Server,
    book: &str,
    now: DateTime<Utc>,
) -> Result<PullReport> {
    let c = changes(
        server,
        Kind::AddressBook,
        book,
        store.sync_token()?,
        &store.sync_known()?,
    )
    .await?;
    let mut report = store.apply_pull(&c.pulled, &c.deleted, c.token.as_deref(), now)?;
    store.leave_alone(SyncItem::Card, &c.unreadable, now)?;
    report.skipped.extend(unreadable_words(&c.unreadable));
    Ok(report)
}

/// Items left alone as a report says them: where, and why.
pub(crate) fn unreadable_words(
    unreadable: &[(String, String)],
) -> impl Iterator<Item = String> + '_ {
    unreadable
        .iter()
        .map(|(href, why)| format!("{href}: {why}"))
}

/// Every card in the address book `book` (to preview a first round), and those that could
/// not be read, with why.
pub(crate) async fn all_cards(
    server: &Server,
    book: &str,
) -> Result<(Vec<Pulled>, Vec<(String, String)>)> {
    let all = changes(server, Kind::AddressBook, book, None, &HashMap::new()).await?;
    Ok((all.pulled, all.unreadable))
}

/// The task list's changes, into the store with its new token.
async fn pull_tasks(
    store: &mut Store,
    server: &Server,
    list: &str,
    now: DateTime<Utc>,
) -> Result<TaskReport> {
    let c = changes(
        server,
        Kind::TaskList,
        list,
        store.task_sync_token()?,
        &store.sync_known_tasks()?,
    )
    .await?;
    let mut report = store.apply_task_pull(&c.pulled, &c.deleted, c.token.as_deref(), now)?;
    store.leave_alone(SyncItem::Task, &c.unreadable, now)?;
    report.skipped.extend(unreadable_words(&c.unreadable));
    Ok(report)
}

/// What changed in `collection` since `token` (every item when there is none or the server
/// refuses it), the changed items fetched. `known` is every item Kith has, by its version.
async fn changes(
    server: &Server,
    kind: Kind,
    collection: &str,
    token: Option<String>,
    known: &HashMap<String, Option<String>>,
) -> Result<Changes> {
    let dav = &server.dav;
    let since = match token {
        Some(token) => match dav
            .request(SyncCollection::new(collection).with_sync_token(&token))
            .await
        {
            Ok(changes) => Some(changes),
            Err(e) if refused(&e) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let (listed, mut deleted, token) = match since {
        Some(changes) => (
            changes.changed,
            changes.deleted,
            Some(changes.new_sync_token),
        ),
        None => {
            // Every item, by ETag: with sync-collection where the server has it, else a plain
            // listing (and no token: the next round lists again).
            let (listed, token) = match dav.request(SyncCollection::new(collection)).await {
                Ok(all) => (all.changed, Some(all.new_sync_token)),
                // A server that answered, without sync-collection; one that did not answer
                // (or refused the account) says so.
                Err(e) => match SyncError::from(e) {
                    SyncError::Server(_) => (
                        dav.request(ListResources::new(collection)).await?.resources,
                        None,
                    ),
                    other => return Err(other),
                },
            };
            let present: HashSet<&str> = listed.iter().map(|r| r.href.as_str()).collect();
            let gone = known
                .keys()
                .filter(|href| !present.contains(href.as_str()))
                .cloned()
                .collect();
            (listed, gone, token)
        }
    };
    let wanted: Vec<String> = listed
        .into_iter()
        .filter(|r| is_item(r, collection))
        .filter(|r| known.get(&r.href).is_none_or(|etag| *etag != r.etag))
        .map(|r| r.href)
        .collect();
    let mut pulled = Vec::new();
    let mut unreadable = Vec::new();
    for batch in wanted.chunks(BATCH) {
        let fetched = fetch(server, kind, collection, batch).await?;
        pulled.extend(fetched.items);
        deleted.extend(fetched.gone);
        unreadable.extend(fetched.unreadable);
    }
    Ok(Changes {
        pulled,
        deleted,
        unreadable,
        token,
    })
}

/// An item of the collection, not the collection itself or a sub-collection.
fn is_item(r: &ListedResource, collection: &str) -> bool {
    r.href.trim_end_matches('/') != collection.trim_end_matches('/') && !r.href.ends_with('/')
}

/// What a fetch brought: the items, the hrefs gone, and the items that could not be read
/// (with why), to be left alone.
#[derive(Default)]
struct Fetched {
    items: Vec<Pulled>,
    gone: Vec<String>,
    unreadable: Vec<(String, String)>,
}

/// The items at `hrefs`, in one multiget; where the server's answer cannot be read as a
/// whole (one item in it carries what XML forbids), each item on its own, so one bad item
/// is left alone and named rather than failing every round.
async fn fetch(server: &Server, kind: Kind, collection: &str, hrefs: &[String]) -> Result<Fetched> {
    let answer = match kind {
        Kind::AddressBook => server
            .dav
            .request(GetAddressBookResources::new(collection).with_hrefs(hrefs))
            .await
            .map(|r| r.resources),
        Kind::TaskList => server
            .dav
            .request(GetCalendarResources::new(collection).with_hrefs(hrefs))
            .await
            .map(|r| r.resources),
    };
    let found: Vec<FetchedResource> = match answer {
        Ok(found) => found,
        // A server that cannot put one item into XML fails the whole answer (Xandikos: 500).
        Err(WebDavError::Xml(_) | WebDavError::InvalidResponse(_)) => {
            return fetch_one_by_one(server, hrefs).await;
        }
        Err(WebDavError::BadStatusCode(status)) if status.is_server_error() => {
            return fetch_one_by_one(server, hrefs).await;
        }
        Err(e) => return Err(e.into()),
    };
    let mut fetched = Fetched::default();
    for r in found {
        match r.content {
            Ok(content) => fetched.items.push(Pulled {
                href: r.href,
                etag: Some(content.etag),
                text: content.data,
            }),
            Err(StatusCode::NOT_FOUND) => fetched.gone.push(r.href),
            Err(status) => return Err(SyncError::Server(format!("{status} for {}", r.href))),
        }
    }
    Ok(fetched)
}

/// Each item at `hrefs` by a plain GET (no XML around it).
async fn fetch_one_by_one(server: &Server, hrefs: &[String]) -> Result<Fetched> {
    let mut fetched = Fetched::default();
    for href in hrefs {
        let uri = server
            .dav
            .relative_uri(href)
            .map_err(|_| SyncError::Server(format!("an address Kith cannot use: {href}")))?;
        let request = http::Request::get(uri)
            .body(String::new())
            .map_err(|e| SyncError::Server(e.to_string()))?;
        let (head, body) = server
            .dav
            .request_raw(request)
            .await
            .map_err(|e| SyncError::from(WebDavError::Request(e)))?;
        match head.status {
            StatusCode::NOT_FOUND | StatusCode::GONE => fetched.gone.push(href.clone()),
            status if status.is_success() => match String::from_utf8(body.to_vec()) {
                Ok(text) => fetched.items.push(Pulled {
                    href: href.clone(),
                    etag: head
                        .headers
                        .get(http::header::ETAG)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned),
                    text,
                }),
                Err(_) => fetched.unreadable.push((
                    href.clone(),
                    "the server sends it in a form that is not UTF-8 text".to_owned(),
                )),
            },
            StatusCode::UNAUTHORIZED => return Err(SyncError::Unauthorized),
            status if status.is_server_error() => fetched.unreadable.push((
                href.clone(),
                format!("the server fails to send it ({status})"),
            )),
            status => return Err(SyncError::Server(format!("{status} for {href}"))),
        }
    }
    Ok(fetched)
}

/// What a conditional write came to.
enum Written {
    /// Written; the server's version of it now.
    At(String),
    /// The server holds another version (a newer one, or an item both sides named).
    Refused(SyncError),
}

/// Writes `text` at `href`: where nothing is when `over` is `None` (`If-None-Match: *`),
/// else only over version `over` (`If-Match`). The version written is the one the server
/// named in its answer, else the one it gives when asked.
async fn put(
    server: &Server,
    href: &str,
    text: &str,
    kind: &str,
    over: Option<&str>,
) -> Result<Written> {
    let answer = match over {
        None => {
            server
                .dav
                .request(PutResource::new(href).create(text.to_owned(), kind))
                .await
        }
        Some(etag) => {
            server
                .dav
                .request(PutResource::new(href).update(text.to_owned(), kind, etag.to_owned()))
                .await
        }
    };
    match answer {
        Ok(written) => Ok(Written::At(match written.etag {
            Some(etag) => etag,
            None => server.dav.request(GetEtag::new(href)).await?.etag,
        })),
        Err(e) if refused(&e) => Ok(Written::Refused(e.into())),
        Err(e) => Err(e.into()),
    }
}

/// Card writes in flight at once: servers take them in turn, but the next request is on its
/// way while the last is stored.
pub(crate) const WRITERS: usize = 4;

/// A round's second half: what changed in Kith, onto the server — new and changed cards a
/// few at a time, each recorded as it lands (so a round cut short keeps what it sent), then
/// deletions.
pub async fn push(
    store: &mut Store,
    server: &Server,
    book: &str,
    now: DateTime<Utc>,
    report: &mut RoundReport,
) -> Result<()> {
    let dav = &server.dav;
    let plan = store.push_plan(now, || uuid::Uuid::new_v4().to_string())?;
    let total = plan.creates.len() + plan.updates.len();
    let mut writes = futures_util::stream::iter(plan.creates.iter().chain(&plan.updates))
        .map(|p| async move {
            let written = put(server, &p.href, &p.text, VCARD, p.etag.as_deref()).await;
            (p, written)
        })
        .buffer_unordered(server.writers);
    let mut done = 0;
    while let Some((p, written)) = writes.next().await {
        match written? {
            Written::At(etag) => {
                store.record_pushed(p, Some(&etag))?;
                count_written(p, report);
            }
            // A new card's name is taken already: its own earlier write, whose answer was
            // lost; the next pull finds it.
            Written::Refused(_) if p.etag.is_none() => {}
            Written::Refused(_) => rewrite(store, server, book, now, p, report).await?,
        }
        done += 1;
        server.progress(done, total);
    }
    drop(writes);
    for t in &plan.deletes {
        let done = match &t.etag {
            Some(etag) => {
                dav.request(Delete::new(&t.href).with_etag(etag.clone()))
                    .await
            }
            None => dav.request(Delete::new(&t.href).force()).await,
        };
        match done {
            Ok(_) | Err(WebDavError::BadStatusCode(StatusCode::NOT_FOUND)) => {
                store.record_deleted(&t.href)?;
                report.deleted += 1;
            }
            Err(e) if refused(&e) => {
                // Changed on the server since: the edit wins. Kith lists every card next
                // round and the person comes back.
                store.record_deleted(&t.href)?;
                store.forget_sync_token()?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn count_written(p: &Push, report: &mut RoundReport) {
    if p.etag.is_none() {
        report.created += 1;
    } else {
        report.updated += 1;
    }
}

/// A card changed on the server since Kith last looked: joined, then the join written over
/// the version just read — a few times at most; where the server deleted it meanwhile, Kith's
/// edit brings it back under its own name.
async fn rewrite(
    store: &mut Store,
    server: &Server,
    book: &str,
    now: DateTime<Utc>,
    first: &Push,
    report: &mut RoundReport,
) -> Result<()> {
    let mut p = first.clone();
    for attempt in 0..RETRIES {
        report.retried += 1;
        let fetched = fetch(
            server,
            Kind::AddressBook,
            book,
            std::slice::from_ref(&p.href),
        )
        .await?;
        let token = store.sync_token()?;
        let joined = store.apply_pull(&fetched.items, &fetched.gone, token.as_deref(), now)?;
        report.pulled.merged += joined.merged;
        report.pulled.conflicts += joined.conflicts;
        let plan = store.push_plan(now, || uuid::Uuid::new_v4().to_string())?;
        let Some(next) = plan
            .creates
            .into_iter()
            .chain(plan.updates)
            .find(|u| u.contact_id == p.contact_id)
        else {
            return Ok(());
        };
        p = next;
        match put(server, &p.href, &p.text, VCARD, p.etag.as_deref()).await? {
            Written::At(etag) => {
                store.record_pushed(&p, Some(&etag))?;
                count_written(&p, report);
                return Ok(());
            }
            Written::Refused(e) if attempt + 1 == RETRIES => return Err(e),
            Written::Refused(_) => {}
        }
    }
    Ok(())
}

/// The task list's half of the push: tasks for new follow-ups and changed ones (a follow-up
/// that goes leaves a tombstone, deleted with the cards').
async fn push_tasks(
    store: &mut Store,
    server: &Server,
    list: &str,
    now: DateTime<Utc>,
    report: &mut TaskReport,
) -> Result<()> {
    let plan = store.task_push_plan(now, || uuid::Uuid::new_v4().to_string())?;
    for p in &plan.creates {
        if let Written::At(etag) = put(server, &p.href, &p.text, ICALENDAR, None).await? {
            store.record_task_pushed(p, Some(&etag))?;
            report.created += 1;
        }
    }
    for first in &plan.updates {
        let mut p: TaskPush = first.clone();
        for attempt in 0..=RETRIES {
            let over = p.etag.clone().unwrap_or_default();
            match put(server, &p.href, &p.text, ICALENDAR, Some(&over)).await? {
                Written::At(etag) => {
                    store.record_task_pushed(&p, Some(&etag))?;
                    report.sent += 1;
                    break;
                }
                Written::Refused(_) if attempt < RETRIES => {
                    // Changed on the server since: join it, then write over what was read.
                    let fetched =
                        fetch(server, Kind::TaskList, list, std::slice::from_ref(&p.href)).await?;
                    let token = store.task_sync_token()?;
                    let joined = store.apply_task_pull(
                        &fetched.items,
                        &fetched.gone,
                        token.as_deref(),
                        now,
                    )?;
                    report.updated += joined.updated;
                    let again = store
                        .task_push_plan(now, || uuid::Uuid::new_v4().to_string())?
                        .updates
                        .into_iter()
                        .find(|u| u.item.same(&p.item));
                    match again {
                        Some(next) => p = next,
                        None => break,
                    }
                }
                Written::Refused(e) => return Err(e),
            }
        }
    }
    Ok(())
}
