-- Generated statements (issue 16): the privacy notice for the widgets and the accessibility
-- statement, written by the server from the town's settings and retention periods
-- (crates/server/src/statements/). `statement_fields` holds what only the town can say (one
-- row per town, made on its first save); `statement_texts` an admin's text that replaces a
-- generated statement in one language, until it is reset (the row is deleted). Both are
-- published; neither holds a citizen's data. Keep in step with ../postgres/.
CREATE TABLE statement_fields (
    tenant_id              INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    controller             TEXT    NOT NULL DEFAULT '',
    dpo                    TEXT    NOT NULL DEFAULT '',
    legal_basis            TEXT    NOT NULL DEFAULT '',
    supervisory_authority  TEXT    NOT NULL DEFAULT '',
    conformance            TEXT    NOT NULL DEFAULT 'partial'
                           CHECK (conformance IN ('full', 'partial', 'not_compliant')),
    reviewed_on            TEXT    NOT NULL DEFAULT '',
    feedback_email         TEXT    NOT NULL DEFAULT '',
    feedback_phone         TEXT    NOT NULL DEFAULT '',
    enforcement_url        TEXT    NOT NULL DEFAULT '',
    updated_at             INTEGER NOT NULL
);
CREATE TABLE statement_texts (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    statement   TEXT    NOT NULL CHECK (statement IN ('privacy', 'accessibility')),
    lang        TEXT    NOT NULL CHECK (lang IN ('de', 'en')),
    body        TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, statement, lang)
);
