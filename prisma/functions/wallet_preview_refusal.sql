-- wallet_preview_refusal(from, to, currency, amt): what wallet_post_transfers would refuse for a
-- limited transfer (sendMoney, a payment) between two parties right now (wallet_refusal JSON), or
-- NULL when it would post or hold it: the same checks in the same order (the parties, then frozen
-- wallets, funds and limits), on the wallets as read, without locking, writing or counting
-- anything. The risk decision comes before both and is the caller's (a BLOCK is refused first).
-- PL/pgSQL only so that it can be created before the functions it calls (files load in any order).
CREATE OR REPLACE FUNCTION wallet_preview_refusal(from_party JSONB, to_party JSONB, cur TEXT, amt BIGINT) RETURNS JSONB
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (WITH day AS (
    SELECT (now() AT TIME ZONE 'UTC')::date AS today, date_trunc('month', now() AT TIME ZONE 'UTC')::date AS this_month
  ), side AS (
    SELECT p.wallet_id, p.problem, w.status::text AS status, w.kind::text AS kind, w.posted_balance, w.held_amount,
           coalesce(u.kyc_tier::text, 'SYSTEM') AS tier,
           CASE WHEN w.usage_day = day.today THEN w.sent_day ELSE 0 END AS sent_day,
           CASE WHEN w.usage_month = day.this_month THEN w.sent_month ELSE 0 END AS sent_month,
           (SELECT to_jsonb(l) || jsonb_build_object('exponent', c.exponent)
              FROM tier_limits l JOIN currencies c ON c.code = l.currency
             WHERE l.tier::text = coalesce(u.kyc_tier::text, 'SYSTEM') AND l.currency = cur) AS limits
    FROM day, wallet_resolve_party(from_party, cur) p
    LEFT JOIN wallets w ON w.id = p.wallet_id LEFT JOIN users u ON u.id = w.user_id
  ), recipient AS (
    SELECT p.wallet_id, p.problem, w.status::text AS status, w.kind::text AS kind, w.posted_balance,
           coalesce(u.kyc_tier::text, 'SYSTEM') AS tier,
           (SELECT to_jsonb(l) || jsonb_build_object('exponent', c.exponent)
              FROM tier_limits l JOIN currencies c ON c.code = l.currency
             WHERE l.tier::text = coalesce(u.kyc_tier::text, 'SYSTEM') AND l.currency = cur) AS limits
    FROM wallet_resolve_party(to_party, cur) p
    LEFT JOIN wallets w ON w.id = p.wallet_id LEFT JOIN users u ON u.id = w.user_id
  )
  SELECT coalesce(
    wallet_refusal_of_parties(s.problem, r.problem, s.wallet_id = r.wallet_id, cur),
    wallet_refusal_of_movement(cur, amt, true, day.today, day.this_month,
      s.status, s.kind, s.posted_balance - s.held_amount, s.tier, s.limits, s.sent_day, s.sent_month,
      r.status, r.kind, r.posted_balance, r.tier, r.limits))
  FROM day, side s, recipient r);
END $$;
