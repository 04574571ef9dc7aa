-- wallet_post_transfers(requests): the one posting path for money moving between two wallets.
-- One round trip does everything for a list of transfers: idempotency claims, wallet resolution,
-- locks in id order, balance checks, ledger transaction + two entries, wallet balances, the
-- idempotency answer and the outbox events. Each transfer succeeds or is refused on its own, so
-- a batch of many (the batching writer) behaves exactly like many calls of one.
--
-- A request (JSON object):
--   userId, key, operation, hash   idempotency scope, key, operation name and request fingerprint
--   type                           "TransactionType" (P2P_TRANSFER, ADJUSTMENT, ...)
--   currency, amount               ISO code; positive minor units as a string
--   from, to                       a party: {"walletId"} (user wallets only), {"userId"}, {"email"},
--                                  {"phone"} (the user's wallet in the currency), or {"system": code}
--   note, metadata, initiatedBy    optional
--   ttlHours                       how long the idempotency answer is kept (default 168)
-- Returns {"results": [one per request, in order], "events": [outbox rows written]}.
-- A result is {"ok": true, "transactionId", "fromWalletId", "toWalletId"} or
-- {"ok": false, "code", "message", "field"}; "replayed": true marks an answer from an earlier call.

CREATE FUNCTION wallet_refusal(code TEXT, message TEXT, field TEXT DEFAULT NULL) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('ok', false, 'code', code, 'message', message, 'field', field)
$$;

-- Finds the wallet a party names in a currency. problem: NOT_FOUND, USER_NOT_FOUND, NO_WALLET, CURRENCY_MISMATCH.
CREATE FUNCTION wallet_resolve_party(party JSONB, want_currency TEXT, OUT wallet_id UUID, OUT problem TEXT)
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
  ELSIF party ? 'userId' THEN
    owner := (party->>'userId')::uuid;
  ELSIF party ? 'email' THEN
    SELECT u.id INTO owner FROM users u WHERE u.email = lower(btrim(party->>'email'));
  ELSIF party ? 'phone' THEN
    SELECT u.id INTO owner FROM users u WHERE u.phone = party->>'phone';
  END IF;
  IF owner IS NULL THEN problem := 'USER_NOT_FOUND'; RETURN; END IF;
  SELECT w.id INTO wallet_id FROM wallets w WHERE w.kind = 'USER' AND w.user_id = owner AND w.currency = want_currency;
  IF NOT FOUND THEN problem := 'NO_WALLET'; END IF;
END $$;

CREATE FUNCTION wallet_post_transfers(requests JSONB) RETURNS JSONB
LANGUAGE plpgsql AS $$
DECLARE
  n INT := jsonb_array_length(requests);
  results JSONB[] := array_fill(NULL::jsonb, ARRAY[n]);
  claimed BOOLEAN[] := array_fill(false, ARRAY[n]);
  from_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  to_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  tx_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  events JSONB := '[]';
  item RECORD;
  existing RECORD;
  src RECORD;
  dst RECORD;
  r JSONB;
  i INT;
  amt BIGINT;
  cur TEXT;
  src_balance BIGINT;
  src_seq BIGINT;
  dst_balance BIGINT;
  dst_seq BIGINT;
  new_events JSONB;
  tx_id UUID;
BEGIN
  -- 1. Claim the idempotency keys, in (user, key) order so that concurrent calls cannot deadlock
  --    on them. A key another transaction is claiming makes us wait for its outcome.
  FOR item IN
    SELECT e.idx::int AS idx, e.req FROM jsonb_array_elements(requests) WITH ORDINALITY AS e (req, idx)
    ORDER BY e.req->>'userId', e.req->>'key'
  LOOP
    i := item.idx;
    r := item.req;
    INSERT INTO idempotency_keys (user_id, key, operation, request_hash, expires_at)
    VALUES ((r->>'userId')::uuid, r->>'key', r->>'operation', r->>'hash',
            now() + make_interval(hours => coalesce((r->>'ttlHours')::int, 168)))
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
      claimed[i] := true;
    ELSE
      SELECT k.operation, k.request_hash, k.response INTO existing
      FROM idempotency_keys k WHERE k.user_id = (r->>'userId')::uuid AND k.key = r->>'key';
      IF existing.request_hash <> r->>'hash' OR existing.operation <> r->>'operation' THEN
        results[i] := wallet_refusal('IDEMPOTENCY_KEY_REUSED',
          'This idempotency key was already used for a different request. Use a new key for a new request.', 'idempotencyKey');
      ELSIF existing.response IS NULL THEN
        results[i] := wallet_refusal('IDEMPOTENCY_IN_PROGRESS',
          'A request with this idempotency key is still being processed. Retry shortly.', 'idempotencyKey');
      ELSE
        results[i] := existing.response || '{"replayed": true}';
      END IF;
    END IF;
  END LOOP;

  -- 2. Resolve both parties of each claimed transfer to wallets. Malformed requests are refused
  --    here, one by one, rather than failing the whole call on a constraint.
  FOR i IN 1..n LOOP
    CONTINUE WHEN NOT claimed[i];
    r := requests->(i - 1);
    cur := r->>'currency';
    SELECT * INTO src FROM wallet_resolve_party(r->'from', cur);
    SELECT * INTO dst FROM wallet_resolve_party(r->'to', cur);
    IF coalesce((r->>'amount')::numeric, 0) <= 0 OR (r->>'amount')::numeric > 9223372036854775807 THEN
      results[i] := wallet_refusal('INVALID_AMOUNT', 'The amount must be a positive whole number of minor units.', 'amount');
    ELSIF length(r->>'note') > 280 THEN
      results[i] := wallet_refusal('INVALID_INPUT', 'The note must be at most 280 characters.', 'note');
    ELSIF src.problem = 'CURRENCY_MISMATCH' OR dst.problem = 'CURRENCY_MISMATCH' THEN
      results[i] := wallet_refusal('CURRENCY_MISMATCH', 'That wallet holds another currency than the amount.', 'amount.currency');
    ELSIF src.problem IS NOT NULL THEN
      results[i] := wallet_refusal('NO_WALLET_IN_CURRENCY', format('You have no %s wallet. Open one first.', cur), 'amount.currency');
    ELSIF dst.problem = 'NO_WALLET' THEN
      results[i] := wallet_refusal('RECIPIENT_HAS_NO_WALLET_IN_CURRENCY', format('The recipient has no %s wallet.', cur), 'recipient');
    ELSIF dst.problem IS NOT NULL THEN
      results[i] := wallet_refusal('RECIPIENT_NOT_FOUND', 'No one with that email, phone or wallet was found.', 'recipient');
    ELSIF src.wallet_id = dst.wallet_id THEN
      results[i] := wallet_refusal('SELF_TRANSFER', 'You cannot send money to the same wallet.', 'recipient');
    ELSE
      from_ids[i] := src.wallet_id;
      to_ids[i] := dst.wallet_id;
    END IF;
  END LOOP;

  -- 3. Lock every wallet involved, once, in id order: no deadlocks between opposite transfers.
  PERFORM 1 FROM wallets
  WHERE id = ANY (array_cat(from_ids, to_ids))
  ORDER BY id
  FOR UPDATE;

  -- 4. Apply each transfer in request order; a refusal affects only its own transfer.
  FOR i IN 1..n LOOP
    CONTINUE WHEN NOT claimed[i];
    r := requests->(i - 1);
    IF results[i] IS NULL THEN
      amt := (r->>'amount')::bigint;
      cur := r->>'currency';
      SELECT * INTO src FROM wallets WHERE id = from_ids[i];
      SELECT * INTO dst FROM wallets WHERE id = to_ids[i];
      IF src.status <> 'ACTIVE' THEN
        results[i] := wallet_refusal('WALLET_FROZEN', format('Your %s wallet is %s and cannot send money.', cur, lower(src.status::text)), NULL);
      ELSIF dst.status <> 'ACTIVE' THEN
        results[i] := wallet_refusal('WALLET_FROZEN', 'The recipient''s wallet cannot receive money right now.', 'recipient');
      ELSIF src.kind = 'USER' AND src.posted_balance - src.held_amount < amt THEN
        results[i] := wallet_refusal('INSUFFICIENT_FUNDS', 'Not enough money in your wallet for this transfer.', 'amount');
      ELSE
        INSERT INTO ledger_transactions (type, status, currency, amount, from_wallet_id, to_wallet_id,
                                         initiated_by, idempotency_key, note, metadata)
        VALUES ((r->>'type')::"TransactionType", 'POSTED', cur, amt, src.id, dst.id,
                (r->>'initiatedBy')::uuid, r->>'key', r->>'note', coalesce(r->'metadata', '{}'))
        RETURNING id INTO tx_id;
        tx_ids[i] := tx_id;

        UPDATE wallets SET posted_balance = posted_balance - amt, sequence = sequence + 1,
                           version = version + 1, updated_at = now()
        WHERE id = src.id RETURNING posted_balance, sequence INTO src_balance, src_seq;
        UPDATE wallets SET posted_balance = posted_balance + amt, sequence = sequence + 1,
                           version = version + 1, updated_at = now()
        WHERE id = dst.id RETURNING posted_balance, sequence INTO dst_balance, dst_seq;

        INSERT INTO ledger_entries (transaction_id, wallet_id, currency, amount, balance_after, sequence)
        VALUES (tx_ids[i], src.id, cur, -amt, src_balance, src_seq),
               (tx_ids[i], dst.id, cur, amt, dst_balance, dst_seq);

        -- Events for user wallets and their owners (system wallets have no subscribers).
        WITH written AS (
          INSERT INTO outbox_events (topic, payload)
          SELECT e.topic, e.payload FROM (VALUES
            (src.kind, 'wallet.' || src.id, jsonb_build_object('walletId', src.id, 'sequence', src_seq,
              'transactionId', tx_id, 'postedBalance', src_balance::text, 'heldAmount', src.held_amount::text, 'currency', cur)),
            (dst.kind, 'wallet.' || dst.id, jsonb_build_object('walletId', dst.id, 'sequence', dst_seq,
              'transactionId', tx_id, 'postedBalance', dst_balance::text, 'heldAmount', dst.held_amount::text, 'currency', cur)),
            (src.kind, 'user.' || src.user_id || '.transactions', jsonb_build_object('transactionId', tx_ids[i],
              'walletId', src.id, 'status', 'POSTED')),
            (dst.kind, 'user.' || dst.user_id || '.transactions', jsonb_build_object('transactionId', tx_ids[i],
              'walletId', dst.id, 'status', 'POSTED'))
          ) AS e (kind, topic, payload)
          WHERE e.kind = 'USER'
          RETURNING id, topic, payload
        )
        SELECT coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'topic', w.topic, 'payload', w.payload)), '[]')
        INTO new_events FROM written w;
        events := events || new_events;

        results[i] := jsonb_build_object('ok', true, 'transactionId', tx_ids[i], 'fromWalletId', src.id, 'toWalletId', dst.id);
      END IF;
    END IF;
    -- The answer is stored with the key, refusals included: a retry gets the same answer.
    UPDATE idempotency_keys SET response = results[i], transaction_id = tx_ids[i]
    WHERE user_id = (r->>'userId')::uuid AND key = r->>'key';
  END LOOP;

  RETURN jsonb_build_object('results', to_jsonb(results), 'events', events);
END $$;
