-- The ledger's integrity proof (issue 18; src/services/integrity/ledgerSeals.ts). A job seals the
-- entries older than a minute in id order: each entry gets a keyed digest, and each batch a seal,
-- an HMAC chained from the previous seal over the batch's digests, with a key the database never
-- holds. An entry changed, removed or inserted behind the application's back afterwards no longer
-- fits. The server may insert and read both tables; nobody changes them.
CREATE TABLE "ledger_entry_digests" (
    "entry_id" BIGINT NOT NULL,
    "digest" BYTEA NOT NULL,

    CONSTRAINT "ledger_entry_digests_pkey" PRIMARY KEY ("entry_id")
);

CREATE TABLE "ledger_seals" (
    "id" BIGSERIAL NOT NULL,
    "first_entry_id" BIGINT NOT NULL,
    "last_entry_id" BIGINT NOT NULL,
    "entries" INTEGER NOT NULL,
    "prev_hash" BYTEA NOT NULL,
    "hash" BYTEA NOT NULL,
    "sealed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_seals_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ledger_seals_hash_key" ON "ledger_seals"("hash");

REVOKE UPDATE, DELETE, TRUNCATE ON ledger_seals, ledger_entry_digests FROM wallet_app;

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
