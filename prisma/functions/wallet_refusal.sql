-- wallet_refusal(code, message, field): the JSON of a refused transfer,
-- {"ok": false, "code", "message", "field"}, as wallet_post_transfers answers (and stores with
-- the idempotency key). Enforces nothing itself: it keeps every refusal the same shape.
CREATE OR REPLACE FUNCTION wallet_refusal(code TEXT, message TEXT, field TEXT DEFAULT NULL) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('ok', false, 'code', code, 'message', message, 'field', field)
$$;
