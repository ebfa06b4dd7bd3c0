-- Typed values, stored as they cross IPC.
--
-- Reminders repeat by a typed rhythm, as events do: the JSON of a `Repeat`
-- ({"kind":"monthlyOnWeekday"}, {"kind":"everyWeeks","weeks":2}), read against the first
-- date. The RFC 5545 text they kept in `rule` is turned into one by Rust after this step
-- (see `store::reminders::type_stored_rules`), which then drops the column.
ALTER TABLE reminders ADD COLUMN repeat TEXT NOT NULL DEFAULT '{"kind":"never"}';

-- An import's file format by its IPC name, as every other stored kind is: two were kept
-- under names of their own.
UPDATE imports SET format = 'vCard' WHERE format = 'vcard';
UPDATE imports SET format = 'linkedIn' WHERE format = 'linkedin';
