-- Reports changed by any process, so that a running server's map index hears of a change
-- made by another process on the same SQLite file (the CLI's `report set-status`): the server
-- reads the new rows every second (db/listen.rs). Keep in step with ../postgres/, where
-- LISTEN/NOTIFY does this and the table stays empty.
CREATE TABLE map_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL,
    report_id  BIGINT NOT NULL
);
