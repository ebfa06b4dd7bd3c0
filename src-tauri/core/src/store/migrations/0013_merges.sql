-- Two contacts merged into one, and what undoing it needs: the kept contact's fields and
-- first-added time before (`kept_before`, the JSON of its input), its `updated_at` right
-- after the merge (undo refuses once it changed since, so no later edit is lost), the other
-- contact's fields and times (`other`, given back under its old id when that is free), and
-- the rows that moved to the kept one (`moved`, JSON).
CREATE TABLE merges (
    id               INTEGER PRIMARY KEY,
    kept_id          INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kept_before      TEXT    NOT NULL,
    kept_created_at  INTEGER NOT NULL,
    kept_updated_at  INTEGER NOT NULL,
    other_id         INTEGER NOT NULL,
    other            TEXT    NOT NULL,
    other_created_at INTEGER NOT NULL,
    other_hidden_until INTEGER,
    moved            TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    undone_at        INTEGER
) STRICT;

CREATE INDEX merges_by_kept ON merges (kept_id);

-- Pairs the user said are two people, so the search for duplicates leaves them apart.
CREATE TABLE not_duplicates (
    a INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (a, b),
    CHECK (a < b)
) STRICT, WITHOUT ROWID;

CREATE INDEX not_duplicates_by_b ON not_duplicates (b);
