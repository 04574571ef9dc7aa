-- In-app notifications are kept NOTIFICATION_RETENTION_DAYS (src/services/privacy/retention.ts).
-- The retention job finds the old ones by time: a BRIN index, because rows arrive in time order and
-- it costs next to nothing per insert (the insert is on the transfer's path).
CREATE INDEX notifications_created_brin ON notifications USING brin (created_at);
