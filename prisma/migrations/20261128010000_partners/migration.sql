-- Partners (issue 8): API keys of merchants, the trusted documents each partner client may run,
-- and outgoing webhooks to merchants (signing secrets, the event outbox, the delivery log).

CREATE TABLE api_keys (
  id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id  UUID NOT NULL REFERENCES merchants (id),
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- The visible part of the key ("wk_" and 12 characters): how a key is found, and what is shown.
  prefix       TEXT NOT NULL UNIQUE CHECK (prefix ~ '^wk_[A-Za-z0-9]{12}$'),
  -- SHA-256 (hex) of the whole key. Keys carry 190 random bits, so a fast hash is enough.
  secret_hash  TEXT NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  scopes       TEXT[] NOT NULL CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['payments:read', 'payments:write', 'refunds:write']),
  -- The partner client whose trusted documents this key may run.
  client       TEXT NOT NULL CHECK (client ~ '^[a-z0-9][a-z0-9-]{0,49}$'),
  created_by   UUID NOT NULL REFERENCES users (id),
  created_at   TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ(3),
  revoked_at   TIMESTAMPTZ(3)
);
CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id, created_at);

-- Documents a partner client may run, by the sha256 id codegen's persisted-documents output gives them.
CREATE TABLE trusted_documents (
  client     TEXT NOT NULL CHECK (client ~ '^[a-z0-9][a-z0-9-]{0,49}$'),
  id         TEXT NOT NULL CHECK (id ~ '^[0-9a-f]{64}$'),
  body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (client, id)
);

-- Merchants' webhook signing secrets live in the vault.
ALTER TABLE vault.secrets DROP CONSTRAINT secrets_kind_check;
ALTER TABLE vault.secrets ADD CONSTRAINT secrets_kind_check CHECK (kind IN ('PAN', 'BANK_ACCOUNT', 'DOCUMENT', 'WEBHOOK_SECRET'));

-- A merchant's signing secrets: the newest signs; a rolled one keeps signing too (a second
-- signature) until it expires, so the merchant can switch without losing a delivery.
CREATE TABLE merchant_webhook_secrets (
  id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id UUID NOT NULL REFERENCES merchants (id),
  vault_token TEXT NOT NULL,
  created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  expires_at  TIMESTAMPTZ(3)
);
CREATE INDEX merchant_webhook_secrets_merchant_idx ON merchant_webhook_secrets (merchant_id, created_at);

CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- Events for merchants, written in the transaction of what they describe; the id is the stable
-- event id receivers deduplicate by. Delivered at least once, retried with backoff for 3 days.
CREATE TABLE merchant_webhook_events (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id     UUID NOT NULL REFERENCES merchants (id),
  type            TEXT NOT NULL CHECK (type IN ('payment.succeeded', 'payment.refunded', 'payment_request.expired')),
  payload         JSONB NOT NULL,
  status          "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
  attempts        INT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  last_error      TEXT,
  delivered_at    TIMESTAMPTZ(3),
  created_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX merchant_webhook_events_due_idx ON merchant_webhook_events (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX merchant_webhook_events_merchant_idx ON merchant_webhook_events (merchant_id, created_at, id);

CREATE TABLE merchant_webhook_deliveries (
  id          BIGSERIAL PRIMARY KEY,
  event_id    UUID NOT NULL REFERENCES merchant_webhook_events (id),
  attempt     INT NOT NULL CHECK (attempt >= 1),
  url         TEXT NOT NULL,
  -- The receiver's HTTP status, or NULL when there was none (refused, timed out).
  status_code INT,
  error       TEXT,
  duration_ms INT NOT NULL CHECK (duration_ms >= 0),
  created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX merchant_webhook_deliveries_event_idx ON merchant_webhook_deliveries (event_id, attempt);
