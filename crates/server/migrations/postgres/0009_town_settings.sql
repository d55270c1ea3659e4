-- Every town setting changeable (issue 11). The town's imprint (Impressum) beside its privacy
-- notice; message kinds and departments can be retired like categories (`active`): retired
-- ones stay on old messages and reports and in the statistics, new ones cannot pick them.
-- Keep in step with ../sqlite/.
ALTER TABLE tenants ADD COLUMN imprint_url TEXT NOT NULL DEFAULT '';
ALTER TABLE message_kinds ADD COLUMN retired BIGINT NOT NULL DEFAULT 0;
ALTER TABLE departments ADD COLUMN retired BIGINT NOT NULL DEFAULT 0;
