-- Reminders the user sets (once, or on an RFC 5545 rule), and the log of every occurrence
-- of any reminder — the daily digest, follow-ups, birthdays and event starts included, which
-- are computed from the data rather than stored. An occurrence is written once, when it
-- fires (UNIQUE (source, due_at) makes "at most once" a property of the file), then moves to
-- done, snoozed or dismissed (or calling, until "Did you reach them?" is answered); `delivery` records how it reached the user. How far the
-- scheduler has looked is the setting `schedule_checked_through`.
CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    title      TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    -- The first (or only) time, as wall-clock 'YYYY-MM-DDTHH:MM' in `time_zone`.
    starts_at  TEXT    NOT NULL,
    time_zone  TEXT    NOT NULL,
    rule       TEXT,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE occurrences (
    id           INTEGER PRIMARY KEY,
    source       TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    title        TEXT    NOT NULL,
    due_at       INTEGER NOT NULL,
    fired_at     INTEGER NOT NULL,
    state        TEXT    NOT NULL
                 CHECK (state IN ('fired', 'missed', 'calling', 'done', 'snoozed', 'dismissed')),
    acted_at     INTEGER,
    delivery     TEXT    CHECK (delivery IN ('desktop', 'inApp')),
    delivered_at INTEGER,
    UNIQUE (source, due_at)
) STRICT;

CREATE INDEX occurrences_undelivered ON occurrences (fired_at)
    WHERE state = 'fired' AND delivery IS NULL;
