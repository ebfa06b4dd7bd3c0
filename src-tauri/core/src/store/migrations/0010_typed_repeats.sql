-- Reminders repeat by a typed rhythm, as events do: the JSON of a `Repeat`
-- ({"kind":"monthlyOnWeekday"}, {"kind":"everyWeeks","weeks":2}), read against the first
-- date. The RFC 5545 text they kept in `rule` is turned into one by Rust after this step
-- (see `store::reminders::type_stored_rules`), which then drops the column.
ALTER TABLE reminders ADD COLUMN repeat TEXT NOT NULL DEFAULT '{"kind":"never"}';
