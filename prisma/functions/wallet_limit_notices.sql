-- wallet_limit_notices(lim, sent_day, sent_month, amt): the LIMIT_NEARLY_REACHED notices a send of
-- `amt` earns, as the notification facts (src/services/notifications/notices.ts): one for each of
-- the daily and monthly send limits that this send takes across 80 % of (used before it below,
-- used after it at or above), so a user hears once per limit and period, not on every send after.
-- `lim` is the sender's tier_limits row as JSON (null: no limits to near); sent_day and sent_month
-- are the usage before this send. Pure (IMMUTABLE), like wallet_limit_breach.
CREATE OR REPLACE FUNCTION wallet_limit_notices(lim JSONB, sent_day BIGINT, sent_month BIGINT, amt BIGINT)
RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('limit', l.name, 'used', (l.used + amt)::text, 'max', l.max::text)), '[]'::jsonb)
  FROM (VALUES ('DAILY_SEND', sent_day, (lim->>'daily_send')::bigint),
               ('MONTHLY_SEND', sent_month, (lim->>'monthly_send')::bigint)) AS l (name, used, max)
  WHERE l.max > 0 AND l.used * 5 < l.max * 4 AND (l.used + amt) * 5 >= l.max * 4
$$;
