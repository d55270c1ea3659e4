-- Proof-of-work (issue 15). A solved challenge is good for one write: its signature is
-- stored when spent, and a second INSERT of the same signature finds the row and is refused
-- (the conflict decides, so two instances cannot both accept it). Rows are kept until the
-- challenge expires (then it is refused as expired anyway) and swept by the daily retention
-- job. The rows of the last minutes are also the tenant's write rate, which raises the
-- difficulty in a spike. Keep in step with ../sqlite/.
CREATE TABLE spent_challenges (
    signature   TEXT NOT NULL PRIMARY KEY,
    tenant_id   BIGINT NOT NULL,
    purpose     TEXT NOT NULL,
    spent_at    BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX spent_challenges_tenant_time ON spent_challenges (tenant_id, spent_at);
CREATE INDEX spent_challenges_expiry ON spent_challenges (expires_at);
-- The number of hashes a challenge may take at most (its `maxnumber`); a town under attack
-- raises it (`civickit tenant set --pow-max-number`).
ALTER TABLE tenants ADD COLUMN pow_max_number BIGINT NOT NULL DEFAULT 50000;
