-- The server's role, wallet_app (decision 42). The server acts as it on every connection (SET ROLE
-- at connection start, src/db/database.ts); it neither owns a table nor is a superuser. It may read
-- everything and write what the services write, but not the ledger's own rows: ledger_transactions,
-- ledger_entries, risk_evaluations and new idempotency keys are written only by the posting
-- function, which runs as the tables' owner (SECURITY DEFINER). Rows that other rows point at
-- without a foreign key (wallets, users, currencies, ledger_transactions) are never deleted and
-- their keys never change, so the foreign keys that the posting function's own locking already
-- guarantees are dropped below: 9 of the 12 referential checks a transfer paid for.

-- Roles belong to the cluster, not the database: another database may have made it already.
DO $$ BEGIN
  CREATE ROLE wallet_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
-- SET ROLE needs membership (a superuser has it anyway; an owner that is not one needs this).
DO $$ BEGIN
  EXECUTE format('GRANT wallet_app TO %I', current_user);
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

GRANT USAGE ON SCHEMA public, vault, sandbox TO wallet_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, vault, sandbox TO wallet_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, vault, sandbox TO wallet_app;
-- Tables and sequences that later migrations create are the server's to use too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public, vault, sandbox GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO wallet_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public, vault, sandbox GRANT USAGE, SELECT ON SEQUENCES TO wallet_app;

-- The migrator's bookkeeping is not the server's.
REVOKE INSERT, UPDATE, DELETE ON _prisma_migrations FROM wallet_app;

-- Written only by the posting function.
REVOKE INSERT, UPDATE, DELETE ON ledger_entries, ledger_transactions, risk_evaluations FROM wallet_app;
-- A reversal links to what it reverses, and a review ends declined: the ledger module's two edits
-- of a transaction (src/services/ledger/ledgerTransaction.ts). Its wallets, amount and currency stay.
GRANT UPDATE (status, reverses_id, updated_at) ON ledger_transactions TO wallet_app;
-- Keys are written with their answers by the posting function; the outbox job deletes expired ones.
REVOKE INSERT, UPDATE ON idempotency_keys FROM wallet_app;

-- Never deleted, keys never changed: every column but the key may be updated.
REVOKE DELETE, UPDATE ON wallets, users, currencies FROM wallet_app;
DO $$
DECLARE t RECORD;
BEGIN
  FOR t IN SELECT table_name, string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS columns
           FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name IN ('wallets', 'users', 'currencies')
             AND column_name NOT IN ('id', 'currency', 'code')
           GROUP BY table_name LOOP
    EXECUTE format('GRANT UPDATE (%s) ON %I TO wallet_app', t.columns, t.table_name);
  END LOOP;
END $$;

-- Guaranteed by the posting function, which writes these rows only for wallets it has locked FOR
-- UPDATE and transactions it has just written, together with the privileges above. The ledger
-- audit (`npm run ledger:audit`) checks the same references, for whoever bypasses both.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_wallet_currency_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_transaction_id_fkey;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_from_wallet_currency_fkey;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_to_wallet_currency_fkey;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_currency_fkey;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_transaction_id_fkey;
ALTER TABLE risk_evaluations DROP CONSTRAINT risk_evaluations_transaction_id_fkey;
