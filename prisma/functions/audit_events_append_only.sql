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
