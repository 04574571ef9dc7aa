-- ledger_entries_append_only(): refuses any change to a ledger entry once it is written.
--
-- Invariant: entries are never changed or removed. The triggers below, in this file with the
-- function they run, make UPDATE and DELETE (each row) and TRUNCATE (the statement) on
-- ledger_entries raise WL001. A correction is a new transaction (a reversal), never an edit.
-- CREATE OR REPLACE TRIGGER (PostgreSQL 14+) keeps this file re-runnable as a migration.
CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP USING ERRCODE = 'WL001';
END $$;
CREATE OR REPLACE TRIGGER ledger_entries_no_update_delete BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE OR REPLACE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();
