-- Events and groups (PRODUCT.md §2): a date, a rhythm, a place or link, and the people who
-- go. Times are wall-clock times in the event's zone (the user's when absent); `repeat` is
-- the JSON of kith_core::events::Repeat. An interaction logged for going to one points at it.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    title      TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    start_date TEXT    NOT NULL,
    start_time TEXT    NOT NULL,
    repeat     TEXT    NOT NULL,
    time_zone  TEXT,
    location   TEXT,
    link       TEXT,
    notes      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE event_attendees (
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, contact_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX event_attendees_by_contact ON event_attendees (contact_id, event_id);

ALTER TABLE interactions ADD COLUMN event_id INTEGER REFERENCES events (id) ON DELETE SET NULL;
CREATE INDEX interactions_by_event ON interactions (event_id) WHERE event_id IS NOT NULL;
