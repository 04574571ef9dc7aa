-- ledger_transaction_balanced(): checks that a ledger transaction's entries sum to zero.
--
-- Invariant: each ledger transaction's entries sum to zero per currency (double entry: money is
-- neither created nor destroyed). It runs as the deferred constraint trigger
-- ledger_entries_balanced, below, once per inserted entry at COMMIT (or at SET CONSTRAINTS ...
-- IMMEDIATE), so the legs of a transaction may be written one by one; an unbalanced transaction
-- fails its commit with WL002 and leaves nothing behind.
-- A constraint trigger cannot be CREATE OR REPLACEd, so this file drops and recreates it; inside
-- the migration's transaction (which locks ledger_entries meanwhile) no one sees it missing.
CREATE OR REPLACE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unbalanced RECORD;
BEGIN
  SELECT currency, sum(amount) AS total INTO unbalanced
  FROM ledger_entries WHERE transaction_id = NEW.transaction_id
  GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries sum to %',
      NEW.transaction_id, unbalanced.currency, unbalanced.total USING ERRCODE = 'WL002';
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS ledger_entries_balanced ON ledger_entries;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();
