-- wallet_count_funding(p_wallet, p_kind, p_amt): counts a top-up (p_kind 'ADD') or a withdrawal
-- (any other kind) against the wallet's daily limits when it is requested, or returns why not as
-- a LIMIT_EXCEEDED refusal (wallet_refusal, with the limit's facts); NULL: counted. Locks the wallet row, rolls its counters over to today (UTC), checks the
-- tier's daily add-funds limit and balance cap (MAX_BALANCE) or daily withdraw limit (0: a
-- verified identity is needed), and adds the amount to added_day or withdrawn_day. A top-up that
-- later fails still counted: the conservative choice.
--
-- Invariant: top-ups and withdrawals stay within the user's tier limits, even when requested in
-- parallel (the wallet row lock). Called by the ledger's countFunding (src/services/ledger/ledgerTransaction.ts).
CREATE OR REPLACE FUNCTION wallet_count_funding(p_wallet UUID, p_kind TEXT, p_amt BIGINT) RETURNS JSONB
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
    RETURN wallet_refusal('LIMIT_EXCEEDED', 'amount', jsonb_build_object('limit', 'TIER_CURRENCY', 'tier', w.tier));
  END IF;
  IF p_kind = 'ADD' THEN
    used := w.added; cap := lim.daily_add_funds;
    IF w.posted_balance + p_amt > lim.max_balance THEN
      RETURN wallet_refusal('LIMIT_EXCEEDED', 'amount', jsonb_build_object('limit', 'MAX_BALANCE', 'max', lim.max_balance::text,
        'remaining', greatest(0, lim.max_balance - w.posted_balance)::text, 'exponent', lim.exponent));
    END IF;
  ELSE
    used := w.withdrawn; cap := lim.daily_withdraw;
    IF cap = 0 THEN
      RETURN wallet_refusal('LIMIT_EXCEEDED', 'amount', jsonb_build_object('limit', 'WITHDRAW_NOT_ALLOWED', 'tier', w.tier));
    END IF;
  END IF;
  IF used + p_amt > cap THEN
    RETURN wallet_refusal('LIMIT_EXCEEDED', 'amount', jsonb_build_object('limit', CASE WHEN p_kind = 'ADD' THEN 'DAILY_ADD_FUNDS' ELSE 'DAILY_WITHDRAW' END,
      'remaining', greatest(0, cap - used)::text, 'exponent', lim.exponent, 'resetsOn', today + 1));
  END IF;
  UPDATE wallets SET
    sent_day = CASE WHEN usage_day = today THEN sent_day ELSE 0 END,
    added_day = w.added + CASE WHEN p_kind = 'ADD' THEN p_amt ELSE 0 END,
    withdrawn_day = w.withdrawn + CASE WHEN p_kind = 'ADD' THEN 0 ELSE p_amt END,
    usage_day = today
  WHERE id = p_wallet;
  RETURN NULL;
END $$;
