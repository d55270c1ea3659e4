-- Places (issue 13): the addresses and streets a town imports from open data
-- (`civickit places import`). An import replaces the tenant's rows as a whole, in one
-- transaction, and bumps `place_imports.version`, which tells every running server to reload
-- its in-memory lookup index. Keep in step with ../postgres/.
CREATE TABLE place_addresses (
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    street       TEXT NOT NULL,
    housenumber  TEXT NOT NULL,
    lat          REAL NOT NULL,
    lng          REAL NOT NULL
);
CREATE INDEX place_addresses_tenant ON place_addresses (tenant_id);
-- A street without house numbers: its line as JSON [[lat,lng],…].
CREATE TABLE place_streets (
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    points_json  TEXT NOT NULL
);
CREATE INDEX place_streets_tenant ON place_streets (tenant_id);
CREATE TABLE place_imports (
    tenant_id    INTEGER NOT NULL PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    imported_at  INTEGER NOT NULL,
    source       TEXT NOT NULL,
    addresses    INTEGER NOT NULL,
    streets      INTEGER NOT NULL
);
-- 1 when the server looked the address up (the citizen typed none): moving the report's pin
-- then looks it up again; an address the citizen typed is theirs and stays.
ALTER TABLE reports ADD COLUMN address_auto INTEGER NOT NULL DEFAULT 0;
-- Optional, off by default: a Nominatim or Photon server that this server asks while the town
-- has imported no places, and what it answered (a rounded position or a search text → the
-- answer as JSON), so each place is asked once a month at most.
ALTER TABLE tenants ADD COLUMN geocoder_url TEXT NOT NULL DEFAULT '';
CREATE TABLE geocoder_cache (
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    query        TEXT NOT NULL,
    answer_json  TEXT NOT NULL,
    fetched_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, query)
);
