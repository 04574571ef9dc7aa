-- wallet_limit_refusal(lim, tier, amt, sent_day, sent_month, balance, today, this_month): why a
-- transfer breaks a KYC limit, naming the limit, what is still allowed and when it resets; NULL
-- if it does not. `lim` is the tier_limits row (as JSON, with the currency's exponent); a wallet
-- whose tier has no row for the currency may do nothing limited; SYSTEM is never limited. For the
-- sender pass sent_day and sent_month (per transaction, daily and monthly send limits); for the
-- recipient pass balance, its balance before the transfer (the MAX_BALANCE cap).
--
-- Invariant: a limited transfer (sendMoney, payments) stays within the sender's tier limits and
-- the recipient's balance cap. Pure (IMMUTABLE): wallet_post_transfers passes it the counters it
-- read from the wallet rows it has locked, so parallel transfers cannot together pass a limit.
CREATE OR REPLACE FUNCTION wallet_limit_refusal(lim JSONB, tier TEXT, amt BIGINT, sent_day BIGINT, sent_month BIGINT, balance BIGINT, today DATE, this_month DATE)
RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  e INT := coalesce((lim->>'exponent')::int, 2);
  major TEXT;
BEGIN
  IF tier = 'SYSTEM' THEN RETURN NULL; END IF;
  IF lim IS NULL THEN
    RETURN format('Your verification level (%s) does not allow this currency yet. Verify your identity (submitKyc) to raise your limits.', tier);
  END IF;
  IF balance IS NOT NULL THEN
    IF balance + amt > (lim->>'max_balance')::bigint THEN RETURN 'MAX_BALANCE'; END IF;
    RETURN NULL;
  END IF;
  IF amt > (lim->>'per_transaction')::bigint THEN
    major := trim_scale(((lim->>'per_transaction')::numeric / 10::numeric ^ e))::text;
    RETURN format('Over your per-transaction limit (%s): you can send at most %s at once. Verify your identity (submitKyc) to raise it.', 'PER_TRANSACTION', major);
  END IF;
  IF sent_day + amt > (lim->>'daily_send')::bigint THEN
    major := trim_scale((greatest(0, (lim->>'daily_send')::bigint - sent_day)::numeric / 10::numeric ^ e))::text;
    RETURN format('Over your daily send limit (%s): you can send %s more today; it resets at %s 00:00 UTC.', 'DAILY_SEND', major, today + 1);
  END IF;
  IF sent_month + amt > (lim->>'monthly_send')::bigint THEN
    major := trim_scale((greatest(0, (lim->>'monthly_send')::bigint - sent_month)::numeric / 10::numeric ^ e))::text;
    RETURN format('Over your monthly send limit (%s): you can send %s more this month; it resets at %s 00:00 UTC.', 'MONTHLY_SEND', major, (this_month + interval '1 month')::date);
  END IF;
  RETURN NULL;
END $$;
