-- Reports changed by any process, for SQLite, where a running server reads new rows every
-- second to hear of another process's change (db/listen.rs). Kept in step with ../sqlite/;
-- on PostgreSQL LISTEN/NOTIFY does this and the table stays empty.
CREATE TABLE map_changes (
    id         BIGSERIAL PRIMARY KEY,
    tenant_id  BIGINT NOT NULL,
    report_id  BIGINT NOT NULL
);
