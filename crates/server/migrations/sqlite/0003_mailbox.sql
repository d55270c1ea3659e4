-- The citizen mailbox, server secrets, and retention settings. Keep in step with ../postgres/.
CREATE TABLE message_kinds (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, code)
);

-- Rows outlive their personal data: retention erases name, e-mail and phone (and, if the town
-- chooses, subject and text) but keeps kind and dates, so the statistics survive.
CREATE TABLE messages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    ref           TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    subject       TEXT,
    body          TEXT,
    name          TEXT,
    email         TEXT,
    phone         TEXT,
    status        TEXT    NOT NULL,
    department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    closed_at     INTEGER,
    erased_at     INTEGER,
    UNIQUE (tenant_id, ref)
);
CREATE INDEX messages_tenant ON messages (tenant_id, created_at);

-- Forwarding, replies, internal notes and state changes of a message.
CREATE TABLE message_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    message_id    INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    text          TEXT,
    department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    user_email    TEXT    NOT NULL
);
CREATE INDEX message_events_message ON message_events (message_id, id);

-- Installation-wide secrets (e.g. the key that signs form tokens), made on first start and
-- shared by every server instance through the database.
CREATE TABLE server_secrets (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

ALTER TABLE tenants ADD COLUMN mailbox_anonymous INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 180;
ALTER TABLE tenants ADD COLUMN retention_erase_text INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN closed_at INTEGER;
