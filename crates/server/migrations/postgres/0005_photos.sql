-- Photos of reports, re-encoded (no EXIF) and stored in the database with a thumbnail.
-- Keep in step with ../sqlite/.
CREATE TABLE photos (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    report_id   BIGINT  NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    public_id   TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    width       BIGINT  NOT NULL,
    height      BIGINT  NOT NULL,
    jpeg        BYTEA    NOT NULL,
    thumb       BYTEA    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX photos_report ON photos (report_id, id);

ALTER TABLE tenants ADD COLUMN photos_auto_release BIGINT  NOT NULL DEFAULT 0;
