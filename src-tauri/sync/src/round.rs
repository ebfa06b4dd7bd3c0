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
        push_tasks(store, server, &list, now, &mut report).await?;
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

/// Writes in flight at once: servers take them in turn, but the next request is on its way
/// while the last is stored.
pub(crate) const WRITERS: usize = 4;

/// One write: the item, and the version it replaces (`None`: a new item, written only where
/// none is).
#[derive(Clone)]
struct Write<T> {
    item: T,
    over: Option<String>,
}

/// What the one write loop needs to know of a card or a task.
trait Item: Clone {
    /// The collection it lives in.
    const KIND: Kind;
    /// The window is told how far these writes are (cards: the bulk of a first round).
    const PROGRESS: bool;
    /// Where it goes, and what it says.
    fn target(&self) -> (&str, &str);
    /// Records that it is on the server at version `etag`.
    fn record(&self, store: &mut Store, etag: &str) -> Result<()>;
    /// Counts a write that landed (`new`: where nothing was).
    fn count(report: &mut RoundReport, new: bool);
    /// Joins what the server holds of it now (`fetched`) into the store, and counts that.
    fn join(
        store: &mut Store,
        fetched: &Fetched,
        now: DateTime<Utc>,
        report: &mut RoundReport,
    ) -> Result<()>;
    /// Its write again, from a fresh plan once joined (`None`: nothing left to send).
    fn again(&self, store: &mut Store, now: DateTime<Utc>) -> Result<Option<Write<Self>>>;
}

fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Item for Push {
    const KIND: Kind = Kind::AddressBook;
    const PROGRESS: bool = true;

    fn target(&self) -> (&str, &str) {
        (&self.href, &self.text)
    }

    fn record(&self, store: &mut Store, etag: &str) -> Result<()> {
        Ok(store.record_pushed(self, Some(etag))?)
    }

    fn count(report: &mut RoundReport, new: bool) {
        *if new {
            &mut report.created
        } else {
            &mut report.updated
        } += 1;
    }

    fn join(
        store: &mut Store,
        fetched: &Fetched,
        now: DateTime<Utc>,
        report: &mut RoundReport,
    ) -> Result<()> {
        report.retried += 1;
        let token = store.sync_token()?;
        let joined = store.apply_pull(&fetched.items, &fetched.gone, token.as_deref(), now)?;
        report.pulled.merged += joined.merged;
        report.pulled.conflicts += joined.conflicts;
        Ok(())
    }

    fn again(&self, store: &mut Store, now: DateTime<Utc>) -> Result<Option<Write<Push>>> {
        let plan = store.push_plan(now, new_uid)?;
        Ok(plan
            .creates
            .into_iter()
            .chain(plan.updates)
            .find(|u| u.contact_id == self.contact_id)
            .map(card_write))
    }
}

/// A card's write: over the version Kith last saw of it, where it has one.
fn card_write(p: Push) -> Write<Push> {
    Write {
        over: p.etag.clone(),
        item: p,
    }
}

impl Item for TaskPush {
    const KIND: Kind = Kind::TaskList;
    const PROGRESS: bool = false;

    fn target(&self) -> (&str, &str) {
        (&self.href, &self.text)
    }

    fn record(&self, store: &mut Store, etag: &str) -> Result<()> {
        Ok(store.record_task_pushed(self, Some(etag))?)
    }

    fn count(report: &mut RoundReport, new: bool) {
        let t = &mut report.tasks;
        *if new { &mut t.created } else { &mut t.sent } += 1;
    }

    fn join(
        store: &mut Store,
        fetched: &Fetched,
        now: DateTime<Utc>,
        report: &mut RoundReport,
    ) -> Result<()> {
        let token = store.task_sync_token()?;
        let joined = store.apply_task_pull(&fetched.items, &fetched.gone, token.as_deref(), now)?;
        report.tasks.updated += joined.updated;
        Ok(())
    }

    fn again(&self, store: &mut Store, now: DateTime<Utc>) -> Result<Option<Write<TaskPush>>> {
        Ok(store
            .task_push_plan(now, new_uid)?
            .updates
            .into_iter()
            .find(|u| u.item.same(&self.item))
            .map(task_update))
    }
}

/// A changed task's write: over the version Kith last saw.
fn task_update(p: TaskPush) -> Write<TaskPush> {
    Write {
        over: Some(p.etag.clone().unwrap_or_default()),
        item: p,
    }
}

/// A round's second half: what changed in Kith, onto the server — new and changed cards,
/// then deletions (of cards and of tasks).
pub async fn push(
    store: &mut Store,
    server: &Server,
    book: &str,
    now: DateTime<Utc>,
    report: &mut RoundReport,
) -> Result<()> {
    let dav = &server.dav;
    let plan = store.push_plan(now, new_uid)?;
    let writes = plan.creates.into_iter().chain(plan.updates).map(card_write);
    write_all(store, server, book, now, writes.collect(), report).await?;
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

/// The task list's half of the push: tasks for new follow-ups and reminders, and changed
/// ones (one that goes leaves a tombstone, deleted with the cards').
async fn push_tasks(
    store: &mut Store,
    server: &Server,
    list: &str,
    now: DateTime<Utc>,
    report: &mut RoundReport,
) -> Result<()> {
    let plan = store.task_push_plan(now, new_uid)?;
    let new = plan.creates.into_iter().map(|p| Write {
        item: p,
        over: None,
    });
    let writes = new
        .chain(plan.updates.into_iter().map(task_update))
        .collect();
    write_all(store, server, list, now, writes, report).await
}

/// Sends `writes` into `collection` a few at a time, each recorded as it lands (so a round
/// cut short keeps what it sent). A new item whose name is taken already is its own earlier
/// write, whose answer was lost: the next pull finds it. A change that meets a newer version
/// is joined and written again ([`rewrite`]).
async fn write_all<T: Item>(
    store: &mut Store,
    server: &Server,
    collection: &str,
    now: DateTime<Utc>,
    writes: Vec<Write<T>>,
    report: &mut RoundReport,
) -> Result<()> {
    let total = writes.len();
    let mut landing = futures_util::stream::iter(&writes)
        .map(|w| async move { (w, put_item(server, w).await) })
        .buffer_unordered(server.writers);
    let mut done = 0;
    while let Some((w, written)) = landing.next().await {
        match written? {
            Written::At(etag) => {
                w.item.record(store, &etag)?;
                T::count(report, w.over.is_none());
            }
            Written::Refused(_) if w.over.is_none() => {}
            Written::Refused(_) => rewrite(store, server, collection, now, w, report).await?,
        }
        done += 1;
        if T::PROGRESS {
            server.progress(done, total);
        }
    }
    Ok(())
}

async fn put_item<T: Item>(server: &Server, w: &Write<T>) -> Result<Written> {
    let media = match T::KIND {
        Kind::AddressBook => VCARD,
        Kind::TaskList => ICALENDAR,
    };
    let (href, text) = w.item.target();
    put(server, href, text, media, w.over.as_deref()).await
}

/// An item changed on the server since Kith last looked: joined, then the join written over
/// the version just read — a few times at most; where the server deleted it meanwhile, Kith's
/// edit brings a card back under its own name.
async fn rewrite<T: Item>(
    store: &mut Store,
    server: &Server,
    collection: &str,
    now: DateTime<Utc>,
    first: &Write<T>,
    report: &mut RoundReport,
) -> Result<()> {
    let mut w = first.clone();
    for attempt in 0..RETRIES {
        let href = [w.item.target().0.to_owned()];
        let fetched = fetch(server, T::KIND, collection, &href).await?;
        T::join(store, &fetched, now, report)?;
        let Some(next) = w.item.again(store, now)? else {
            return Ok(());
        };
        w = next;
        match put_item(server, &w).await? {
            Written::At(etag) => {
                w.item.record(store, &etag)?;
                T::count(report, w.over.is_none());
                return Ok(());
            }
            Written::Refused(e) if attempt + 1 == RETRIES => return Err(e),
            Written::Refused(_) => {}
        }
    }
    Ok(())
}
