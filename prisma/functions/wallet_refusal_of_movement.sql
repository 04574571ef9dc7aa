-- wallet_refusal_of_movement(...): why money cannot move between two resolved wallets as they
-- stand (wallet_refusal JSON), or NULL when it can, in this order: the sender's wallet frozen, the
-- recipient's frozen, not enough available money (posted minus held; SYSTEM wallets may go
-- negative), then, for limited transfers (sendMoney, payments), the sender's KYC limits and the
-- recipient's balance cap. One place for that order of checks: the posting function (step 4, on
-- the wallets it has locked and the counters it keeps) and a transfer's preview
-- (wallet_preview_refusal, on the wallets as read) both use it, so a preview refuses exactly what
-- the send would at that moment. Enforces nothing itself.
CREATE OR REPLACE FUNCTION wallet_refusal_of_movement(
  currency TEXT, amt BIGINT, limited BOOLEAN, today DATE, this_month DATE,
  from_status TEXT, from_kind TEXT, from_available BIGINT, from_tier TEXT, from_limits JSONB, sent_day BIGINT, sent_month BIGINT,
  to_status TEXT, to_kind TEXT, to_balance BIGINT, to_tier TEXT, to_limits JSONB)
RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  breach JSONB;
BEGIN
  IF from_status <> 'ACTIVE' THEN
    RETURN wallet_refusal('WALLET_FROZEN', 'from', jsonb_build_object('currency', currency, 'status', from_status));
  ELSIF to_status <> 'ACTIVE' THEN
    RETURN wallet_refusal('WALLET_FROZEN', 'to');
  ELSIF from_kind <> 'SYSTEM' AND from_available < amt THEN
    RETURN wallet_refusal('INSUFFICIENT_FUNDS', 'amount');
  ELSIF NOT limited THEN
    RETURN NULL;
  END IF;
  breach := wallet_limit_breach(from_limits, from_tier, amt, sent_day, sent_month, NULL, today, this_month);
  IF breach IS NULL AND to_kind = 'USER'
     AND wallet_limit_breach(to_limits, to_tier, amt, NULL, NULL, to_balance, today, this_month) IS NOT NULL THEN
    breach := jsonb_build_object('limit', 'RECIPIENT_MAX_BALANCE');
  END IF;
  RETURN CASE WHEN breach IS NOT NULL THEN wallet_refusal('LIMIT_EXCEEDED', 'amount', breach) END;
END $$;
