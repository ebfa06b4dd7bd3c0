-- Imports. A new interaction kind, 'connected' (the day a connection was made, as LinkedIn
-- exports it), which needs the interactions table rebuilt to widen its CHECK; and a record
-- of every import so it can be undone as a whole. Runs with foreign keys off (the store
-- turns them on after migrating), so dropping the old table cascades nothing.

CREATE TABLE interactions_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('call', 'videoCall', 'email', 'message',
                    'coffee', 'meeting', 'event', 'intro', 'sharedArticle', 'thankYouNote',
                    'connected', 'other')),
    occurred_at INTEGER NOT NULL,
    direction   TEXT    CHECK (direction IN ('outbound', 'inbound')),
    notes       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    event_id    INTEGER REFERENCES events (id) ON DELETE SET NULL
) STRICT;

INSERT INTO interactions_new (id, kind, occurred_at, direction, notes, created_at, updated_at,
                              event_id)
SELECT id, kind, occurred_at, direction, notes, created_at, updated_at, event_id
FROM interactions;

DROP TABLE interactions;
ALTER TABLE interactions_new RENAME TO interactions;

CREATE INDEX interactions_by_time ON interactions (occurred_at);
CREATE INDEX interactions_by_event ON interactions (event_id) WHERE event_id IS NOT NULL;

-- One row per import; `undone_at` once it has been undone.
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    file_name  TEXT    NOT NULL,
    format     TEXT    NOT NULL,
    tag        TEXT,
    added      INTEGER NOT NULL,
    merged     INTEGER NOT NULL,
    skipped    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    undone_at  INTEGER
) STRICT;

-- What an import did to each contact: added it (`created` = 1), or merged into it, keeping
-- the contact as it was (`before`, the JSON of its fields) so undo can put it back; and the
-- interaction it logged ("connected on"), if any.
CREATE TABLE import_items (
    import_id      INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    created        INTEGER NOT NULL CHECK (created IN (0, 1)),
    before         TEXT,
    interaction_id INTEGER REFERENCES interactions (id) ON DELETE SET NULL,
    PRIMARY KEY (import_id, contact_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX import_items_by_contact ON import_items (contact_id);
