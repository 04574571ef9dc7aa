-- wallet_limit_breach(lim, tier, amt, sent_day, sent_month, balance, today, this_month): which KYC
-- limit a transfer breaks, as facts (the limit's name and the numbers that explain it; the words
-- are the ledger's refusal table, src/services/ledger/refusals.ts), or NULL if it breaks none.
-- `lim` is the tier_limits row (as JSON, with the currency's exponent); a wallet whose tier has no
-- row for the currency may do nothing limited; SYSTEM is never limited. For the sender pass
-- sent_day and sent_month (per transaction, daily and monthly send limits); for the recipient pass
-- balance, its balance before the transfer (the MAX_BALANCE cap).
--
-- Invariant: a limited transfer (sendMoney, payments) stays within the sender's tier limits and
-- the recipient's balance cap. Pure (IMMUTABLE): wallet_post_transfers passes it the counters it
-- read from the wallet rows it has locked, so parallel transfers cannot together pass a limit.
CREATE OR REPLACE FUNCTION wallet_limit_breach(lim JSONB, tier TEXT, amt BIGINT, sent_day BIGINT, sent_month BIGINT, balance BIGINT, today DATE, this_month DATE)
RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  e INT := coalesce((lim->>'exponent')::int, 2);
BEGIN
  IF tier = 'SYSTEM' THEN RETURN NULL; END IF;
  IF lim IS NULL THEN RETURN jsonb_build_object('limit', 'TIER_CURRENCY', 'tier', tier); END IF;
  IF balance IS NOT NULL THEN
    IF balance + amt > (lim->>'max_balance')::bigint THEN RETURN jsonb_build_object('limit', 'RECIPIENT_MAX_BALANCE'); END IF;
    RETURN NULL;
  END IF;
  IF amt > (lim->>'per_transaction')::bigint THEN
    RETURN jsonb_build_object('limit', 'PER_TRANSACTION', 'max', lim->>'per_transaction', 'exponent', e);
  END IF;
  IF sent_day + amt > (lim->>'daily_send')::bigint THEN
    RETURN jsonb_build_object('limit', 'DAILY_SEND', 'remaining', greatest(0, (lim->>'daily_send')::bigint - sent_day)::text,
      'exponent', e, 'resetsOn', today + 1);
  END IF;
  IF sent_month + amt > (lim->>'monthly_send')::bigint THEN
    RETURN jsonb_build_object('limit', 'MONTHLY_SEND', 'remaining', greatest(0, (lim->>'monthly_send')::bigint - sent_month)::text,
      'exponent', e, 'resetsOn', (this_month + interval '1 month')::date);
  END IF;
  RETURN NULL;
END $$;
