-- ledger_rows_kept(): refuses removing a row the ledger points at, or changing what identifies it.
--
-- Invariant: every ledger entry's transaction and wallet, and every transaction's wallets, exist
-- and keep their id and currency. The posting function guarantees it for what it writes (it writes
-- entries only for wallets it holds locked and transactions it has just written), and the server's
-- role may neither write those rows nor delete or re-key wallets and transactions (decision 42);
-- these triggers make it hold for every other user too, as the foreign keys they replace did:
-- DELETE (each row), TRUNCATE (the statement) and UPDATE of the key columns on ledger_transactions
-- and wallets raise WL003. A wallet is closed, never deleted; a transaction is reversed.
-- None of them fires on the posting path (it inserts transactions and updates balances only).
CREATE OR REPLACE FUNCTION ledger_rows_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger points at % rows: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'WL003';
END $$;
CREATE OR REPLACE TRIGGER ledger_transactions_kept BEFORE DELETE OR UPDATE OF id, currency, amount, from_wallet_id, to_wallet_id
  ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION ledger_rows_kept();
CREATE OR REPLACE TRIGGER ledger_transactions_not_truncated BEFORE TRUNCATE ON ledger_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rows_kept();
CREATE OR REPLACE TRIGGER wallets_kept BEFORE DELETE OR UPDATE OF id, currency ON wallets
  FOR EACH ROW EXECUTE FUNCTION ledger_rows_kept();
CREATE OR REPLACE TRIGGER wallets_not_truncated BEFORE TRUNCATE ON wallets
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_rows_kept();
