-- wallet_refusal_of_parties(src_problem, dst_problem, same_wallet, currency): why a transfer between
-- the two parties wallet_resolve_party found cannot be made (wallet_refusal JSON), or NULL when it
-- can: a wallet in another currency, no sender wallet in the currency, a recipient without one, no
-- such recipient, or the same wallet on both sides. One place for that order of checks: the
-- posting function (step 2) and a transfer's preview (wallet_preview_refusal) both use it, so a
-- preview refuses exactly what the send would. Enforces nothing
-- itself. One expression, so it is inlined into the calling statement.
CREATE OR REPLACE FUNCTION wallet_refusal_of_parties(src_problem TEXT, dst_problem TEXT, same_wallet BOOLEAN, currency TEXT) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN src_problem = 'CURRENCY_MISMATCH' OR dst_problem = 'CURRENCY_MISMATCH' THEN wallet_refusal('CURRENCY_MISMATCH', 'currency')
    WHEN src_problem IS NOT NULL THEN wallet_refusal('NO_WALLET_IN_CURRENCY', 'currency', jsonb_build_object('currency', currency))
    WHEN dst_problem = 'NO_WALLET' THEN wallet_refusal('RECIPIENT_HAS_NO_WALLET_IN_CURRENCY', 'to', jsonb_build_object('currency', currency))
    WHEN dst_problem IS NOT NULL THEN wallet_refusal('RECIPIENT_NOT_FOUND', 'to')
    WHEN same_wallet THEN wallet_refusal('SELF_TRANSFER', 'to')
  END
$$;
