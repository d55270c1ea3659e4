-- Photos of reports, re-encoded (no EXIF) and stored in the database with a thumbnail.
-- Keep in step with ../postgres/.
CREATE TABLE photos (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    public_id   TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    jpeg        BLOB    NOT NULL,
    thumb       BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX photos_report ON photos (report_id, id);

ALTER TABLE tenants ADD COLUMN photos_auto_release INTEGER NOT NULL DEFAULT 0;
