-- Today's suggestions the user snoozed or dismissed: hidden until `hidden_until` (UTC seconds).
CREATE TABLE suggestion_states (
    contact_id   INTEGER NOT NULL PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
    hidden_until INTEGER NOT NULL
) STRICT;
