-- The tamper-evident audit log (issue 18; src/services/audit/auditLog.ts). Rows are appended under
-- the lock of the chain's one head row, so ids have no gaps; each row's hash is an HMAC-SHA256,
-- computed by the server with a key the database never holds, over the previous row's hash and
-- the row. The server may insert and read events and move the head; nobody changes an event.
CREATE TABLE "audit_events" (
    "id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actor_id" UUID,
    "subject_id" UUID,
    "ip" TEXT,
    "details" JSONB NOT NULL,
    "prev_hash" BYTEA NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");
CREATE INDEX "audit_events_kind_id_idx" ON "audit_events"("kind", "id");
CREATE INDEX "audit_events_actor_id_id_idx" ON "audit_events"("actor_id", "id");
CREATE INDEX "audit_events_subject_id_id_idx" ON "audit_events"("subject_id", "id");

CREATE TABLE "audit_chain_head" (
    "id" INTEGER NOT NULL,
    "last_id" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id")
);
-- The chain starts from 32 zero bytes.
INSERT INTO "audit_chain_head" ("id", "last_id", "hash") VALUES (1, 0, decode(repeat('00', 32), 'hex'));

REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM wallet_app;
REVOKE INSERT, DELETE, TRUNCATE ON audit_chain_head FROM wallet_app;

-- audit_events_append_only(): refuses any change to an audit event once it is written.
--
-- Invariant: the audit log is append-only. UPDATE and DELETE (each row) and TRUNCATE (the
-- statement) on audit_events raise WL004. Whoever gets past this (a superuser disabling triggers)
-- breaks the HMAC chain, and `npm run audit:verify` names the first row that no longer fits.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'WL004';
END $$;
CREATE OR REPLACE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE OR REPLACE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
