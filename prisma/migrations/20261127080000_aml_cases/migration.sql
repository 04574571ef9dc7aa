-- AML cases: what the compliance team must look at. Sanctions screening (names at sign-up, KYC and
-- payout against the sanctions list) opens them now; the transaction-pattern checks (structuring,
-- rapid in-and-out, fan-in/fan-out) will too. A sanctions hit freezes the user's wallets until an
-- admin decides. One open case per user and kind.
CREATE TYPE "AmlCaseKind" AS ENUM ('SANCTIONS', 'STRUCTURING', 'RAPID_IN_OUT', 'FAN_IN', 'FAN_OUT');
CREATE TYPE "AmlCaseStatus" AS ENUM ('OPEN', 'CLEARED', 'CONFIRMED');

CREATE TABLE aml_cases (
  id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     UUID NOT NULL REFERENCES users (id),
  kind        "AmlCaseKind" NOT NULL,
  status      "AmlCaseStatus" NOT NULL DEFAULT 'OPEN',
  -- What was found (e.g. the name screened, the list entry, the score, where it was screened).
  details     JSONB NOT NULL,
  decided_by  UUID REFERENCES users (id),
  reason      TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 3 AND 500),
  decided_at  TIMESTAMPTZ(3),
  created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT aml_cases_decided CHECK ((status = 'OPEN') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX aml_cases_open_key ON aml_cases (user_id, kind) WHERE status = 'OPEN';
CREATE INDEX aml_cases_status_idx ON aml_cases (status, created_at, id);

-- The transactions a case is about (none for a sanctions hit on a name).
CREATE TABLE aml_case_transactions (
  case_id        UUID NOT NULL REFERENCES aml_cases (id),
  transaction_id UUID NOT NULL REFERENCES ledger_transactions (id),
  PRIMARY KEY (case_id, transaction_id)
);
