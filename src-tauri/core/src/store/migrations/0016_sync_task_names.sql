-- Each follow-up's task, named once (like a contact's card in sync_names): its UID and its
-- href in the task list, kept before the first write, so that a write whose answer was lost
-- is found again by the next round instead of becoming a second task (and, on every other
-- device, a second follow-up). Forgotten with the account.
CREATE TABLE sync_task_names (
    follow_up_id INTEGER PRIMARY KEY REFERENCES follow_ups (id) ON DELETE CASCADE,
    uid          TEXT    NOT NULL,
    href         TEXT    NOT NULL UNIQUE
) STRICT;
