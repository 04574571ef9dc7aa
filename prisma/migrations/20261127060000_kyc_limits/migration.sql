-- KYC tiers and the limits that go with them, enforced where money moves.
--
-- Every user has a tier (TIER_0 at sign-up). tier_limits holds, per tier and currency, the most a
-- wallet may hold, send at once, send per day and per month, add per day and withdraw per day
-- (minor units; the server writes it from its configuration at start). Wallets carry their own
-- usage counters for the current UTC day and month, so checking a limit costs no extra query: the
-- posting function reads them with the wallet row it already locks, and writes them back with the
-- balance. Because the sender's wallet is locked, parallel transfers cannot together pass a limit.
-- Only requests that ask for it ("limits": true: sendMoney, payments) are limited; deposits posted
-- from a processor's webhook, reversals and admin adjustments never are.

CREATE TYPE "KycTier" AS ENUM ('TIER_0', 'TIER_1', 'TIER_2');
ALTER TABLE users ADD COLUMN kyc_tier "KycTier" NOT NULL DEFAULT 'TIER_0';

CREATE TABLE tier_limits (
  tier            "KycTier" NOT NULL,
  currency        CHAR(3) NOT NULL REFERENCES currencies (code),
  max_balance     BIGINT NOT NULL CHECK (max_balance >= 0),
  per_transaction BIGINT NOT NULL CHECK (per_transaction >= 0),
  daily_send      BIGINT NOT NULL CHECK (daily_send >= 0),
  monthly_send    BIGINT NOT NULL CHECK (monthly_send >= 0),
  daily_add_funds BIGINT NOT NULL CHECK (daily_add_funds >= 0),
  daily_withdraw  BIGINT NOT NULL CHECK (daily_withdraw >= 0),
  PRIMARY KEY (tier, currency)
);

ALTER TABLE wallets
  ADD COLUMN usage_day      DATE,
  ADD COLUMN sent_day       BIGINT NOT NULL DEFAULT 0 CHECK (sent_day >= 0),
  ADD COLUMN added_day      BIGINT NOT NULL DEFAULT 0 CHECK (added_day >= 0),
  ADD COLUMN withdrawn_day  BIGINT NOT NULL DEFAULT 0 CHECK (withdrawn_day >= 0),
  ADD COLUMN usage_month    DATE,
  ADD COLUMN sent_month     BIGINT NOT NULL DEFAULT 0 CHECK (sent_month >= 0);

-- Why a transfer breaks a limit (NULL if it does not), naming the limit, what is still allowed and
-- when it resets. `lim` is the tier_limits row (as JSON, with the currency's exponent); a wallet
-- whose tier has no row for the currency may do nothing limited. For the sender pass sent_day and
-- sent_month; for the recipient pass balance (its balance before the transfer).
CREATE FUNCTION wallet_limit_refusal(lim JSONB, tier TEXT, amt BIGINT, sent_day BIGINT, sent_month BIGINT, balance BIGINT, today DATE, this_month DATE)
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

-- Top-ups and withdrawals count against their own daily limits when they are requested (a top-up
-- that later fails still counted: the conservative choice). Locks the wallet row, rolls its
-- counters over to today, checks the tier's limits and counts the amount, or returns why not.
CREATE FUNCTION wallet_count_funding(p_wallet UUID, p_kind TEXT, p_amt BIGINT) RETURNS TEXT
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

CREATE OR REPLACE FUNCTION wallet_post_transfers(requests JSONB) RETURNS JSONB
LANGUAGE plpgsql AS $$
DECLARE
  n INT := jsonb_array_length(requests);
  r_user UUID[]; r_key TEXT[]; r_op TEXT[]; r_hash TEXT[]; r_type TEXT[]; r_cur TEXT[];
  r_amount TEXT[]; r_note TEXT[]; r_meta JSONB[]; r_init UUID[]; r_ttl INT[]; r_from JSONB[]; r_to JSONB[]; r_limited BOOLEAN[];
  results JSONB[] := array_fill(NULL::jsonb, ARRAY[n]);
  claimed BOOLEAN[] := array_fill(false, ARRAY[n]);
  claimed_keys TEXT[];
  from_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  to_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  tx_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  -- The locked wallets, as parallel arrays ordered by id.
  w_id UUID[]; w_bal BIGINT[]; w_held BIGINT[]; w_seq BIGINT[]; w_status TEXT[]; w_kind TEXT[];
  w_user UUID[]; w_name TEXT[]; w_created TIMESTAMPTZ[]; w_changed BOOLEAN[];
  w_tier TEXT[]; w_sent_day BIGINT[]; w_sent_month BIGINT[];
  -- Limits by "tier:currency" (tier_limits rows as JSON), and what a refusal says.
  lims JSONB;
  today DATE := (now() AT TIME ZONE 'UTC')::date;
  this_month DATE := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  refusal TEXT;
  -- Rows to write.
  t_id UUID[] := '{}'; t_type TEXT[] := '{}'; t_cur TEXT[] := '{}'; t_amt BIGINT[] := '{}'; t_from UUID[] := '{}';
  t_to UUID[] := '{}'; t_init UUID[] := '{}'; t_key TEXT[] := '{}'; t_note TEXT[] := '{}'; t_meta JSONB[] := '{}';
  t_at TIMESTAMPTZ[] := '{}';
  e_tx UUID[] := '{}'; e_wallet UUID[] := '{}'; e_cur TEXT[] := '{}'; e_amt BIGINT[] := '{}';
  e_bal BIGINT[] := '{}'; e_seq BIGINT[] := '{}'; e_at TIMESTAMPTZ[] := '{}';
  o_topic TEXT[] := '{}'; o_payload JSONB[] := '{}';
  events JSONB;
  existing RECORD;
  src RECORD;
  dst RECORD;
  i INT;
  a INT;
  b INT;
  amt BIGINT;
  tx UUID;
  at TIMESTAMPTZ;
BEGIN
  SELECT array_agg((q.r->>'userId')::uuid ORDER BY q.i), array_agg(q.r->>'key' ORDER BY q.i),
         array_agg(q.r->>'operation' ORDER BY q.i), array_agg(q.r->>'hash' ORDER BY q.i),
         array_agg(q.r->>'type' ORDER BY q.i), array_agg(q.r->>'currency' ORDER BY q.i),
         array_agg(q.r->>'amount' ORDER BY q.i), array_agg(q.r->>'note' ORDER BY q.i),
         array_agg(coalesce(q.r->'metadata', '{}') ORDER BY q.i), array_agg((q.r->>'initiatedBy')::uuid ORDER BY q.i),
         array_agg(coalesce((q.r->>'ttlHours')::int, 168) ORDER BY q.i),
         array_agg(q.r->'from' ORDER BY q.i), array_agg(q.r->'to' ORDER BY q.i),
         array_agg(coalesce((q.r->>'limits')::boolean, false) ORDER BY q.i)
  INTO r_user, r_key, r_op, r_hash, r_type, r_cur, r_amount, r_note, r_meta, r_init, r_ttl, r_from, r_to, r_limited
  FROM jsonb_array_elements(requests) WITH ORDINALITY AS q (r, i);

  -- 1. Claim the idempotency keys in (user, key) order, so concurrent calls cannot deadlock on
  --    them; a key another transaction is claiming makes this one wait for its outcome.
  WITH inserted AS (
    INSERT INTO idempotency_keys (user_id, key, operation, request_hash, expires_at)
    SELECT k.u, k.k, k.o, k.h, now() + make_interval(hours => k.t)
    FROM unnest(r_user, r_key, r_op, r_hash, r_ttl) AS k (u, k, o, h, t)
    ORDER BY k.u, k.k
    ON CONFLICT DO NOTHING
    RETURNING user_id, key)
  SELECT coalesce(array_agg(user_id::text || '/' || key), '{}') INTO claimed_keys FROM inserted;

  FOR i IN 1..n LOOP
    -- A key twice in one call: the first claims it, the repeat is answered as a concurrent retry.
    a := array_position(claimed_keys, r_user[i]::text || '/' || r_key[i]);
    IF a IS NOT NULL THEN
      claimed[i] := true;
      claimed_keys[a] := NULL;
    ELSIF EXISTS (SELECT 1 FROM generate_series(1, i - 1) j WHERE claimed[j] AND r_user[j] = r_user[i] AND r_key[j] = r_key[i]) THEN
      results[i] := CASE WHEN EXISTS (SELECT 1 FROM generate_series(1, i - 1) j
                                       WHERE r_user[j] = r_user[i] AND r_key[j] = r_key[i] AND r_hash[j] = r_hash[i] AND r_op[j] = r_op[i])
        THEN wallet_refusal('IDEMPOTENCY_IN_PROGRESS', 'A request with this idempotency key is still being processed. Retry shortly.', 'idempotencyKey')
        ELSE wallet_refusal('IDEMPOTENCY_KEY_REUSED',
          'This idempotency key was already used for a different request. Use a new key for a new request.', 'idempotencyKey') END;
    ELSE
      SELECT k.operation, k.request_hash, k.response INTO existing
      FROM idempotency_keys k WHERE k.user_id = r_user[i] AND k.key = r_key[i];
      IF existing.request_hash <> r_hash[i] OR existing.operation <> r_op[i] THEN
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

  -- 2. Resolve both parties of each claimed transfer; malformed requests are refused one by one.
  FOR i IN 1..n LOOP
    CONTINUE WHEN NOT claimed[i];
    IF r_amount[i] !~ '^[0-9]{1,18}$' OR r_amount[i]::bigint <= 0 THEN
      results[i] := wallet_refusal('INVALID_AMOUNT', 'The amount must be a positive whole number of minor units.', 'amount');
      CONTINUE;
    ELSIF length(r_note[i]) > 280 THEN
      results[i] := wallet_refusal('INVALID_INPUT', 'The note must be at most 280 characters.', 'note');
      CONTINUE;
    END IF;
    SELECT * INTO src FROM wallet_resolve_party(r_from[i], r_cur[i]);
    SELECT * INTO dst FROM wallet_resolve_party(r_to[i], r_cur[i]);
    IF src.problem = 'CURRENCY_MISMATCH' OR dst.problem = 'CURRENCY_MISMATCH' THEN
      results[i] := wallet_refusal('CURRENCY_MISMATCH', 'That wallet holds another currency than the amount.', 'amount.currency');
    ELSIF src.problem IS NOT NULL THEN
      results[i] := wallet_refusal('NO_WALLET_IN_CURRENCY', format('You have no %s wallet. Open one first.', r_cur[i]), 'amount.currency');
    ELSIF dst.problem = 'NO_WALLET' THEN
      results[i] := wallet_refusal('RECIPIENT_HAS_NO_WALLET_IN_CURRENCY', format('The recipient has no %s wallet.', r_cur[i]), 'recipient');
    ELSIF dst.problem IS NOT NULL THEN
      results[i] := wallet_refusal('RECIPIENT_NOT_FOUND', 'No one with that email, phone or wallet was found.', 'recipient');
    ELSIF src.wallet_id = dst.wallet_id THEN
      results[i] := wallet_refusal('SELF_TRANSFER', 'You cannot send money to the same wallet.', 'recipient');
    ELSE
      from_ids[i] := src.wallet_id;
      to_ids[i] := dst.wallet_id;
    END IF;
  END LOOP;

  -- 3. Lock every wallet involved, once, in id order (no deadlocks), and load it.
  SELECT array_agg(w.id ORDER BY w.id), array_agg(w.posted_balance ORDER BY w.id), array_agg(w.held_amount ORDER BY w.id),
         array_agg(w.sequence ORDER BY w.id), array_agg(w.status::text ORDER BY w.id), array_agg(w.kind::text ORDER BY w.id),
         array_agg(w.user_id ORDER BY w.id), array_agg(coalesce(u.display_name, w.system_code) ORDER BY w.id),
         array_agg(w.created_at ORDER BY w.id), array_agg(false ORDER BY w.id),
         array_agg(coalesce(u.kyc_tier::text, 'SYSTEM') ORDER BY w.id),
         array_agg(CASE WHEN w.usage_day = today THEN w.sent_day ELSE 0 END ORDER BY w.id),
         array_agg(CASE WHEN w.usage_month = this_month THEN w.sent_month ELSE 0 END ORDER BY w.id)
  INTO w_id, w_bal, w_held, w_seq, w_status, w_kind, w_user, w_name, w_created, w_changed, w_tier, w_sent_day, w_sent_month
  FROM (SELECT * FROM wallets WHERE id = ANY (array_cat(from_ids, to_ids)) ORDER BY id FOR UPDATE) w
  LEFT JOIN users u ON u.id = w.user_id;

  SELECT jsonb_object_agg(l.tier::text || ':' || l.currency, to_jsonb(l) || jsonb_build_object('exponent', c.exponent))
  INTO lims FROM tier_limits l JOIN currencies c ON c.code = l.currency;

  -- 4. Apply each transfer in request order on the loaded balances; a refusal affects only itself.
  FOR i IN 1..n LOOP
    CONTINUE WHEN NOT claimed[i] OR results[i] IS NOT NULL;
    a := array_position(w_id, from_ids[i]);
    b := array_position(w_id, to_ids[i]);
    amt := r_amount[i]::bigint;
    IF w_status[a] <> 'ACTIVE' THEN
      results[i] := wallet_refusal('WALLET_FROZEN', format('Your %s wallet is %s and cannot send money.', r_cur[i], lower(w_status[a])), NULL);
    ELSIF w_status[b] <> 'ACTIVE' THEN
      results[i] := wallet_refusal('WALLET_FROZEN', 'The recipient''s wallet cannot receive money right now.', 'recipient');
    ELSIF w_kind[a] = 'USER' AND w_bal[a] - w_held[a] < amt THEN
      results[i] := wallet_refusal('INSUFFICIENT_FUNDS', 'Not enough money in your wallet for this transfer.', 'amount');
    ELSE
      -- Limits, for the requests that ask for them: the sender's, then the recipient's balance cap.
      refusal := NULL;
      IF r_limited[i] THEN
        refusal := wallet_limit_refusal(lims -> (w_tier[a] || ':' || r_cur[i]), w_tier[a], amt, w_sent_day[a], w_sent_month[a], NULL, today, this_month);
        IF refusal IS NULL AND w_kind[b] = 'USER'
           AND wallet_limit_refusal(lims -> (w_tier[b] || ':' || r_cur[i]), w_tier[b], amt, NULL, NULL, w_bal[b], today, this_month) IS NOT NULL THEN
          refusal := 'The recipient cannot hold that much yet (their balance limit, MAX_BALANCE). Send a smaller amount.';
        END IF;
      END IF;
      IF refusal IS NOT NULL THEN
        results[i] := wallet_refusal('LIMIT_EXCEEDED', refusal, 'amount');
      ELSE
        IF r_limited[i] THEN
          w_sent_day[a] := w_sent_day[a] + amt;
          w_sent_month[a] := w_sent_month[a] + amt;
        END IF;
        tx := gen_random_uuid();
        at := clock_timestamp();
        tx_ids[i] := tx;
        w_bal[a] := w_bal[a] - amt; w_seq[a] := w_seq[a] + 1; w_changed[a] := true;
        w_bal[b] := w_bal[b] + amt; w_seq[b] := w_seq[b] + 1; w_changed[b] := true;
        t_id := t_id || tx; t_type := t_type || r_type[i]; t_cur := t_cur || r_cur[i]; t_amt := t_amt || amt;
        t_from := t_from || w_id[a]; t_to := t_to || w_id[b]; t_init := t_init || r_init[i]; t_key := t_key || r_key[i];
        t_note := t_note || r_note[i]; t_meta := t_meta || r_meta[i]; t_at := t_at || at;
        e_tx := e_tx || ARRAY[tx, tx]; e_wallet := e_wallet || ARRAY[w_id[a], w_id[b]]; e_cur := e_cur || ARRAY[r_cur[i], r_cur[i]];
        e_amt := e_amt || ARRAY[-amt, amt]; e_bal := e_bal || ARRAY[w_bal[a], w_bal[b]]; e_seq := e_seq || ARRAY[w_seq[a], w_seq[b]];
        e_at := e_at || ARRAY[at, at];
        -- One event per transfer, naming its user sides; the server fans it out to the wallet and
        -- user topics (src/services/events/ledgerEvents.ts). System wallets have no subscribers.
        IF w_kind[a] = 'USER' OR w_kind[b] = 'USER' THEN
          o_topic := o_topic || 'ledger.posted'::text;
          o_payload := o_payload || jsonb_build_object('transactionId', tx, 'status', 'POSTED', 'currency', r_cur[i], 'sides',
            (CASE WHEN w_kind[a] = 'USER' THEN jsonb_build_array(jsonb_build_object('walletId', w_id[a], 'userId', w_user[a],
               'sequence', w_seq[a], 'postedBalance', w_bal[a]::text, 'heldAmount', w_held[a]::text)) ELSE '[]'::jsonb END)
            || (CASE WHEN w_kind[b] = 'USER' THEN jsonb_build_array(jsonb_build_object('walletId', w_id[b], 'userId', w_user[b],
               'sequence', w_seq[b], 'postedBalance', w_bal[b]::text, 'heldAmount', w_held[b]::text)) ELSE '[]'::jsonb END));
        END IF;
        results[i] := jsonb_build_object(
          'ok', true, 'transactionId', tx, 'type', r_type[i], 'currency', r_cur[i], 'amount', amt::text,
          'note', r_note[i], 'createdAt', at,
          'from', jsonb_build_object('walletId', w_id[a], 'userId', w_user[a], 'kind', w_kind[a], 'name', w_name[a],
            'balanceAfter', w_bal[a]::text, 'held', w_held[a]::text, 'sequence', w_seq[a]::text, 'status', w_status[a],
            'walletCreatedAt', w_created[a]),
          'to', jsonb_build_object('walletId', w_id[b], 'userId', w_user[b], 'kind', w_kind[b], 'name', w_name[b],
            'balanceAfter', w_bal[b]::text, 'held', w_held[b]::text, 'sequence', w_seq[b]::text, 'status', w_status[b],
            'walletCreatedAt', w_created[b]));
      END IF;
    END IF;
  END LOOP;

  -- 5. Write everything at once.
  INSERT INTO ledger_transactions (id, type, status, currency, amount, from_wallet_id, to_wallet_id, initiated_by,
                                   idempotency_key, note, metadata, created_at, updated_at)
  SELECT x.id, x.type::"TransactionType", 'POSTED', x.cur, x.amt, x.src, x.dst, x.init, x.key, x.note, x.meta, x.at, x.at
  FROM unnest(t_id, t_type, t_cur, t_amt, t_from, t_to, t_init, t_key, t_note, t_meta, t_at)
       AS x (id, type, cur, amt, src, dst, init, key, note, meta, at);

  INSERT INTO ledger_entries (transaction_id, wallet_id, currency, amount, balance_after, sequence, created_at)
  SELECT * FROM unnest(e_tx, e_wallet, e_cur, e_amt, e_bal, e_seq, e_at);

  UPDATE wallets w SET posted_balance = v.bal, sequence = v.seq, version = w.version + 1, updated_at = now(),
         added_day = CASE WHEN w.usage_day = today THEN w.added_day ELSE 0 END,
         withdrawn_day = CASE WHEN w.usage_day = today THEN w.withdrawn_day ELSE 0 END,
         usage_day = today, sent_day = v.sent_day, usage_month = this_month, sent_month = v.sent_month
  FROM unnest(w_id, w_bal, w_seq, w_changed, w_sent_day, w_sent_month) AS v (id, bal, seq, changed, sent_day, sent_month)
  WHERE w.id = v.id AND v.changed;

  WITH written AS (
    INSERT INTO outbox_events (topic, payload)
    SELECT * FROM unnest(o_topic, o_payload)
    RETURNING id, topic, payload)
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'topic', w.topic, 'payload', w.payload) ORDER BY w.id), '[]')
  INTO events FROM written w;

  -- The answer is stored with the key, refusals included: a retry gets the same answer.
  UPDATE idempotency_keys k SET response = v.resp, transaction_id = v.tx
  FROM unnest(r_user, r_key, results, tx_ids, claimed) AS v (u, key, resp, tx, c)
  WHERE v.c AND k.user_id = v.u AND k.key = v.key;

  RETURN jsonb_build_object('results', to_jsonb(results), 'events', events);
END $$;
