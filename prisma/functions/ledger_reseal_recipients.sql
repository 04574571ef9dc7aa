-- ledger_reseal_recipients(ids, old_values, new_values): replaces metadata.recipient (what a sender
-- typed: an email or a phone) of the given transactions with its sealed form, for
-- `npm run vault:rotate` (src/services/history/sentRecipients.ts): a recipient kept in the clear
-- (a JSON object, before decision 63) is sealed, one sealed under an older key is re-encrypted.
-- Each row changes only while its recipient is still exactly old_values[i] (a concurrent run or an
-- erasure that removed it wins), and only to a sealed value ("sv1.…" string). Nothing else of the
-- row changes: not the money, not updated_at. Returns how many rows changed.
-- Runs as the table's owner (SECURITY DEFINER): the server's role may not write ledger_transactions
-- itself (prisma/migrations/*_application_role, decision 42).
CREATE OR REPLACE FUNCTION ledger_reseal_recipients(ids UUID[], old_values JSONB[], new_values TEXT[]) RETURNS INT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  changed INT;
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(new_values) v WHERE v IS NULL OR v NOT LIKE 'sv1.%') THEN
    RAISE EXCEPTION 'ledger_reseal_recipients: only sealed values (sv1.…) may replace a recipient' USING ERRCODE = 'P0001';
  END IF;
  UPDATE ledger_transactions t SET metadata = jsonb_set(t.metadata, '{recipient}', to_jsonb(u.new_value))
  FROM unnest(ids, old_values, new_values) AS u (id, old_value, new_value)
  WHERE t.id = u.id AND t.metadata->'recipient' = u.old_value;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END $$;
