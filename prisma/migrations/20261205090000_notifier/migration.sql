-- The notifier, verified contacts, one-time codes and new-device notices (issue 18, part 3;
-- src/services/notifications/, src/services/auth/). The server's role gets the new tables through
-- the default privileges (20261204010000); the new columns of users are granted below.

-- Messages to send (email, SMS), written in the transaction of what they report and delivered
-- after commit by the notifier's loop. The recipient, subject, text and code are in `envelope`,
-- encrypted (AES-256-GCM) under a key the database never holds, and erased once the message is
-- sent or given up: the table keeps who, what kind, when and how it went, never what it said.
CREATE TYPE "NotificationChannel" AS ENUM ('EMAIL', 'SMS');
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');
CREATE TABLE notification_messages (
  id              UUID PRIMARY KEY,
  user_id         UUID REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  channel         "NotificationChannel" NOT NULL,
  -- The template: email_verification, step_up_code, password_reset, new_device_sign_in, ...
  kind            TEXT NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,63}$'),
  envelope        BYTEA,
  status          "NotificationStatus" NOT NULL DEFAULT 'PENDING',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- Not delivered by then: given up (a code's message is worthless once the code expired).
  give_up_at      TIMESTAMPTZ(3) NOT NULL,
  last_error      TEXT,
  provider_ref    TEXT,
  sent_at         TIMESTAMPTZ(3),
  created_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT notification_messages_envelope_while_pending CHECK (status <> 'PENDING' OR envelope IS NOT NULL)
);
CREATE INDEX notification_messages_due_idx ON notification_messages (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_messages_user_idx ON notification_messages (user_id, created_at);

-- One-time codes and links: email and phone verification, step-up by code, password reset. Only a
-- keyed hash of each (HMAC-SHA256, key derived from VAULT_FINGERPRINT_KEY) and of the address it
-- was sent to. At most one per user and purpose: issuing a new one deletes the older.
CREATE TYPE "OneTimeCodePurpose" AS ENUM ('EMAIL_VERIFICATION', 'PHONE_VERIFICATION', 'STEP_UP', 'PASSWORD_RESET');
CREATE TABLE one_time_codes (
  id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  purpose     "OneTimeCodePurpose" NOT NULL,
  code_hash   TEXT NOT NULL,
  -- The address it went to (keyed hash): a code for an address the account no longer has is void.
  target_hash TEXT NOT NULL,
  -- Step-up codes count only on the session that asked for them.
  session_id  UUID REFERENCES sessions (id) ON DELETE CASCADE ON UPDATE CASCADE,
  -- Wrong guesses against this code; at the limit it is used up.
  attempts    INTEGER NOT NULL DEFAULT 0,
  created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  expires_at  TIMESTAMPTZ(3) NOT NULL,
  used_at     TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX one_time_codes_code_hash_key ON one_time_codes (code_hash);
CREATE UNIQUE INDEX one_time_codes_user_purpose_key ON one_time_codes (user_id, purpose);

-- Verified contacts. A change of the address clears its verification (the trigger below).
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ(3);
ALTER TABLE users ADD COLUMN phone_verified_at TIMESTAMPTZ(3);
ALTER TABLE users ADD CONSTRAINT users_phone_verified_needs_phone CHECK (phone_verified_at IS NULL OR phone IS NOT NULL);
GRANT UPDATE (email_verified_at, phone_verified_at) ON users TO wallet_app;

-- The device a session signed in from (a keyed hash of its X-Device-Id, or of its user agent and
-- network): a sign-in from a key the user has never had sends a new-device notice.
ALTER TABLE sessions ADD COLUMN device_key TEXT;
CREATE INDEX sessions_user_device_key_idx ON sessions (user_id, device_key);

-- What the sandbox email and SMS providers received (docs/sandbox.md): every attempt, accepted or
-- refused by a test value, readable in development at GET /sandbox/messages.
CREATE TABLE sandbox.messages (
  id          BIGSERIAL PRIMARY KEY,
  -- Our message id: the provider's idempotency key.
  message_id  UUID NOT NULL,
  channel     TEXT NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
  recipient   TEXT NOT NULL,
  subject     TEXT,
  text        TEXT NOT NULL,
  code        TEXT,
  accepted    BOOLEAN NOT NULL,
  received_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX messages_recipient_idx ON sandbox.messages (recipient, id);
CREATE INDEX messages_message_id_idx ON sandbox.messages (message_id);

-- users_contact_unverified_on_change(): a changed email or phone is not verified any more.
--
-- Invariant: users.email_verified_at is set only while the email is the one that was verified, and
-- phone_verified_at likewise for the phone. An UPDATE that changes the email (or the phone) clears
-- its verification, whoever makes it: changeEmail, updateProfile, an erasure, an operator's SQL.
CREATE OR REPLACE FUNCTION users_contact_unverified_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.email IS DISTINCT FROM OLD.email THEN
    NEW.email_verified_at := NULL;
  END IF;
  IF NEW.phone IS DISTINCT FROM OLD.phone THEN
    NEW.phone_verified_at := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER users_contact_unverified_on_change BEFORE UPDATE OF email, phone ON users
  FOR EACH ROW EXECUTE FUNCTION users_contact_unverified_on_change();
