-- Several instances on one database (issue 14). Keep in step with ../postgres/.
-- Shared rate limits: per key (`reports:203.0.113.7`, `tenant:1`) the GCRA's theoretical
-- arrival time in milliseconds of the database's clock; `allowed` is the last decision, so
-- that one INSERT … ON CONFLICT … RETURNING both decides and says what it decided. A row
-- whose time has passed is back to a fresh state and is swept. (On SQLite, one process per
-- file, the limits stay in that process's memory and this table stays empty.)
CREATE TABLE rate_limits (
    key      TEXT NOT NULL PRIMARY KEY,
    tat      BIGINT NOT NULL,
    allowed  BIGINT NOT NULL
);
-- Daily jobs: whoever inserts (name, day) first runs the job that day; everyone else sees
-- the row and skips. One row per job and day, kept as the record of when it ran.
CREATE TABLE job_runs (
    name         TEXT NOT NULL,
    day          TEXT NOT NULL,       -- the UTC date, 2026-12-06
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    PRIMARY KEY (name, day)
);
