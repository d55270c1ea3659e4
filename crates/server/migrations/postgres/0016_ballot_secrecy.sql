-- Ballot secrecy hardened (issue 16). Keep in step with ../sqlite/.
--
-- 1. Participation records. SQLite rebuilds poll_codes and poll_voters as WITHOUT ROWID tables
--    here, so that their physical order is key order. PostgreSQL has no such tables: every table
--    is a heap, where a new row version (an inserted browser token, and also a code whose `used`
--    flips, since an UPDATE writes a new version) goes where there is free space, mostly at the
--    end, and carries the id of the transaction that wrote it (`xmin`). So on PostgreSQL the heap
--    order (`ctid`, and a plain SELECT without ORDER BY) and `xmin` tell the order in which codes
--    were used and browsers voted, to anyone who can query the database, for as long as the rows
--    are there; and old versions of the counters stay in the table files until `VACUUM FULL`
--    (a plain VACUUM marks their space free but leaves the bytes in the page). What a migration
--    cannot change, `civickit polls vacuum` does once a poll has ended (also daily, from the
--    retention job): it rewrites the poll's participation rows in one transaction (one `xmin`
--    for all), CLUSTERs both tables on their key (heap order = key order, not time) and runs
--    VACUUM FULL on the counters, so the live files keep neither order nor old counts.
--    ARCHITECTURE.md ("Ballot secrecy") says what remains (WAL, archives, the open poll).
--
-- 2. Coarse live results, as in ../sqlite/: the counters as of the last multiple of the town's
--    step, copied in the vote's transaction; 1 means exact live results.
ALTER TABLE tenants ADD COLUMN poll_result_step BIGINT NOT NULL DEFAULT 10;
ALTER TABLE polls ADD COLUMN interim_participations BIGINT NOT NULL DEFAULT 0;
ALTER TABLE poll_options ADD COLUMN interim_votes BIGINT NOT NULL DEFAULT 0;
UPDATE polls SET interim_participations = participations;
UPDATE poll_options SET interim_votes = votes;

-- 3. Sealed: set once a poll has ended and `civickit polls vacuum` has made its interim counters
--    equal to the final ones and rewritten the poll tables.
ALTER TABLE polls ADD COLUMN sealed BIGINT NOT NULL DEFAULT 0;
