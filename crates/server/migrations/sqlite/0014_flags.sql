-- "Meldung melden" (issue 15): citizens flag a public report or one of its photos. `flagger` is
-- an HMAC (server secret "flagger-key") of the client address's limit key, never the address:
-- it only lets one address count once per item (DSGVO: data minimisation, the address itself
-- is not stored and cannot be read back). Once an official decides, the item's open flags get
-- `decided_at` and `decision` (kept, hidden, redacted), and the same address may flag again.
-- Keep in step with ../postgres/.
CREATE TABLE flags (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    photo_id    INTEGER REFERENCES photos(id) ON DELETE CASCADE,
    reason      TEXT    NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    flagger     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    decided_at  INTEGER,
    decision    TEXT
);
-- One address counts once per open item.
CREATE UNIQUE INDEX flags_once ON flags (report_id, COALESCE(photo_id, 0), flagger)
    WHERE decided_at IS NULL;
CREATE INDEX flags_open ON flags (tenant_id, decided_at, report_id);

-- Distinct open flags that hide an item until an official decides (1..=50).
ALTER TABLE tenants ADD COLUMN flag_threshold INTEGER NOT NULL DEFAULT 3;
