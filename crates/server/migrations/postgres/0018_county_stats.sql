-- Processing statistics (issue 17). Keep in step with the other dialect.
-- The operator opts a town into the county view (`civickit tenant set --county-stats on`), which
-- lists it beside the other opted-in towns; a town's own statistics are public either way.
ALTER TABLE tenants ADD COLUMN county_stats INTEGER NOT NULL DEFAULT 0;
