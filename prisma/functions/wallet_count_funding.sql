-- wallet_count_funding(p_wallet, p_kind, p_amt): counts a top-up (p_kind 'ADD') or a withdrawal
-- (any other kind) against the wallet's daily limits when it is requested, or returns why not
-- (NULL: counted). Locks the wallet row, rolls its counters over to today (UTC), checks the
-- tier's daily add-funds limit and balance cap (MAX_BALANCE) or daily withdraw limit (0: a
-- verified identity is needed), and adds the amount to added_day or withdrawn_day. A top-up that
-- later fails still counted: the conservative choice.
--
-- Invariant: top-ups and withdrawals stay within the user's tier limits, even when requested in
-- parallel (the wallet row lock). Called by src/services/funding/funding.ts.
CREATE OR REPLACE FUNCTION wallet_count_funding(p_wallet UUID, p_kind TEXT, p_amt BIGINT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  today DATE := (now() AT TIME ZONE 'UTC')::date;
  w RECORD;
  lim RECORD;
  used BIGINT;
  cap BIGINT;
BEGIN
  SELECT wl.id, wl.currency, wl.posted_balance, u.kyc_tier::text AS tier,
         CASE WHEN wl.usage_day = today THEN wl.added_day ELSE 0 END AS added,
         CASE WHEN wl.usage_day = today THEN wl.withdrawn_day ELSE 0 END AS withdrawn
  INTO w FROM wallets wl JOIN users u ON u.id = wl.user_id WHERE wl.id = p_wallet FOR UPDATE OF wl;
  SELECT l.*, c.exponent INTO lim FROM tier_limits l JOIN currencies c ON c.code = l.currency
  WHERE l.tier::text = w.tier AND l.currency = w.currency;
  IF NOT FOUND THEN
    RETURN format('Your verification level (%s) does not allow this currency yet. Verify your identity (submitKyc) to raise your limits.', w.tier);
  END IF;
  IF p_kind = 'ADD' THEN
    used := w.added; cap := lim.daily_add_funds;
    IF w.posted_balance + p_amt > lim.max_balance THEN
      RETURN format('Your wallet may hold at most %s at your verification level (MAX_BALANCE); you can add %s more. Verify your identity (submitKyc) to raise it.',
        trim_scale(lim.max_balance::numeric / 10::numeric ^ lim.exponent), trim_scale(greatest(0, lim.max_balance - w.posted_balance)::numeric / 10::numeric ^ lim.exponent));
    END IF;
  ELSE
    used := w.withdrawn; cap := lim.daily_withdraw;
    IF cap = 0 THEN
      RETURN format('Withdrawals need a verified identity: your level (%s) allows none (DAILY_WITHDRAW). Verify your identity (submitKyc) first.', w.tier);
    END IF;
  END IF;
  IF used + p_amt > cap THEN
    RETURN format('Over your daily %s limit (%s): you can %s %s more today; it resets at %s 00:00 UTC.',
      CASE WHEN p_kind = 'ADD' THEN 'add-funds' ELSE 'withdraw' END, CASE WHEN p_kind = 'ADD' THEN 'DAILY_ADD_FUNDS' ELSE 'DAILY_WITHDRAW' END,
      CASE WHEN p_kind = 'ADD' THEN 'add' ELSE 'withdraw' END, trim_scale(greatest(0, cap - used)::numeric / 10::numeric ^ lim.exponent), today + 1);
  END IF;
  UPDATE wallets SET
    sent_day = CASE WHEN usage_day = today THEN sent_day ELSE 0 END,
    added_day = w.added + CASE WHEN p_kind = 'ADD' THEN p_amt ELSE 0 END,
    withdrawn_day = w.withdrawn + CASE WHEN p_kind = 'ADD' THEN 0 ELSE p_amt END,
    usage_day = today
  WHERE id = p_wallet;
  RETURN NULL;
END $$;
