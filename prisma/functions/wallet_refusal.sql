-- wallet_refusal(code, part, facts): the JSON of a refused request, {"ok": false, "code", "part",
-- "facts"}, as wallet_post_transfers answers (and stores with the idempotency key) and
-- wallet_count_funding returns. `part` names what failed: from, to, amount, currency, key or note
-- (NULL: the request as a whole); `facts` holds the data a message needs (a limit's name and
-- numbers, a currency, a wallet's status), never words: the ledger's refusal table
-- (src/services/ledger/refusals.ts) words each code for each caller. Enforces nothing itself.
CREATE OR REPLACE FUNCTION wallet_refusal(code TEXT, part TEXT, facts JSONB DEFAULT NULL) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object('ok', false, 'code', code, 'part', part, 'facts', facts))
$$;
