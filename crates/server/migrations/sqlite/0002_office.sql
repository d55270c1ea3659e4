-- The office: officials, sessions, login throttling, audit log, text templates, mail outbox,
-- and what reports need for moderation and notifications. Keep in step with ../postgres/.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    UNIQUE (tenant_id, email)
);

-- Sessions live in the database so that several server instances share them.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per account and per client address, for throttling.
CREATE TABLE login_failures (
    throttle_key TEXT    NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    user_email  TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);

CREATE TABLE text_templates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    status     TEXT,
    position   INTEGER NOT NULL DEFAULT 0
);

-- Mail to send, written in the same transaction as the change it reports, sent by a
-- background worker with retries: a slow or broken mail server never fails an official's action.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

ALTER TABLE reports ADD COLUMN original_description TEXT;
ALTER TABLE reports ADD COLUMN first_reaction_at INTEGER;
-- NULL (no address), unconfirmed, confirmed, unsubscribed
ALTER TABLE reports ADD COLUMN email_state TEXT;
-- A capability for the status page and unsubscribe link in mails (links must be rebuilt
-- for every mail, so it is kept in clear; it grants nothing beyond those two pages).
ALTER TABLE reports ADD COLUMN email_token TEXT;
CREATE INDEX reports_email_token ON reports (email_token);
