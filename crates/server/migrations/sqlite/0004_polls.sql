-- Polls. Keep in step with ../postgres/.
--
-- Ballot secrecy: there are no ballot rows. A vote adds to per-option counters, and every vote
-- rewrites every counter of its poll (adding 0 where not chosen), so neither row order nor row
-- versions say which option one vote chose. Participation records (a used code, a browser
-- token's hash) carry no time and no address.
CREATE TABLE polls (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    mode           TEXT    NOT NULL,
    visibility     TEXT    NOT NULL,
    published      INTEGER NOT NULL DEFAULT 0,
    opens_at       INTEGER NOT NULL,
    closes_at      INTEGER NOT NULL,
    participations INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    UNIQUE (tenant_id, slug)
);

CREATE TABLE poll_questions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    poll_id      INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    min_choices  INTEGER NOT NULL,
    max_choices  INTEGER NOT NULL
);

CREATE TABLE poll_options (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    poll_id      INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    question_id  INTEGER NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    votes        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX poll_options_poll ON poll_options (poll_id);

-- Invitation codes, stored as hashes; `used` flips in the transaction that counts the vote.
CREATE TABLE poll_codes (
    poll_id    INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, code_hash)
);

-- Browsers that voted in open polls: the hash of their signed voter token.
CREATE TABLE poll_voters (
    poll_id     INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    token_hash  TEXT    NOT NULL,
    PRIMARY KEY (poll_id, token_hash)
);
