-- statements_append_only(): refuses any change to a monthly statement or a closed month's
-- spending insights once written.
--
-- Invariant: what a statement said stays what it said. A monthly statement covers a closed period
-- of an append-only ledger, so its figures can never need changing; the insights kept for a closed
-- month are the same kind of record. UPDATE and DELETE (each row) and TRUNCATE (the statement) on
-- statements and wallet_month_insights raise WL006. A wrong one would be followed by a new record,
-- never edited.
CREATE OR REPLACE FUNCTION statements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'statements and kept insights are append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'WL006';
END $$;
CREATE OR REPLACE TRIGGER statements_no_update_delete BEFORE UPDATE OR DELETE ON statements
  FOR EACH ROW EXECUTE FUNCTION statements_append_only();
CREATE OR REPLACE TRIGGER statements_no_truncate BEFORE TRUNCATE ON statements
  FOR EACH STATEMENT EXECUTE FUNCTION statements_append_only();
CREATE OR REPLACE TRIGGER wallet_month_insights_no_update_delete BEFORE UPDATE OR DELETE ON wallet_month_insights
  FOR EACH ROW EXECUTE FUNCTION statements_append_only();
CREATE OR REPLACE TRIGGER wallet_month_insights_no_truncate BEFORE TRUNCATE ON wallet_month_insights
  FOR EACH STATEMENT EXECUTE FUNCTION statements_append_only();
