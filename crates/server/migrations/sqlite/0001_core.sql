-- civickit core schema (SQLite). Keep in step with ../postgres/0001_core.sql: same tables,
-- same columns, same meaning; only the dialect differs. Times are UTC unix seconds.
CREATE TABLE tenants (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    center_lat      REAL    NOT NULL,
    center_lng      REAL    NOT NULL,
    zoom            INTEGER NOT NULL,
    area_json       TEXT    NOT NULL,
    tile_url        TEXT    NOT NULL,
    tile_attribution TEXT   NOT NULL,
    privacy_url     TEXT    NOT NULL,
    allowed_origins TEXT    NOT NULL,
    premoderation   INTEGER NOT NULL DEFAULT 0,
    response_days   INTEGER NOT NULL DEFAULT 3,
    created_at      INTEGER NOT NULL
);

CREATE TABLE departments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    email      TEXT,
    UNIQUE (tenant_id, name)
);

CREATE TABLE categories (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    code          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    grp           TEXT    NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    ref           TEXT    NOT NULL,
    category_id   INTEGER NOT NULL REFERENCES categories(id),
    department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    status        TEXT    NOT NULL,
    close_reason  TEXT,
    lat           REAL,
    lng           REAL,
    address       TEXT,
    description   TEXT    NOT NULL,
    email         TEXT,
    tracking_hash TEXT    NOT NULL UNIQUE,
    supporters    INTEGER NOT NULL DEFAULT 0,
    hidden        INTEGER NOT NULL DEFAULT 0,
    duplicate_of  INTEGER REFERENCES reports(id) ON DELETE SET NULL,
    public_note   TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (tenant_id, ref)
);
CREATE INDEX reports_map ON reports (tenant_id, lat, lng);
CREATE INDEX reports_created ON reports (tenant_id, created_at);

CREATE TABLE report_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    status      TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    public      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX report_notes_report ON report_notes (report_id, id);

CREATE TABLE report_supporters (
    report_id       INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    supporter_hash  TEXT    NOT NULL,
    PRIMARY KEY (report_id, supporter_hash)
);

-- Per tenant, kind and year: the last public reference number handed out.
CREATE TABLE ref_counters (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, year)
);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    label       TEXT    NOT NULL,
    key_hash    TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
