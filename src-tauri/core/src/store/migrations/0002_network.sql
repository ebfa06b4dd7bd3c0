-- Every contact field of PRODUCT.md §2, connection history, follow-ups, settings and the
-- full-text search index. Dates without a time (birthdays, due dates) are TEXT 'YYYY-MM-DD'
-- ('--MM-DD' for a birthday without a year); instants stay INTEGER unix seconds (UTC).

ALTER TABLE contacts ADD COLUMN given_name TEXT;
ALTER TABLE contacts ADD COLUMN family_name TEXT;
ALTER TABLE contacts ADD COLUMN location TEXT;
ALTER TABLE contacts ADD COLUMN time_zone TEXT;
ALTER TABLE contacts ADD COLUMN how_we_met TEXT;
ALTER TABLE contacts ADD COLUMN circle TEXT NOT NULL DEFAULT 'network'
    CHECK (circle IN ('inner', 'close', 'network', 'acquaintance'));
ALTER TABLE contacts ADD COLUMN cadence_days INTEGER
    CHECK (cadence_days BETWEEN 1 AND 3650);
ALTER TABLE contacts ADD COLUMN preferred_channel TEXT
    CHECK (preferred_channel IN ('call', 'video', 'email', 'message', 'inPerson'));
ALTER TABLE contacts ADD COLUMN birthday TEXT;
-- Derived from the history and the cadence, kept here so lists can sort and filter fast.
ALTER TABLE contacts ADD COLUMN last_touch_at INTEGER;
ALTER TABLE contacts ADD COLUMN next_due_at INTEGER;
ALTER TABLE contacts ADD COLUMN overdue_at INTEGER;

-- Contacts from before this version had no cadence: due 90 days (the network circle's
-- default) after they were added, overdue 45 days after that.
UPDATE contacts SET next_due_at = created_at + 90 * 86400, overdue_at = created_at + 135 * 86400;

CREATE INDEX contacts_active_by_due ON contacts (next_due_at) WHERE archived_at IS NULL;
CREATE INDEX contacts_active_by_company
    ON contacts (company COLLATE NOCASE) WHERE archived_at IS NULL;

CREATE TABLE contact_links (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT    NOT NULL DEFAULT '',
    value      TEXT    NOT NULL,
    PRIMARY KEY (contact_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX contact_phones_by_value ON contact_phones (value);
CREATE INDEX contact_links_by_value ON contact_links (value COLLATE NOCASE);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE COLLATE NOCASE
) STRICT;

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id, contact_id);

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('call', 'videoCall', 'email', 'message',
                    'coffee', 'meeting', 'event', 'intro', 'sharedArticle', 'thankYouNote',
                    'other')),
    occurred_at INTEGER NOT NULL,
    direction   TEXT    CHECK (direction IN ('outbound', 'inbound')),
    notes       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE interaction_contacts (
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, contact_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX interaction_contacts_by_contact
    ON interaction_contacts (contact_id, interaction_id);

CREATE TABLE follow_ups (
    id             INTEGER PRIMARY KEY,
    contact_id     INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    interaction_id INTEGER REFERENCES interactions (id) ON DELETE SET NULL,
    title          TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    due_on         TEXT,
    completed_at   INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX follow_ups_by_contact ON follow_ups (contact_id, completed_at);

CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- What search-as-you-type looks in, one row per active contact (rowid = contact id).
-- Accents are folded ('jose' finds 'José'); short prefixes have their own index.
CREATE VIRTUAL TABLE contact_search USING fts5 (
    name, work, channels, tags, notes,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

INSERT INTO contact_search (rowid, name, work, channels, tags, notes)
SELECT c.id,
       c.display_name,
       concat_ws(' ', c.company, c.role),
       concat_ws(' ',
           (SELECT group_concat(value, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
           (SELECT group_concat(value, ' ') FROM contact_phones p WHERE p.contact_id = c.id)),
       '',
       coalesce(c.notes, '')
FROM contacts c
WHERE c.archived_at IS NULL;
