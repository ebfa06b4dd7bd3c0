-- Follow-ups shared as tasks (VTODO) in a CalDAV task list (PRODUCT.md §6).
--
-- Each follow-up that has a task on the server: where (`href`), the server's version of it
-- (`etag`), the server's copy as last seen or written (`todo`, edited rather than rewritten
-- when Kith sends a change), and the task as both last agreed on it (`synced`, the JSON of
-- a TaskView: title, due date, done), read at `synced_at`. Only follow-ups updated since
-- can differ from it.
CREATE TABLE sync_tasks (
    follow_up_id INTEGER PRIMARY KEY REFERENCES follow_ups (id) ON DELETE CASCADE,
    href         TEXT    NOT NULL UNIQUE,
    etag         TEXT,
    todo         TEXT    NOT NULL,
    synced       TEXT    NOT NULL,
    synced_at    INTEGER NOT NULL
) STRICT;

-- A follow-up that goes (with its contact) leaves its task to be deleted on the server.
CREATE TRIGGER follow_ups_deleted_leave_sync_tombstones BEFORE DELETE ON follow_ups
BEGIN
    INSERT OR REPLACE INTO sync_tombstones (href, etag)
    SELECT href, etag FROM sync_tasks WHERE follow_up_id = old.id;
END;

-- Each reminder's task: one per reminder, standing for its next time (`due_at`, the
-- occurrence it names); done on the server settles that occurrence, and Kith moves the task
-- on to the next time itself (tasks carry no repeat rule). `synced` as above.
CREATE TABLE sync_reminder_tasks (
    reminder_id INTEGER PRIMARY KEY REFERENCES reminders (id) ON DELETE CASCADE,
    href        TEXT    NOT NULL UNIQUE,
    etag        TEXT,
    todo        TEXT    NOT NULL,
    synced      TEXT    NOT NULL,
    due_at      INTEGER NOT NULL
) STRICT;

CREATE TRIGGER reminders_deleted_leave_sync_tombstones BEFORE DELETE ON reminders
BEGIN
    INSERT OR REPLACE INTO sync_tombstones (href, etag)
    SELECT href, etag FROM sync_reminder_tasks WHERE reminder_id = old.id;
END;
