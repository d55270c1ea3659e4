-- A covering index for map viewports: the filters (area, state, visibility) and the order
-- (newest first) are answered from the index alone. Keep in step with ../sqlite/.
DROP INDEX reports_map;
CREATE INDEX reports_map ON reports (tenant_id, lat, lng, created_at, status, hidden, category_id);
