-- Ballot secrecy hardened (issue 16). Keep in step with ../postgres/.
--
-- 1. Participation records whose physical order carries no sequence. As rowid tables, the used
--    codes and browser tokens of 0004 were stored in the order they were written: a voter row's
--    rowid was its place in the sequence of votes (voter n <-> the n-th change of the counters).
--    WITHOUT ROWID tables are one B-tree on their key (poll_id, hash), and the hash is
--    random-looking, so key order (which is also the order of a plain SELECT) is not time order.
--    A code's `used` flag flips in place (0 and 1 take no bytes in SQLite's record format, so the
--    record keeps its size and its place in the page); a browser's row is inserted, and
--    `db/polls.rs` lays the poll's rows out again in key order in the same transaction, so the
--    place of a cell inside its page does not tell the insertion order either.
CREATE TABLE poll_codes_keyed (
    poll_id    INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, code_hash)
) WITHOUT ROWID;
INSERT INTO poll_codes_keyed (poll_id, code_hash, used)
    SELECT poll_id, code_hash, used FROM poll_codes ORDER BY poll_id, code_hash;
DROP TABLE poll_codes;
ALTER TABLE poll_codes_keyed RENAME TO poll_codes;

CREATE TABLE poll_voters_keyed (
    poll_id     INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    token_hash  TEXT    NOT NULL,
    PRIMARY KEY (poll_id, token_hash)
) WITHOUT ROWID;
INSERT INTO poll_voters_keyed (poll_id, token_hash)
    SELECT poll_id, token_hash FROM poll_voters ORDER BY poll_id, token_hash;
DROP TABLE poll_voters;
ALTER TABLE poll_voters_keyed RENAME TO poll_voters;

-- 2. Coarse live results. While a poll is open the public (and the office) see the counters as
--    they were at the last multiple of the town's step: the vote whose participation is such a
--    multiple copies `votes` into `interim_votes` (and `participations` into
--    `interim_participations`) in its own transaction. 1 means exact live results. Polls open
--    at this upgrade start from their present counts, which were public until now.
ALTER TABLE tenants ADD COLUMN poll_result_step INTEGER NOT NULL DEFAULT 10;
ALTER TABLE polls ADD COLUMN interim_participations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE poll_options ADD COLUMN interim_votes INTEGER NOT NULL DEFAULT 0;
UPDATE polls SET interim_participations = participations;
UPDATE poll_options SET interim_votes = votes;

-- 3. Sealed: set once a poll has ended and `civickit polls vacuum` (or the daily job) made its
--    interim counters equal to the final ones and vacuumed the poll tables.
ALTER TABLE polls ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
