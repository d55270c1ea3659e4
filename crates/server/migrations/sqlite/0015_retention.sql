-- Retention periods beside retention_days (the contact period, 0003), issue 16; their rules are
-- civickit_model::privacy. photo_days 0 keeps photos. Keep in step with ../postgres/.
ALTER TABLE tenants ADD COLUMN outbox_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE tenants ADD COLUMN tracking_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE tenants ADD COLUMN photo_days INTEGER NOT NULL DEFAULT 0;
