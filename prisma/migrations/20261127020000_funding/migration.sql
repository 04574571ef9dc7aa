-- Deposits (and, next, withdrawals) through outside processors, the webhook events that move
-- them, and what a user owes after a chargeback their balance could not cover.

-- Money a user owes the platform: a chargeback or return larger than their balance is advanced
-- from this wallet (it goes negative by the amount owed) and repaid from their next deposits.
INSERT INTO wallets (kind, system_code, currency) SELECT 'SYSTEM', 'RECOVERY', code FROM currencies;

CREATE TYPE "FundingKind" AS ENUM ('DEPOSIT', 'WITHDRAWAL');
-- PENDING → SUCCEEDED (money posted) or FAILED (nothing moved); SUCCEEDED → REVERSED (a linked
-- reversal posted after a chargeback or return). No other transition exists.
CREATE TYPE "FundingStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'REVERSED');

CREATE TABLE funding_operations (
  id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                 UUID NOT NULL REFERENCES users (id),
  wallet_id               UUID NOT NULL,
  currency                CHAR(3) NOT NULL,
  kind                    "FundingKind" NOT NULL,
  payment_method_id       UUID NOT NULL REFERENCES payment_methods (id),
  -- 'card' or 'bank': which processor, and which webhook endpoint, handles it.
  provider                TEXT NOT NULL CHECK (provider IN ('card', 'bank')),
  amount                  BIGINT NOT NULL CHECK (amount > 0),
  fee                     BIGINT NOT NULL DEFAULT 0 CHECK (fee >= 0 AND fee < amount),
  status                  "FundingStatus" NOT NULL DEFAULT 'PENDING',
  -- The processor's id for the charge or transfer, once it accepted it.
  provider_ref            TEXT,
  idempotency_key         TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  request_hash            TEXT NOT NULL,
  transaction_id          UUID REFERENCES ledger_transactions (id),
  reversal_transaction_id UUID REFERENCES ledger_transactions (id),
  failure_code            TEXT,
  failure_message         TEXT,
  created_at              TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at              TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT funding_operations_wallet_currency_fkey FOREIGN KEY (wallet_id, currency) REFERENCES wallets (id, currency),
  CONSTRAINT funding_operations_user_key UNIQUE (user_id, idempotency_key),
  CONSTRAINT funding_operations_posted CHECK (status NOT IN ('SUCCEEDED', 'REVERSED') OR transaction_id IS NOT NULL),
  CONSTRAINT funding_operations_reversed CHECK (status <> 'REVERSED' OR reversal_transaction_id IS NOT NULL)
);
CREATE UNIQUE INDEX funding_operations_provider_ref_key ON funding_operations (provider, provider_ref);
CREATE INDEX funding_operations_user_id_idx ON funding_operations (user_id, created_at);
-- Reconciliation looks for operations still pending.
CREATE INDEX funding_operations_pending_idx ON funding_operations (created_at) WHERE status = 'PENDING';

-- Every webhook event received, once: a replay finds its row and changes nothing.
CREATE TABLE webhook_events (
  provider    TEXT NOT NULL,
  event_id    TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
  type        TEXT NOT NULL,
  payload     JSONB NOT NULL,
  -- APPLIED: it moved an operation on; IGNORED: not a legal step from where the operation was
  -- (a late "pending", a second outcome); UNMATCHED: no operation has that reference (kept for
  -- reconciliation).
  outcome     TEXT NOT NULL CHECK (outcome IN ('APPLIED', 'IGNORED', 'UNMATCHED')),
  funding_operation_id UUID REFERENCES funding_operations (id),
  received_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);

-- What a user owes after a reversal their balance could not cover, and how much is still open.
CREATE TABLE user_debts (
  id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id              UUID NOT NULL REFERENCES users (id),
  currency             CHAR(3) NOT NULL REFERENCES currencies (code),
  amount               BIGINT NOT NULL CHECK (amount > 0),
  outstanding          BIGINT NOT NULL CHECK (outstanding >= 0 AND outstanding <= amount),
  reason               TEXT NOT NULL,
  funding_operation_id UUID REFERENCES funding_operations (id),
  -- The advance from the RECOVERY wallet that covered the shortfall.
  transaction_id       UUID NOT NULL REFERENCES ledger_transactions (id),
  created_at           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX user_debts_open_idx ON user_debts (user_id, currency) WHERE outstanding > 0;
