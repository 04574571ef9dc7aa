-- Phone numbers encrypted at rest, found through a keyed hash (issue 18, part 7; decision 63;
-- src/services/accounts/phones.ts). users.phone_hash is HMAC-SHA256 of the E.164 number under a key
-- derived from VAULT_FINGERPRINT_KEY (which the database never holds): it is what every lookup
-- (send by phone, PHONE_TAKEN, verification) and the uniqueness use. users.phone_sealed is the
-- number sealed with the vault's newest data key (AES-256-GCM, "sv1.<key id>.<iv|tag|ciphertext>",
-- bound to the user's id), opened by the server from the row it already read and re-encrypted by
-- `npm run vault:rotate`.
--
-- A migration cannot seal (no keys in the database): numbers written before stay in
-- users.legacy_phone (the old column, renamed so that no code reads it as the phone by mistake)
-- until the server's start or `npm run vault:rotate` seals them; lookups find them meanwhile.
ALTER TABLE users RENAME COLUMN phone TO legacy_phone;
ALTER INDEX users_phone_key RENAME TO users_legacy_phone_key;
ALTER TABLE users RENAME CONSTRAINT users_phone_e164 TO users_legacy_phone_e164;
ALTER TABLE users ADD COLUMN phone_hash TEXT;
ALTER TABLE users ADD COLUMN phone_sealed TEXT;
CREATE UNIQUE INDEX users_phone_hash_key ON users (phone_hash);
-- Sealed (hash and sealed number together) or, until sealed, in the clear: never both.
ALTER TABLE users ADD CONSTRAINT users_phone_sealed_check CHECK (
  (phone_hash IS NULL) = (phone_sealed IS NULL)
  AND (phone_hash IS NULL OR legacy_phone IS NULL)
  AND (phone_hash IS NULL OR phone_hash ~ '^[0-9a-f]{64}$')
  AND (phone_sealed IS NULL OR phone_sealed LIKE 'sv1.%'));
ALTER TABLE users DROP CONSTRAINT users_phone_verified_needs_phone;
ALTER TABLE users ADD CONSTRAINT users_phone_verified_needs_phone
  CHECK (phone_verified_at IS NULL OR phone_hash IS NOT NULL OR legacy_phone IS NOT NULL);
-- The server writes the new columns (users' columns are granted one by one: 20261204010000).
GRANT UPDATE (phone_hash, phone_sealed) ON users TO wallet_app;
