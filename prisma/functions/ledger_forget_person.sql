-- ledger_forget_person(user_id, wallet_ids, person_values, replacement): takes what names an erased
-- user out of the ledger's rows, leaving the money as it was (issue 18, GDPR erasure;
-- src/services/ledger/personalDetails.ts). Amounts, wallets, entries, order and seals are untouched.
-- - metadata.recipient (the email or phone a sender typed) is removed from every transaction to or
--   from the user's wallets;
-- - the user's own idempotency records are deleted (nobody can retry as them any more);
-- - other people's live records that mention the user keep their answer, with each of
--   person_values (the name, email and phone, as whole JSON strings) replaced, so a retry still
--   replays and never moves money twice. They are found by a scan of the live records (filtered
--   by the user's id); erasures are rare and records expire (IDEMPOTENCY_TTL_HOURS).
-- Runs as the tables' owner (SECURITY DEFINER): the server's role may write neither table.
CREATE OR REPLACE FUNCTION ledger_forget_person(person UUID, wallet_ids UUID[], person_values TEXT[], replacement TEXT) RETURNS VOID
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v TEXT;
BEGIN
  UPDATE ledger_transactions SET metadata = metadata - 'recipient', updated_at = now()
  WHERE (from_wallet_id = ANY(wallet_ids) OR to_wallet_id = ANY(wallet_ids)) AND metadata ? 'recipient';
  DELETE FROM idempotency_keys WHERE user_id = person;
  FOREACH v IN ARRAY coalesce(person_values, '{}') LOOP
    CONTINUE WHEN v IS NULL OR v = '';
    UPDATE idempotency_keys k SET response = replace(k.response::text, to_json(v)::text, to_json(replacement)::text)::jsonb
    WHERE k.response IS NOT NULL AND k.expires_at > now() AND strpos(k.response::text, person::text) > 0
      AND strpos(k.response::text, to_json(v)::text) > 0;
  END LOOP;
END $$;
