-- ledger_seals_append_only(): refuses any change to a ledger seal or entry digest once written.
--
-- Invariant: the ledger's integrity proof (src/services/integrity/ledgerSeals.ts) is append-only.
-- UPDATE and DELETE (each row) and TRUNCATE (the statement) on ledger_seals and
-- ledger_entry_digests raise WL005. Whoever gets past this cannot make changed rows fit the seals'
-- HMAC chain: `npm run ledger:verify` names the entry or seal that does not.
CREATE OR REPLACE FUNCTION ledger_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger''s seals are append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'WL005';
END $$;
CREATE OR REPLACE TRIGGER ledger_seals_no_update_delete BEFORE UPDATE OR DELETE ON ledger_seals
  FOR EACH ROW EXECUTE FUNCTION ledger_seals_append_only();
CREATE OR REPLACE TRIGGER ledger_seals_no_truncate BEFORE TRUNCATE ON ledger_seals
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_seals_append_only();
CREATE OR REPLACE TRIGGER ledger_entry_digests_no_update_delete BEFORE UPDATE OR DELETE ON ledger_entry_digests
  FOR EACH ROW EXECUTE FUNCTION ledger_seals_append_only();
CREATE OR REPLACE TRIGGER ledger_entry_digests_no_truncate BEFORE TRUNCATE ON ledger_entry_digests
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_seals_append_only();
