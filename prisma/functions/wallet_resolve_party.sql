-- wallet_resolve_party(party, want_currency): the wallet a transfer's party names, in the
-- transfer's currency, or why there is none (problem: NOT_FOUND, USER_NOT_FOUND, NO_WALLET,
-- CURRENCY_MISMATCH). A party is {"walletId"} (a user wallet only: system and merchant wallets
-- cannot be named by id), {"system": purpose}, {"merchantId"} (the merchant's wallet), or a user by
-- {"userId"}, {"email"} (trimmed, lower-cased) or {"phoneHash"} (that user's wallet in the currency).
-- A phone is named by its keyed hash (users.phone_hash, computed by the server: the database holds
-- no key and no number in the clear); while numbers from before sealing are left, the server adds
-- the number itself ({"phoneHash", "phone"}) and it is looked up in users.legacy_phone too.
--
-- Invariant: a transfer's wallets hold its currency (also the composite foreign keys of
-- ledger_transactions and ledger_entries). Read-only (STABLE); used by wallet_post_transfers and
-- by the risk rules' facts (src/services/risk/riskFacts.ts).
CREATE OR REPLACE FUNCTION wallet_resolve_party(party JSONB, want_currency TEXT, OUT wallet_id UUID, OUT problem TEXT)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  owner UUID;
  found_currency TEXT;
BEGIN
  IF party ? 'walletId' THEN
    SELECT w.id, w.currency INTO wallet_id, found_currency
    FROM wallets w WHERE w.id = (party->>'walletId')::uuid AND w.kind = 'USER';
    IF NOT FOUND THEN problem := 'NOT_FOUND';
    ELSIF found_currency <> want_currency THEN problem := 'CURRENCY_MISMATCH'; wallet_id := NULL;
    END IF;
    RETURN;
  ELSIF party ? 'system' THEN
    SELECT w.id INTO wallet_id FROM wallets w
    WHERE w.kind = 'SYSTEM' AND w.system_code = party->>'system' AND w.currency = want_currency;
    IF NOT FOUND THEN problem := 'NOT_FOUND'; END IF;
    RETURN;
  ELSIF party ? 'merchantId' THEN
    SELECT w.id INTO wallet_id FROM wallets w
    WHERE w.merchant_id = (party->>'merchantId')::uuid AND w.currency = want_currency;
    IF NOT FOUND THEN problem := 'NO_WALLET'; END IF;
    RETURN;
  ELSIF party ? 'userId' THEN
    owner := (party->>'userId')::uuid;
  ELSIF party ? 'email' THEN
    SELECT u.id INTO owner FROM users u WHERE u.email = lower(btrim(party->>'email'));
  ELSIF party ? 'phoneHash' THEN
    SELECT u.id INTO owner FROM users u WHERE u.phone_hash = party->>'phoneHash';
    IF owner IS NULL AND party ? 'phone' THEN
      SELECT u.id INTO owner FROM users u WHERE u.legacy_phone = party->>'phone';
    END IF;
  END IF;
  IF owner IS NULL THEN problem := 'USER_NOT_FOUND'; RETURN; END IF;
  SELECT w.id INTO wallet_id FROM wallets w WHERE w.kind = 'USER' AND w.user_id = owner AND w.currency = want_currency;
  IF NOT FOUND THEN problem := 'NO_WALLET'; END IF;
END $$;
