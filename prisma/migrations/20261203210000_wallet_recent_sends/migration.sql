-- The amounts of each wallet's last 50 posted sends (P2P transfers and merchant payments), oldest
-- first, kept by the posting function under the wallet's lock: the risk rules' amount-vs-history
-- facts then read one array on the wallet row instead of scanning the wallet's entries and their
-- transactions on every send. Filled here from the ledger for the wallets that exist.
ALTER TABLE "wallets" ADD COLUMN "recent_sends" BIGINT[] NOT NULL DEFAULT '{}';

UPDATE "wallets" w SET "recent_sends" = s.amounts
FROM (
  SELECT last.wallet_id, array_agg(last.amount ORDER BY last.sequence) AS amounts
  FROM (
    SELECT e.wallet_id, -e.amount AS amount, e.sequence,
           row_number() OVER (PARTITION BY e.wallet_id ORDER BY e.sequence DESC) AS n
    FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
    WHERE e.amount < 0 AND t.type IN ('P2P_TRANSFER', 'PAYMENT')
  ) last
  WHERE last.n <= 50
  GROUP BY last.wallet_id
) s
WHERE w.id = s.wallet_id AND w.kind = 'USER';
