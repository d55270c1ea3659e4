-- The office: officials, sessions, login throttling, audit log, text templates, mail outbox,
-- and what reports need for moderation and notifications. Keep in step with ../sqlite/.
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    tenant_id     BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    department_id BIGINT  REFERENCES departments(id) ON DELETE SET NULL,
    disabled      BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL,
    UNIQUE (tenant_id, email)
);

-- Sessions live in the database so that several server instances share them.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    csrf_token  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per account and per client address, for throttling.
CREATE TABLE login_failures (
    throttle_key TEXT    NOT NULL,
    at           BIGINT  NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, at);

CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id     BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    user_email  TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    action      TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);

CREATE TABLE text_templates (
    id         BIGSERIAL PRIMARY KEY,
    tenant_id  BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    status     TEXT,
    position   BIGINT  NOT NULL DEFAULT 0
);

-- Mail to send, written in the same transaction as the change it reports, sent by a
-- background worker with retries: a slow or broken mail server never fails an official's action.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    tenant_id       BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

ALTER TABLE reports ADD COLUMN original_description TEXT;
ALTER TABLE reports ADD COLUMN first_reaction_at BIGINT;
-- NULL (no address), unconfirmed, confirmed, unsubscribed
ALTER TABLE reports ADD COLUMN email_state TEXT;
-- A capability for the status page and unsubscribe link in mails (links must be rebuilt
-- for every mail, so it is kept in clear; it grants nothing beyond those two pages).
ALTER TABLE reports ADD COLUMN email_token TEXT;
CREATE INDEX reports_email_token ON reports (email_token);
