-- Sharing the network through a CardDAV server (PRODUCT.md §6).
--
-- Each contact that has a card on the server: where (`href`), the server's version of it
-- (`etag`), the server's copy as last seen or written (`card`, edited rather than rewritten
-- when Kith pushes a change), and Kith's view of the contact when both last agreed
-- (`synced`, the JSON of a ContactInput, read at `synced_at`): the contact is changed in
-- Kith — "dirty" — while its fields differ from it, whatever changed them, and it is the
-- common ancestor when both sides changed. Only contacts updated since `synced_at` can be.
CREATE TABLE sync_cards (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
    href       TEXT    NOT NULL UNIQUE,
    etag       TEXT,
    card       TEXT    NOT NULL,
    synced     TEXT    NOT NULL,
    synced_at  INTEGER NOT NULL
) STRICT;

-- A contact deleted in Kith whose card is still on the server, until the server confirms the
-- delete.
CREATE TABLE sync_tombstones (
    href TEXT PRIMARY KEY,
    etag TEXT
) STRICT;

CREATE TRIGGER contacts_deleted_leave_sync_tombstones BEFORE DELETE ON contacts
BEGIN
    INSERT OR REPLACE INTO sync_tombstones (href, etag)
    SELECT href, etag FROM sync_cards WHERE contact_id = old.id;
END;

-- Fields both sides changed: the server's value was taken, Kith's is kept here until the
-- user restores it or lets it go.
CREATE TABLE sync_conflicts (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field       TEXT    NOT NULL,
    kept        TEXT    NOT NULL,
    took        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    resolved_at INTEGER
) STRICT;

-- The collections synced (the address book; the task list) and how far: the sync token of
-- the last round (RFC 6578), absent until the first.
CREATE TABLE sync_collections (
    kind       TEXT PRIMARY KEY CHECK (kind IN ('contacts', 'tasks')),
    href       TEXT NOT NULL,
    sync_token TEXT
) STRICT;
