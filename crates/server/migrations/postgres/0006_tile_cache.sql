-- Map tiles fetched from a town's tile server on behalf of citizens, so that their browsers
-- never talk to third parties (DSGVO). Keep in step with ../sqlite/.
CREATE TABLE tile_cache (
    tile_key      TEXT    PRIMARY KEY,
    content_type  TEXT    NOT NULL,
    bytes         BYTEA    NOT NULL,
    fetched_at    BIGINT  NOT NULL
);
