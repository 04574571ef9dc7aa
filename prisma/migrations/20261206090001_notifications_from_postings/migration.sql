-- Made by `npm run db:function-migration` from prisma/functions/: wallet_limit_notices.sql, wallet_post_transfers.sql.
-- Change the function files and make a new migration; never edit this one (it is history).

-- wallet_limit_notices(lim, sent_day, sent_month, amt): the LIMIT_NEARLY_REACHED notices a send of
-- `amt` earns, as the notification facts (src/services/notifications/notices.ts): one for each of
-- the daily and monthly send limits that this send takes across 80 % of (used before it below,
-- used after it at or above), so a user hears once per limit and period, not on every send after.
-- `lim` is the sender's tier_limits row as JSON (null: no limits to near); sent_day and sent_month
-- are the usage before this send. Pure (IMMUTABLE), like wallet_limit_breach.
CREATE OR REPLACE FUNCTION wallet_limit_notices(lim JSONB, sent_day BIGINT, sent_month BIGINT, amt BIGINT)
RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('limit', l.name, 'used', (l.used + amt)::text, 'max', l.max::text)), '[]'::jsonb)
  FROM (VALUES ('DAILY_SEND', sent_day, (lim->>'daily_send')::bigint),
               ('MONTHLY_SEND', sent_month, (lim->>'monthly_send')::bigint)) AS l (name, used, max)
  WHERE l.max > 0 AND l.used * 5 < l.max * 4 AND (l.used + amt) * 5 >= l.max * 4
$$;

-- wallet_post_transfers(requests): the one posting path for money moving between two wallets.
-- One call, one statement, one round trip: for a list of transfers it looks up the idempotency
-- keys, applies the risk decision, resolves the parties, locks every wallet in id order, checks
-- frozen wallets, funds and KYC limits, and writes the ledger transactions, entries, wallet
-- balances, usage and velocity counters and recent sends, holds and risk reviews, risk
-- evaluations, outbox events and each new idempotency key with its answer. Each transfer succeeds or is refused on its own, so a batch of many (the
-- group-commit writer, src/services/ledger/batchingLedger.ts) behaves like many calls of one.
-- The steps, and where each ledger invariant is enforced: docs/ledger.md.
--
-- Invariants it enforces: a request is applied at most once per (user, key) (the key is written
-- with its answer; of two concurrent duplicates the later fails and runs again, then replays); no
-- deadlocks between postings (wallets locked once, in id order); a wallet's posted_balance,
-- sequence and each entry's balance_after follow from its entries; a non-system wallet sends at
-- most its available balance; frozen or closed wallets neither send nor receive; limited transfers
-- stay within KYC limits; every posted transfer touching a user wallet is in the call's outbox
-- event, written in the same transaction (one `ledger.posted` row per call listing its transfers).
-- (Zero-sum entries and append-only entries are the triggers' job, negative user balances the
-- CHECK constraints' on wallets.)
--
-- A request (JSON object):
--   userId, key, operation, hash   idempotency scope, key, operation name and request fingerprint
--   type                           "TransactionType" (P2P_TRANSFER, ADJUSTMENT, PAYMENT, ...)
--   currency, amount               ISO code; positive minor units as a string
--   from, to                       parties, see wallet_resolve_party
--   note, metadata, initiatedBy    optional
--   ttlHours                       how long the idempotency answer is kept (default 168)
--   limits                         true: check the sender's KYC limits and the recipient's cap
--   risk                           {"decision": ALLOW | REVIEW | BLOCK, "rules", "inputs",
--                                  "velocity": {"minute", "hour", "perMinute", "perHour"}}: the
--                                  verdict, stored in risk_evaluations with the outcome, and the
--                                  sender's send counts it rested on (this send included) with the
--                                  velocity rule's thresholds, checked again under the lock (3b)
--   transactionId                  post this IN_REVIEW transaction (an approved risk review)
-- Returns {"results": [one per request, in order], "events": [outbox rows written]}. A result is
-- {"ok": true, "status": POSTED | IN_REVIEW, "transactionId", "type", "currency", "amount",
-- "note", "createdAt", "from": Side, "to": Side} or {"ok": false, "code", "part", "facts"}
-- (wallet_refusal: what failed and the data to word it, never words; answers stored before
-- 2026-12 carry "message" and "field" instead); "replayed": true marks an answer stored by an
-- earlier call. {"ok": false, "code": "RISK_FACTS_STALE"} is not an answer: the send's key is not
-- written, nothing of it is written or counted, and the server assesses it again. Side =
-- {"walletId", "userId", "kind", "name", "balanceAfter", "held", "sequence", "status",
-- "walletCreatedAt"}, as the wallet is right after the transfer.
-- Runs as the tables' owner (SECURITY DEFINER): the server's role may not write the ledger's rows
-- itself (prisma/migrations/*_application_role, decision 42).
CREATE OR REPLACE FUNCTION wallet_post_transfers(requests JSONB) RETURNS JSONB
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n INT := jsonb_array_length(requests);
  r_user UUID[]; r_key TEXT[]; r_op TEXT[]; r_hash TEXT[]; r_type TEXT[]; r_cur TEXT[];
  r_amount TEXT[]; r_note TEXT[]; r_meta JSONB[]; r_init UUID[]; r_ttl INT[]; r_from JSONB[]; r_to JSONB[]; r_limited BOOLEAN[];
  r_risk JSONB[]; r_decision TEXT[]; r_txid UUID[];
  -- The send counts a risk verdict rested on, and the velocity thresholds (null without risk).
  r_seen_min INT[]; r_seen_hour INT[]; r_per_min INT[]; r_per_hour INT[];
  results JSONB[] := array_fill(NULL::jsonb, ARRAY[n]);
  -- Requests with a new key: they go ahead, and their keys are written with their answers (6).
  claimed BOOLEAN[] := array_fill(false, ARRAY[n]);
  seen JSONB;
  existing JSONB;
  written INT;
  from_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  to_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  tx_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  eval_ids UUID[] := array_fill(NULL::uuid, ARRAY[n]);
  -- The locked wallets, as parallel arrays ordered by id.
  w_id UUID[]; w_bal BIGINT[]; w_held BIGINT[]; w_seq BIGINT[]; w_status TEXT[]; w_kind TEXT[];
  w_user UUID[]; w_name TEXT[]; w_created TIMESTAMPTZ[]; w_changed BOOLEAN[];
  w_tier TEXT[]; w_sent_day BIGINT[]; w_sent_month BIGINT[];
  -- Sends in the last minute and hour (wallet_sends_in_window), and sends counted by this call.
  w_sends_min INT[]; w_sends_hour INT[]; w_sends INT[];
  minute_bucket BIGINT := floor(extract(epoch FROM now()) / 60);
  hour_bucket BIGINT := floor(extract(epoch FROM now()) / 3600);
  -- Limits by "tier:currency" (tier_limits rows as JSON), and the limit a transfer breaks.
  lims JSONB;
  today DATE := (now() AT TIME ZONE 'UTC')::date;
  this_month DATE := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  -- Rows to write.
  t_id UUID[] := '{}'; t_type TEXT[] := '{}'; t_cur TEXT[] := '{}'; t_amt BIGINT[] := '{}'; t_from UUID[] := '{}';
  t_to UUID[] := '{}'; t_init UUID[] := '{}'; t_key TEXT[] := '{}'; t_note TEXT[] := '{}'; t_meta JSONB[] := '{}';
  t_at TIMESTAMPTZ[] := '{}'; t_status TEXT[] := '{}';
  -- Transfers held for a risk review: the hold and the review to insert.
  h_tx UUID[] := '{}'; h_wallet UUID[] := '{}'; h_amt BIGINT[] := '{}'; h_user UUID[] := '{}'; h_eval UUID[] := '{}';
  e_tx UUID[] := '{}'; e_wallet UUID[] := '{}'; e_cur TEXT[] := '{}'; e_amt BIGINT[] := '{}';
  e_bal BIGINT[] := '{}'; e_seq BIGINT[] := '{}'; e_at TIMESTAMPTZ[] := '{}';
  o_topic TEXT[] := '{}'; o_payload JSONB[] := '{}';
  -- Posted sends from user wallets (P2P and payments), for each wallet's recent_sends.
  s_wallet UUID[] := '{}'; s_amt BIGINT[] := '{}';
  -- The posted transfers that touch a user wallet, for the call's one `ledger.posted` outbox row.
  posted JSONB[] := '{}';
  -- Notifications to write (src/services/notifications/notices.ts): money received, a send held for
  -- review, a sending limit nearly reached; listed in the call's one `notifications.added` row.
  n_user UUID[] := '{}'; n_kind TEXT[] := '{}'; n_data JSONB[] := '{}';
  notices JSONB;
  near JSONB;
  events JSONB;
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
         array_agg(coalesce((q.r->>'limits')::boolean, false) ORDER BY q.i),
         array_agg(nullif(q.r->'risk', 'null'::jsonb) ORDER BY q.i), array_agg(coalesce(q.r->'risk'->>'decision', 'ALLOW') ORDER BY q.i),
         array_agg((q.r->>'transactionId')::uuid ORDER BY q.i),
         array_agg((q.r->'risk'->'velocity'->>'minute')::int ORDER BY q.i), array_agg((q.r->'risk'->'velocity'->>'hour')::int ORDER BY q.i),
         array_agg((q.r->'risk'->'velocity'->>'perMinute')::int ORDER BY q.i), array_agg((q.r->'risk'->'velocity'->>'perHour')::int ORDER BY q.i)
  INTO r_user, r_key, r_op, r_hash, r_type, r_cur, r_amount, r_note, r_meta, r_init, r_ttl, r_from, r_to, r_limited,
       r_risk, r_decision, r_txid, r_seen_min, r_seen_hour, r_per_min, r_per_hour
  FROM jsonb_array_elements(requests) WITH ORDINALITY AS q (r, i);

  -- 1. Look up the call's keys, in one query. A key already answered replays its answer; the same
  --    key with another fingerprint or operation is refused; a new key goes ahead, and is written
  --    once, with its answer, at the end (6).
  SELECT coalesce(jsonb_object_agg(k.user_id::text || '/' || k.key,
                    jsonb_build_object('operation', k.operation, 'hash', k.request_hash, 'response', k.response)), '{}')
  INTO seen
  FROM idempotency_keys k JOIN unnest(r_user, r_key) AS q (u, key) ON k.user_id = q.u AND k.key = q.key;

  FOR i IN 1..n LOOP
    existing := seen -> (r_user[i]::text || '/' || r_key[i]);
    IF existing IS NULL THEN
      -- A key twice in one call: the first goes ahead, the repeat is answered as a concurrent retry.
      IF EXISTS (SELECT 1 FROM generate_series(1, i - 1) j WHERE claimed[j] AND r_user[j] = r_user[i] AND r_key[j] = r_key[i]) THEN
        results[i] := CASE WHEN EXISTS (SELECT 1 FROM generate_series(1, i - 1) j
                                         WHERE r_user[j] = r_user[i] AND r_key[j] = r_key[i] AND r_hash[j] = r_hash[i] AND r_op[j] = r_op[i])
          THEN wallet_refusal('IDEMPOTENCY_IN_PROGRESS', 'key')
          ELSE wallet_refusal('IDEMPOTENCY_KEY_REUSED', 'key') END;
      ELSE
        claimed[i] := true;
      END IF;
    ELSIF existing->>'hash' <> r_hash[i] OR existing->>'operation' <> r_op[i] THEN
      results[i] := wallet_refusal('IDEMPOTENCY_KEY_REUSED', 'key');
    ELSIF jsonb_typeof(existing->'response') IS DISTINCT FROM 'object' THEN
      -- A key claimed before answers were written with it (this function's earlier versions).
      results[i] := wallet_refusal('IDEMPOTENCY_IN_PROGRESS', 'key');
    ELSE
      results[i] := (existing->'response') || '{"replayed": true}';
    END IF;
  END LOOP;

  -- 2. Resolve both parties of each claimed transfer; malformed requests are refused one by one.
  --    The sender's wallet is kept (from_ids) even when the transfer is refused here, so that the
  --    attempt still counts towards its velocity (3b).
  FOR i IN 1..n LOOP
    CONTINUE WHEN NOT claimed[i];
    IF r_risk[i] IS NOT NULL THEN eval_ids[i] := gen_random_uuid(); END IF;
    SELECT * INTO src FROM wallet_resolve_party(r_from[i], r_cur[i]);
    from_ids[i] := src.wallet_id;
    -- A blocked transfer is refused before anything about the recipient is looked at, and the
    -- answer names no rule.
    IF r_decision[i] = 'BLOCK' THEN
      results[i] := wallet_refusal('TRANSFER_DECLINED', NULL);
      CONTINUE;
    END IF;
    -- Posting a transfer that was held for review: it must still be in review (the caller has
    -- already ended its hold in this database transaction).
    IF r_txid[i] IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_transactions WHERE id = r_txid[i] AND status = 'IN_REVIEW') THEN
      RAISE EXCEPTION 'transaction % is not in review', r_txid[i];
    END IF;
    IF r_amount[i] !~ '^[0-9]{1,18}$' OR r_amount[i]::bigint <= 0 THEN
      results[i] := wallet_refusal('INVALID_AMOUNT', 'amount');
      CONTINUE;
    ELSIF length(r_note[i]) > 280 THEN
      results[i] := wallet_refusal('INVALID_INPUT', 'note');
      CONTINUE;
    END IF;
    SELECT * INTO dst FROM wallet_resolve_party(r_to[i], r_cur[i]);
    results[i] := wallet_refusal_of_parties(src.problem, dst.problem, src.wallet_id = dst.wallet_id, r_cur[i]);
    IF results[i] IS NULL THEN to_ids[i] := dst.wallet_id; END IF;
  END LOOP;

  -- 3. Lock every wallet involved, once, in id order (no deadlocks), and load it.
  SELECT array_agg(w.id ORDER BY w.id), array_agg(w.posted_balance ORDER BY w.id), array_agg(w.held_amount ORDER BY w.id),
         array_agg(w.sequence ORDER BY w.id), array_agg(w.status::text ORDER BY w.id), array_agg(w.kind::text ORDER BY w.id),
         array_agg(w.user_id ORDER BY w.id), array_agg(coalesce(u.display_name, m.name, w.system_code) ORDER BY w.id),
         array_agg(w.created_at ORDER BY w.id), array_agg(false ORDER BY w.id),
         array_agg(coalesce(u.kyc_tier::text, 'SYSTEM') ORDER BY w.id),
         array_agg(CASE WHEN w.usage_day = today THEN w.sent_day ELSE 0 END ORDER BY w.id),
         array_agg(CASE WHEN w.usage_month = this_month THEN w.sent_month ELSE 0 END ORDER BY w.id),
         array_agg(wallet_sends_in_window(w.sends_minute_bucket, w.sends_this_minute, w.sends_last_minute, 60, now()) ORDER BY w.id),
         array_agg(wallet_sends_in_window(w.sends_hour_bucket, w.sends_this_hour, w.sends_last_hour, 3600, now()) ORDER BY w.id),
         array_agg(0 ORDER BY w.id)
  INTO w_id, w_bal, w_held, w_seq, w_status, w_kind, w_user, w_name, w_created, w_changed, w_tier, w_sent_day, w_sent_month,
       w_sends_min, w_sends_hour, w_sends
  FROM (SELECT * FROM wallets WHERE id = ANY (array_cat(from_ids, to_ids)) ORDER BY id FOR UPDATE) w
  LEFT JOIN users u ON u.id = w.user_id
  LEFT JOIN merchants m ON m.id = w.merchant_id;

  SELECT jsonb_object_agg(l.tier::text || ':' || l.currency, to_jsonb(l) || jsonb_build_object('exponent', c.exponent))
  INTO lims FROM tier_limits l JOIN currencies c ON c.code = l.currency;

  -- 3b. Count every assessed send against its sender's velocity, in request order, refused ones
  --     included (an attempt is an attempt). The counts are exact here, under the wallet's lock;
  --     the rules saw them as read before it. Where that difference moves a count across a
  --     velocity threshold (another call sent from the wallet in between), the verdict is stale:
  --     the send is answered RISK_FACTS_STALE, its key not written, and the server assesses it again.
  FOR i IN 1..n LOOP
    CONTINUE WHEN NOT claimed[i] OR r_risk[i] IS NULL OR from_ids[i] IS NULL;
    a := array_position(w_id, from_ids[i]);
    IF ((w_sends_min[a] + 1 > r_per_min[i]) <> (r_seen_min[i] > r_per_min[i])
        OR (w_sends_hour[a] + 1 > r_per_hour[i]) <> (r_seen_hour[i] > r_per_hour[i])) THEN
      results[i] := jsonb_build_object('ok', false, 'code', 'RISK_FACTS_STALE');
      claimed[i] := false; eval_ids[i] := NULL;
      CONTINUE;
    END IF;
    w_sends_min[a] := w_sends_min[a] + 1; w_sends_hour[a] := w_sends_hour[a] + 1;
    w_sends[a] := w_sends[a] + 1; w_changed[a] := true;
  END LOOP;

  -- 4. Apply each transfer in request order on the loaded balances; a refusal affects only itself.
  FOR i IN 1..n LOOP
    CONTINUE WHEN NOT claimed[i] OR results[i] IS NOT NULL;
    a := array_position(w_id, from_ids[i]);
    b := array_position(w_id, to_ids[i]);
    amt := r_amount[i]::bigint;
    -- Frozen wallets, funds, then limits for the requests that ask for them (the sender's, then the
    -- recipient's balance cap), on the balances and counters as this call has left them.
    results[i] := wallet_refusal_of_movement(r_cur[i], amt, r_limited[i], today, this_month,
      w_status[a], w_kind[a], w_bal[a] - w_held[a], w_tier[a], lims -> (w_tier[a] || ':' || r_cur[i]), w_sent_day[a], w_sent_month[a],
      w_status[b], w_kind[b], w_bal[b], w_tier[b], lims -> (w_tier[b] || ':' || r_cur[i]));
    CONTINUE WHEN results[i] IS NOT NULL;
    -- A limited send that takes the sender across 80 % of a send limit tells them (once per limit).
    IF r_limited[i] THEN
      FOR near IN SELECT jsonb_array_elements(wallet_limit_notices(lims -> (w_tier[a] || ':' || r_cur[i]), w_sent_day[a], w_sent_month[a], amt)) LOOP
        n_user := n_user || w_user[a]; n_kind := n_kind || 'LIMIT_NEARLY_REACHED'::text;
        n_data := n_data || (near || jsonb_build_object('walletId', w_id[a], 'currency', r_cur[i]));
      END LOOP;
    END IF;
    IF r_decision[i] = 'REVIEW' THEN
      -- Held for review: the money is reserved on the sender's wallet (available drops), a
      -- transaction IN_REVIEW without entries records what was asked, and nothing is posted
      -- until an admin approves. It counts against the sender's limits now.
      IF r_limited[i] THEN
        w_sent_day[a] := w_sent_day[a] + amt;
        w_sent_month[a] := w_sent_month[a] + amt;
      END IF;
      tx := gen_random_uuid();
      at := clock_timestamp();
      tx_ids[i] := tx;
      w_held[a] := w_held[a] + amt; w_changed[a] := true;
      t_id := t_id || tx; t_type := t_type || r_type[i]; t_cur := t_cur || r_cur[i]; t_amt := t_amt || amt;
      t_from := t_from || w_id[a]; t_to := t_to || w_id[b]; t_init := t_init || r_init[i]; t_key := t_key || r_key[i];
      t_note := t_note || r_note[i]; t_meta := t_meta || r_meta[i]; t_at := t_at || at; t_status := t_status || 'IN_REVIEW'::text;
      h_tx := h_tx || tx; h_wallet := h_wallet || w_id[a]; h_amt := h_amt || amt; h_user := h_user || r_user[i]; h_eval := h_eval || eval_ids[i];
      o_topic := o_topic || format('user.%s.transactions', w_user[a]);
      o_payload := o_payload || jsonb_build_object('transactionId', tx, 'walletId', w_id[a], 'status', 'IN_REVIEW');
      n_user := n_user || w_user[a]; n_kind := n_kind || 'SEND_HELD_FOR_REVIEW'::text;
      n_data := n_data || jsonb_build_object('transactionId', tx, 'walletId', w_id[a], 'amount', amt::text, 'currency', r_cur[i],
        'counterparty', w_name[b]);
      results[i] := jsonb_build_object(
        'ok', true, 'status', 'IN_REVIEW', 'transactionId', tx, 'type', r_type[i], 'currency', r_cur[i], 'amount', amt::text,
        'note', r_note[i], 'createdAt', at,
        'from', jsonb_build_object('walletId', w_id[a], 'userId', w_user[a], 'kind', w_kind[a], 'name', w_name[a],
          'balanceAfter', w_bal[a]::text, 'held', w_held[a]::text, 'sequence', w_seq[a]::text, 'status', w_status[a],
          'walletCreatedAt', w_created[a]),
        'to', jsonb_build_object('walletId', w_id[b], 'userId', w_user[b], 'kind', w_kind[b], 'name', w_name[b],
          'balanceAfter', w_bal[b]::text, 'held', w_held[b]::text, 'sequence', w_seq[b]::text, 'status', w_status[b],
          'walletCreatedAt', w_created[b]));
    ELSE
      IF r_limited[i] THEN
        w_sent_day[a] := w_sent_day[a] + amt;
        w_sent_month[a] := w_sent_month[a] + amt;
      END IF;
      tx := coalesce(r_txid[i], gen_random_uuid());
      at := clock_timestamp();
      tx_ids[i] := tx;
      w_bal[a] := w_bal[a] - amt; w_seq[a] := w_seq[a] + 1; w_changed[a] := true;
      w_bal[b] := w_bal[b] + amt; w_seq[b] := w_seq[b] + 1; w_changed[b] := true;
      t_id := t_id || tx; t_type := t_type || r_type[i]; t_cur := t_cur || r_cur[i]; t_amt := t_amt || amt;
      t_from := t_from || w_id[a]; t_to := t_to || w_id[b]; t_init := t_init || r_init[i]; t_key := t_key || r_key[i];
      t_note := t_note || r_note[i]; t_meta := t_meta || r_meta[i]; t_at := t_at || at;
      t_status := t_status || 'POSTED'::text;
      e_tx := e_tx || ARRAY[tx, tx]; e_wallet := e_wallet || ARRAY[w_id[a], w_id[b]]; e_cur := e_cur || ARRAY[r_cur[i], r_cur[i]];
      e_amt := e_amt || ARRAY[-amt, amt]; e_bal := e_bal || ARRAY[w_bal[a], w_bal[b]]; e_seq := e_seq || ARRAY[w_seq[a], w_seq[b]];
      e_at := e_at || ARRAY[at, at];
      IF w_kind[a] = 'USER' AND r_type[i] IN ('P2P_TRANSFER', 'PAYMENT') THEN
        s_wallet := s_wallet || w_id[a]; s_amt := s_amt || amt;
      END IF;
      -- Money from another user: the recipient is told (a move between one's own wallets is not news).
      IF r_type[i] = 'P2P_TRANSFER' AND w_kind[b] = 'USER' AND w_user[b] IS DISTINCT FROM w_user[a] THEN
        n_user := n_user || w_user[b]; n_kind := n_kind || 'MONEY_RECEIVED'::text;
        n_data := n_data || jsonb_build_object('transactionId', tx, 'walletId', w_id[b], 'amount', amt::text, 'currency', r_cur[i],
          'counterparty', w_name[a], 'note', r_note[i]);
      END IF;
      -- Each transfer names its user sides; the server fans the call's event out to the wallet and
      -- user topics (src/services/events/ledgerEvents.ts). System wallets have no subscribers.
      IF w_kind[a] = 'USER' OR w_kind[b] = 'USER' THEN
        posted := posted || jsonb_build_object('transactionId', tx, 'status', 'POSTED', 'currency', r_cur[i], 'sides',
          (CASE WHEN w_kind[a] = 'USER' THEN jsonb_build_array(jsonb_build_object('walletId', w_id[a], 'userId', w_user[a],
             'sequence', w_seq[a], 'postedBalance', w_bal[a]::text, 'heldAmount', w_held[a]::text)) ELSE '[]'::jsonb END)
          || (CASE WHEN w_kind[b] = 'USER' THEN jsonb_build_array(jsonb_build_object('walletId', w_id[b], 'userId', w_user[b],
             'sequence', w_seq[b], 'postedBalance', w_bal[b]::text, 'heldAmount', w_held[b]::text)) ELSE '[]'::jsonb END));
      END IF;
      results[i] := jsonb_build_object(
        'ok', true, 'status', 'POSTED', 'transactionId', tx, 'type', r_type[i], 'currency', r_cur[i], 'amount', amt::text,
        'note', r_note[i], 'createdAt', at,
        'from', jsonb_build_object('walletId', w_id[a], 'userId', w_user[a], 'kind', w_kind[a], 'name', w_name[a],
          'balanceAfter', w_bal[a]::text, 'held', w_held[a]::text, 'sequence', w_seq[a]::text, 'status', w_status[a],
          'walletCreatedAt', w_created[a]),
        'to', jsonb_build_object('walletId', w_id[b], 'userId', w_user[b], 'kind', w_kind[b], 'name', w_name[b],
          'balanceAfter', w_bal[b]::text, 'held', w_held[b]::text, 'sequence', w_seq[b]::text, 'status', w_status[b],
          'walletCreatedAt', w_created[b]));
    END IF;
  END LOOP;

  -- 5. Write everything at once.
  INSERT INTO ledger_transactions (id, type, status, currency, amount, from_wallet_id, to_wallet_id, initiated_by,
                                   idempotency_key, note, metadata, created_at, updated_at)
  SELECT x.id, x.type::"TransactionType", x.status::"TransactionStatus", x.cur, x.amt, x.src, x.dst, x.init, x.key, x.note, x.meta, x.at, x.at
  FROM unnest(t_id, t_type, t_cur, t_amt, t_from, t_to, t_init, t_key, t_note, t_meta, t_at, t_status)
       AS x (id, type, cur, amt, src, dst, init, key, note, meta, at, status)
  -- An approved review posts the transaction that was held (checked above to be IN_REVIEW).
  ON CONFLICT (id) DO UPDATE SET status = 'POSTED', updated_at = EXCLUDED.updated_at;

  INSERT INTO ledger_entries (transaction_id, wallet_id, currency, amount, balance_after, sequence, created_at)
  SELECT * FROM unnest(e_tx, e_wallet, e_cur, e_amt, e_bal, e_seq, e_at);

  UPDATE wallets w SET posted_balance = v.bal, held_amount = v.held, sequence = v.seq, version = w.version + 1, updated_at = now(),
         added_day = CASE WHEN w.usage_day = today THEN w.added_day ELSE 0 END,
         withdrawn_day = CASE WHEN w.usage_day = today THEN w.withdrawn_day ELSE 0 END,
         usage_day = today, sent_day = v.sent_day, usage_month = this_month, sent_month = v.sent_month,
         -- Velocity buckets roll over as they are written: the current one becomes the previous.
         sends_this_minute = CASE WHEN v.sends = 0 THEN w.sends_this_minute
                                  WHEN w.sends_minute_bucket = minute_bucket THEN w.sends_this_minute + v.sends ELSE v.sends END,
         sends_last_minute = CASE WHEN v.sends = 0 OR w.sends_minute_bucket = minute_bucket THEN w.sends_last_minute
                                  WHEN w.sends_minute_bucket = minute_bucket - 1 THEN w.sends_this_minute ELSE 0 END,
         sends_minute_bucket = CASE WHEN v.sends = 0 THEN w.sends_minute_bucket ELSE minute_bucket END,
         sends_this_hour = CASE WHEN v.sends = 0 THEN w.sends_this_hour
                                WHEN w.sends_hour_bucket = hour_bucket THEN w.sends_this_hour + v.sends ELSE v.sends END,
         sends_last_hour = CASE WHEN v.sends = 0 OR w.sends_hour_bucket = hour_bucket THEN w.sends_last_hour
                                WHEN w.sends_hour_bucket = hour_bucket - 1 THEN w.sends_this_hour ELSE 0 END,
         sends_hour_bucket = CASE WHEN v.sends = 0 THEN w.sends_hour_bucket ELSE hour_bucket END,
         -- The last 50 sends, oldest first.
         recent_sends = CASE WHEN s.amounts IS NULL THEN w.recent_sends
                             ELSE (w.recent_sends || s.amounts)[greatest(1, cardinality(w.recent_sends) + cardinality(s.amounts) - 49):] END
  FROM unnest(w_id, w_bal, w_held, w_seq, w_changed, w_sent_day, w_sent_month, w_sends)
         AS v (id, bal, held, seq, changed, sent_day, sent_month, sends)
       LEFT JOIN (SELECT x.wallet, array_agg(x.amt ORDER BY x.n) AS amounts
                  FROM unnest(s_wallet, s_amt) WITH ORDINALITY AS x (wallet, amt, n) GROUP BY x.wallet) s ON s.wallet = v.id
  WHERE w.id = v.id AND v.changed;

  -- Every risk evaluation is kept with what came of it, so a decision can be explained later.
  INSERT INTO risk_evaluations (id, user_id, operation, idempotency_key, decision, rules, inputs, outcome, transaction_id)
  SELECT v.ev, v.u, v.op, v.key, (v.risk->>'decision')::"RiskDecision", coalesce(v.risk->'rules', '[]'), coalesce(v.risk->'inputs', '{}'),
         CASE WHEN (v.res->>'ok')::boolean THEN v.res->>'status' ELSE v.res->>'code' END, v.tx
  FROM unnest(eval_ids, r_user, r_op, r_key, r_risk, results, tx_ids) AS v (ev, u, op, key, risk, res, tx)
  WHERE v.ev IS NOT NULL;

  IF cardinality(h_tx) > 0 THEN
    WITH held AS (
      INSERT INTO holds (wallet_id, amount, reason, transaction_id)
      SELECT * FROM unnest(h_wallet, h_amt, array_fill('RISK_REVIEW'::text, ARRAY[cardinality(h_tx)]), h_tx)
      RETURNING id, transaction_id)
    INSERT INTO risk_reviews (transaction_id, hold_id, user_id, evaluation_id)
    SELECT v.tx, held.id, v.u, v.ev FROM unnest(h_tx, h_user, h_eval) AS v (tx, u, ev) JOIN held ON held.transaction_id = v.tx;
  END IF;

  -- One row for every posted transfer of the call, in request order (each wallet's in sequence order).
  IF cardinality(posted) > 0 THEN
    o_topic := o_topic || 'ledger.posted'::text;
    o_payload := o_payload || jsonb_build_object('transfers', to_jsonb(posted));
  END IF;

  -- The call's notifications, and one row naming them all for the live feed (notificationAdded)
  -- and the dispatcher that fans them out after commit.
  IF cardinality(n_user) > 0 THEN
    WITH written AS (
      INSERT INTO notifications (user_id, kind, data)
      SELECT x.u, x.k::"NotificationKind", x.d FROM unnest(n_user, n_kind, n_data) AS x (u, k, d)
      RETURNING id, user_id)
    SELECT jsonb_agg(jsonb_build_object('id', w.id, 'userId', w.user_id)) INTO notices FROM written w;
    -- (None written when a trigger skipped them: the benchmark's cost table switches them off so.)
    IF notices IS NOT NULL THEN
      o_topic := o_topic || 'notifications.added'::text;
      o_payload := o_payload || jsonb_build_object('notices', notices);
    END IF;
  END IF;

  WITH written AS (
    INSERT INTO outbox_events (topic, payload)
    SELECT * FROM unnest(o_topic, o_payload)
    RETURNING id, topic, payload)
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'topic', w.topic, 'payload', w.payload) ORDER BY w.id), '[]')
  INTO events FROM written w;

  -- 6. Each new key is written once, with its answer (refusals included: a retry gets the same
  --    answer), in (user, key) order. A key that another transaction wrote since step 1 (a
  --    concurrent duplicate that committed first; this insert waits for it on the primary key)
  --    means this call's work must not stand: it fails as a serialization failure, nothing of it
  --    is kept, and the ledger runs it again, when step 1 finds that key answered.
  WITH inserted AS (
    INSERT INTO idempotency_keys (user_id, key, operation, request_hash, expires_at, response, transaction_id)
    SELECT v.u, v.key, v.op, v.hash, now() + make_interval(hours => v.ttl), v.resp, v.tx
    FROM unnest(r_user, r_key, r_op, r_hash, r_ttl, results, tx_ids, claimed) AS v (u, key, op, hash, ttl, resp, tx, c)
    WHERE v.c
    ORDER BY v.u, v.key
    ON CONFLICT DO NOTHING
    RETURNING 1)
  SELECT count(*) INTO written FROM inserted;
  IF written < cardinality(array_positions(claimed, true)) THEN
    RAISE EXCEPTION 'an idempotency key of this call was answered by a concurrent call; run the call again'
      USING ERRCODE = 'serialization_failure';
  END IF;

  RETURN jsonb_build_object('results', to_jsonb(results), 'events', events);
END $$;
