-- Four-letter prefixes get their own index too ("garc", "rust"): without one, FTS5 reads
-- every term that starts with them, and on a large network a search typed that far took
-- longer than one of a single letter. The index is rebuilt from the contacts by Rust after
-- this step (see `store::migration_hook`), as every write to a contact rebuilds its row.
DROP TABLE contact_search;

CREATE VIRTUAL TABLE contact_search USING fts5 (
    name, work, channels, tags, notes,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4'
);
