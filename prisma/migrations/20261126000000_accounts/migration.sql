-- Accounts: users, sessions (refresh-token families) and refresh tokens.

CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

CREATE TABLE users (
  id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  email               TEXT NOT NULL,
  password_hash       TEXT NOT NULL,
  display_name        TEXT NOT NULL,
  phone               TEXT,
  roles               "Role"[] NOT NULL DEFAULT ARRAY['USER']::"Role"[],
  password_changed_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  created_at          TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at          TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- Emails are stored normalised; the check keeps any code path from storing another form.
  CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
  CONSTRAINT users_phone_e164 CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{6,14}$'),
  CONSTRAINT users_roles_not_empty CHECK (cardinality(roles) > 0)
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE UNIQUE INDEX users_phone_key ON users (phone);

CREATE TABLE sessions (
  id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  user_agent     TEXT,
  ip             TEXT,
  created_at     TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  last_used_at   TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  expires_at     TIMESTAMPTZ(3) NOT NULL,
  revoked_at     TIMESTAMPTZ(3),
  revoked_reason TEXT
);
CREATE INDEX sessions_user_id_created_at_id_idx ON sessions (user_id, created_at DESC, id DESC);

CREATE TABLE refresh_tokens (
  id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE ON UPDATE CASCADE,
  token_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ(3) NOT NULL,
  used_at    TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);
