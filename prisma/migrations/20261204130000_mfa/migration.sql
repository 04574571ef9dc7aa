-- TOTP MFA and step-up (issue 18; src/services/auth/mfa.ts). A user's TOTP secret is in the vault
-- (kind TOTP); here only its token, whether it is confirmed, and the last time step a code was
-- accepted for, so a code is never accepted twice. Recovery codes are kept as keyed hashes, each
-- usable once. A session records when its second factor was last proven, for step-up.
-- The server's role gets these tables through the default privileges (20261204010000).

ALTER TABLE vault.secrets DROP CONSTRAINT secrets_kind_check;
ALTER TABLE vault.secrets ADD CONSTRAINT secrets_kind_check CHECK (kind IN ('PAN', 'BANK_ACCOUNT', 'DOCUMENT', 'WEBHOOK_SECRET', 'TOTP'));

CREATE TABLE user_mfa (
  user_id        UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  vault_token    TEXT NOT NULL,
  -- Null while enrolled but not confirmed with a first code.
  enabled_at     TIMESTAMPTZ(3),
  -- The RFC 6238 time step (unix time / 30) of the last code accepted; codes of this step or earlier are refused.
  last_used_step BIGINT,
  created_at     TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

CREATE TABLE mfa_recovery_codes (
  id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  -- HMAC-SHA256 of the user id and the code, under a key the database never holds.
  code_hash  TEXT NOT NULL,
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  used_at    TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX mfa_recovery_codes_code_hash_key ON mfa_recovery_codes (code_hash);
CREATE INDEX mfa_recovery_codes_user_id_idx ON mfa_recovery_codes (user_id);

ALTER TABLE sessions ADD COLUMN second_factor_at TIMESTAMPTZ(3);
