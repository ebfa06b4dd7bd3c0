-- Contacts and their labelled emails and phones. Instants are INTEGER unix seconds (UTC).
CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    display_name TEXT    NOT NULL CHECK (length(trim(display_name)) > 0),
    company      TEXT,
    role         TEXT,
    notes        TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    archived_at  INTEGER
) STRICT;

CREATE INDEX contacts_active_by_name
    ON contacts (display_name COLLATE NOCASE, id)
    WHERE archived_at IS NULL;

CREATE TABLE contact_emails (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT    NOT NULL DEFAULT '',
    value      TEXT    NOT NULL,
    PRIMARY KEY (contact_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX contact_emails_by_value ON contact_emails (value COLLATE NOCASE);

CREATE TABLE contact_phones (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT    NOT NULL DEFAULT '',
    value      TEXT    NOT NULL,
    PRIMARY KEY (contact_id, position)
) STRICT, WITHOUT ROWID;
