-- Polls. Keep in step with ../sqlite/.
--
-- Ballot secrecy: there are no ballot rows. A vote adds to per-option counters, and every vote
-- rewrites every counter of its poll (adding 0 where not chosen), so neither row order nor row
-- versions say which option one vote chose. Participation records (a used code, a browser
-- token's hash) carry no time and no address.
CREATE TABLE polls (
    id             BIGSERIAL PRIMARY KEY,
    tenant_id      BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    mode           TEXT    NOT NULL,
    visibility     TEXT    NOT NULL,
    published      BIGINT  NOT NULL DEFAULT 0,
    opens_at       BIGINT  NOT NULL,
    closes_at      BIGINT  NOT NULL,
    participations BIGINT  NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL,
    UNIQUE (tenant_id, slug)
);

CREATE TABLE poll_questions (
    id           BIGSERIAL PRIMARY KEY,
    poll_id      BIGINT  NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    position     BIGINT  NOT NULL,
    text         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    min_choices  BIGINT  NOT NULL,
    max_choices  BIGINT  NOT NULL
);

CREATE TABLE poll_options (
    id           BIGSERIAL PRIMARY KEY,
    poll_id      BIGINT  NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    question_id  BIGINT  NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
    position     BIGINT  NOT NULL,
    text         TEXT    NOT NULL,
    votes        BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX poll_options_poll ON poll_options (poll_id);

-- Invitation codes, stored as hashes; `used` flips in the transaction that counts the vote.
CREATE TABLE poll_codes (
    poll_id    BIGINT  NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    used       BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, code_hash)
);

-- Browsers that voted in open polls: the hash of their signed voter token.
CREATE TABLE poll_voters (
    poll_id     BIGINT  NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    token_hash  TEXT    NOT NULL,
    PRIMARY KEY (poll_id, token_hash)
);
