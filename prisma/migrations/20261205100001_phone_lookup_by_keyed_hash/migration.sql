-- Made by `npm run db:function-migration` from prisma/functions/: users_contact_unverified_on_change.sql, wallet_resolve_party.sql, ledger_reseal_recipients.sql.
-- Change the function files and make a new migration; never edit this one (it is history).

-- users_contact_unverified_on_change(): a changed email or phone is not verified any more.
--
-- Invariant: users.email_verified_at is set only while the email is the one that was verified, and
-- phone_verified_at likewise for the phone. An UPDATE that changes the email (or the phone) clears
-- its verification, whoever makes it: changeEmail, updateProfile, an erasure, an operator's SQL.
-- The phone is its keyed hash (phone_hash) or, until sealed, legacy_phone (decision 63): a change of
-- either is a change of the phone, except the sealing of a number kept in the clear into the same
-- number's hash, which the server marks by setting wallet.sealing_phones for its transaction
-- (src/services/accounts/phones.ts, sealLegacyPhones).
CREATE OR REPLACE FUNCTION users_contact_unverified_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.email IS DISTINCT FROM OLD.email THEN
    NEW.email_verified_at := NULL;
  END IF;
  IF (NEW.phone_hash IS DISTINCT FROM OLD.phone_hash OR NEW.legacy_phone IS DISTINCT FROM OLD.legacy_phone)
     AND NOT (OLD.phone_hash IS NULL AND OLD.legacy_phone IS NOT NULL AND NEW.legacy_phone IS NULL AND NEW.phone_hash IS NOT NULL
              AND coalesce(current_setting('wallet.sealing_phones', true), '') = 'on') THEN
    NEW.phone_verified_at := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER users_contact_unverified_on_change BEFORE UPDATE OF email, phone_hash, legacy_phone ON users
  FOR EACH ROW EXECUTE FUNCTION users_contact_unverified_on_change();

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

-- ledger_reseal_recipients(ids, old_values, new_values): replaces metadata.recipient (what a sender
-- typed: an email or a phone) of the given transactions with its sealed form, for
-- `npm run vault:rotate` (src/services/history/sentRecipients.ts): a recipient kept in the clear
-- (a JSON object, before decision 63) is sealed, one sealed under an older key is re-encrypted.
-- Each row changes only while its recipient is still exactly old_values[i] (a concurrent run or an
-- erasure that removed it wins), and only to a sealed value ("sv1.…" string). Nothing else of the
-- row changes: not the money, not updated_at. Returns how many rows changed.
-- Runs as the table's owner (SECURITY DEFINER): the server's role may not write ledger_transactions
-- itself (prisma/migrations/*_application_role, decision 42).
CREATE OR REPLACE FUNCTION ledger_reseal_recipients(ids UUID[], old_values JSONB[], new_values TEXT[]) RETURNS INT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  changed INT;
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(new_values) v WHERE v IS NULL OR v NOT LIKE 'sv1.%') THEN
    RAISE EXCEPTION 'ledger_reseal_recipients: only sealed values (sv1.…) may replace a recipient' USING ERRCODE = 'P0001';
  END IF;
  UPDATE ledger_transactions t SET metadata = jsonb_set(t.metadata, '{recipient}', to_jsonb(u.new_value))
  FROM unnest(ids, old_values, new_values) AS u (id, old_value, new_value)
  WHERE t.id = u.id AND t.metadata->'recipient' = u.old_value;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END $$;
