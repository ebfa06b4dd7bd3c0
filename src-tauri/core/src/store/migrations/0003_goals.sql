-- Personal networking goals (PRODUCT.md §4). Enum values are stored as the UI names them
-- ('secureRole', 'distinctContactsReached', …); the audience is a JSON object
-- {"tags": [], "companies": [], "circles": [], "contactIds": []}.
CREATE TABLE goals (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    title      TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    why        TEXT    NOT NULL DEFAULT '',
    metric     TEXT    NOT NULL,
    target     INTEGER NOT NULL CHECK (target BETWEEN 1 AND 10000),
    period     TEXT    NOT NULL CHECK (period IN ('weekly', 'monthly', 'byDeadline')),
    deadline   TEXT,
    audience   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(audience)),
    start_date TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'paused', 'achieved', 'abandoned')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
