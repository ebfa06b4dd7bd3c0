-- Today and goal progress on large networks. Like the last touch, a contact's number of
-- touches and first touch are derived from the history and kept on the contact; each
-- participant row of an interaction carries the interaction's time, so one contact's
-- history in a time range is an index range.
ALTER TABLE contacts ADD COLUMN touch_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN first_touch_at INTEGER;
ALTER TABLE interaction_contacts ADD COLUMN occurred_at INTEGER NOT NULL DEFAULT 0;

UPDATE interaction_contacts SET occurred_at =
    (SELECT i.occurred_at FROM interactions i WHERE i.id = interaction_contacts.interaction_id);
UPDATE contacts SET
    touch_count = (SELECT count(*) FROM interaction_contacts ic WHERE ic.contact_id = contacts.id),
    first_touch_at =
        (SELECT min(ic.occurred_at) FROM interaction_contacts ic WHERE ic.contact_id = contacts.id);

DROP INDEX interaction_contacts_by_contact;
CREATE INDEX interaction_contacts_by_contact ON interaction_contacts (contact_id, occurred_at);
CREATE INDEX interactions_by_time ON interactions (occurred_at);
CREATE INDEX contacts_by_first_touch ON contacts (first_touch_at);

-- Today walks each circle-and-cadence group from the longest silence down, reading only
-- this index.
CREATE INDEX contacts_active_outline
    ON contacts (circle, cadence_days, next_due_at, last_touch_at, created_at, birthday,
                 touch_count)
    WHERE archived_at IS NULL;
-- Birthdays in the coming days, by month and day.
CREATE INDEX contacts_active_by_birthday ON contacts (substr(birthday, -5))
    WHERE archived_at IS NULL AND birthday IS NOT NULL;
-- Goal audiences by company include archived contacts (their past still counts).
DROP INDEX contacts_active_by_company;
CREATE INDEX contacts_by_company ON contacts (company COLLATE NOCASE);
