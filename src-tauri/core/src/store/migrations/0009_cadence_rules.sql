-- Keep-in-touch rules by tag, and due dates in the user's calendar days.
--
-- A rule gives every contact with the tag a cadence ("former colleague: every 60 days");
-- a contact's own cadence wins, else the shortest rule among its tags, else its circle's.
CREATE TABLE cadence_rules (
    tag  TEXT    PRIMARY KEY COLLATE NOCASE,
    days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 3650)
) STRICT;

-- The cadence in force, kept on the contact like its due dates: NULL when none applies
-- yet (its only touches are connections an import recorded).
ALTER TABLE contacts ADD COLUMN due_cadence_days INTEGER;
-- Imported connections are counted apart: touch_count and first_touch_at now count the
-- user's own touches only, so "never contacted" and "new people met" ignore them.
ALTER TABLE contacts ADD COLUMN connection_count INTEGER NOT NULL DEFAULT 0;

UPDATE contacts SET
    touch_count = (SELECT count(*) FROM interaction_contacts ic
                   JOIN interactions i ON i.id = ic.interaction_id
                   WHERE ic.contact_id = contacts.id AND i.kind <> 'connected'),
    connection_count = (SELECT count(*) FROM interaction_contacts ic
                        JOIN interactions i ON i.id = ic.interaction_id
                        WHERE ic.contact_id = contacts.id AND i.kind = 'connected'),
    first_touch_at = (SELECT min(ic.occurred_at) FROM interaction_contacts ic
                      JOIN interactions i ON i.id = ic.interaction_id
                      WHERE ic.contact_id = contacts.id AND i.kind <> 'connected');

-- Today walks each circle-and-cadence group from the longest silence down; the group is
-- now the cadence in force (due dates are recomputed by the migration's hook).
DROP INDEX contacts_active_outline;
CREATE INDEX contacts_active_outline
    ON contacts (circle, due_cadence_days, next_due_at, last_touch_at, created_at, birthday,
                 touch_count)
    WHERE archived_at IS NULL;
