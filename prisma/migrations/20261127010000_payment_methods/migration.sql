-- The token vault and the payment methods that point into it.
--
-- The vault lives in its own schema and is read and written only by src/services/vault: card
-- numbers (PANs), bank account numbers and identity document numbers, each encrypted with
-- AES-256-GCM under a data key named by key_id (VAULT_KEYS), with the token, kind and key id as
-- additional authenticated data, so a ciphertext moved to another record fails to decrypt.
-- Nothing outside the vault ever sees a plaintext; everything else holds the token.
CREATE SCHEMA vault;

CREATE TABLE vault.secrets (
  token      TEXT PRIMARY KEY CHECK (token ~ '^vt_[A-Za-z0-9_-]{22,}$'),
  kind       TEXT NOT NULL CHECK (kind IN ('PAN', 'BANK_ACCOUNT', 'DOCUMENT')),
  key_id     TEXT NOT NULL,
  iv         BYTEA NOT NULL CHECK (length(iv) = 12),
  ciphertext BYTEA NOT NULL,
  auth_tag   BYTEA NOT NULL CHECK (length(auth_tag) = 16),
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  rotated_at TIMESTAMPTZ(3)
);
-- Rotation walks the records still under an old key.
CREATE INDEX secrets_key_id_idx ON vault.secrets (key_id);

CREATE TYPE "PaymentMethodKind" AS ENUM ('CARD', 'BANK_ACCOUNT');
-- CARD: ACTIVE once the gateway verified it. BANK_ACCOUNT: PENDING_VERIFICATION until the
-- micro-deposits are confirmed (VERIFIED), LOCKED after too many wrong tries. REMOVED is final.
CREATE TYPE "PaymentMethodStatus" AS ENUM ('ACTIVE', 'PENDING_VERIFICATION', 'VERIFIED', 'LOCKED', 'REMOVED');

CREATE TABLE payment_methods (
  id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id               UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind                  "PaymentMethodKind" NOT NULL,
  status                "PaymentMethodStatus" NOT NULL,
  -- Token of the number in vault.secrets, and a keyed HMAC of it (same number ⇒ same fingerprint).
  vault_token           TEXT NOT NULL,
  fingerprint           TEXT NOT NULL,
  last4                 TEXT NOT NULL CHECK (last4 ~ '^[0-9A-Z]{4}$'),
  holder_name           TEXT NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 140),
  -- Cards.
  brand                 TEXT CHECK (brand IN ('VISA', 'MASTERCARD', 'AMEX', 'DISCOVER')),
  exp_month             SMALLINT CHECK (exp_month BETWEEN 1 AND 12),
  exp_year              SMALLINT,
  -- Bank accounts: ACH (US, routing number) or SEPA (IBAN, held only in the vault).
  country               CHAR(2),
  scheme                TEXT CHECK (scheme IN ('ACH', 'SEPA')),
  routing_number        TEXT,
  -- The gateway's reference for this method (its card or bank account id).
  gateway_ref           TEXT,
  -- Wrong micro-deposit guesses so far (3 lock the account).
  verification_attempts SMALLINT NOT NULL DEFAULT 0,
  is_default            BOOLEAN NOT NULL DEFAULT false,
  created_at            TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at            TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  removed_at            TIMESTAMPTZ(3),
  CONSTRAINT payment_methods_card_fields CHECK (
    kind <> 'CARD' OR (brand IS NOT NULL AND exp_month IS NOT NULL AND exp_year IS NOT NULL)),
  CONSTRAINT payment_methods_bank_fields CHECK (
    kind <> 'BANK_ACCOUNT' OR (country IS NOT NULL AND scheme IS NOT NULL))
);
CREATE INDEX payment_methods_user_id_idx ON payment_methods (user_id, created_at);
-- The same card or account added twice by one user is found by fingerprint, without decrypting.
CREATE UNIQUE INDEX payment_methods_user_fingerprint_key ON payment_methods (user_id, kind, fingerprint) WHERE status <> 'REMOVED';
-- At most one default per user.
CREATE UNIQUE INDEX payment_methods_user_default_key ON payment_methods (user_id) WHERE is_default AND status <> 'REMOVED';
