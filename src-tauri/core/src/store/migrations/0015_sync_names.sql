-- Each contact's card, named once (PRODUCT.md §6): its UID and its href in the address book,
-- kept before the first write, so that a write whose answer was lost is found again by the
-- next round instead of being made a second time, and a card deleted on the server while
-- Kith edited the contact comes back under the same name (other devices then recognise the
-- person they archived). Pulled cards are named by the server's own UID and href. Forgotten
-- with the account.
CREATE TABLE sync_names (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
    uid        TEXT    NOT NULL,
    href       TEXT    NOT NULL UNIQUE
) STRICT;

-- Items a round could not read or take (a card the server sends in a form no XML or vCard
-- reader accepts, a task with an impossible date), with why, until they change or go:
-- listed in the sync status so they are never silently missing.
CREATE TABLE sync_left_alone (
    href   TEXT    PRIMARY KEY,
    kind   TEXT    NOT NULL CHECK (kind IN ('contacts', 'tasks')),
    reason TEXT    NOT NULL,
    at     INTEGER NOT NULL
) STRICT;
