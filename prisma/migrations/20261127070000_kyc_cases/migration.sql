-- KYC cases: a user asks for a higher tier, the KYC provider checks them asynchronously and
-- reports by signed webhook (approve, reject, or refer to manual review), and admins decide the
-- referred ones. Document numbers are in the vault; every decision is kept with who and why.
CREATE TYPE "KycCaseStatus" AS ENUM ('PENDING', 'MANUAL_REVIEW', 'APPROVED', 'REJECTED');

CREATE TABLE kyc_cases (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         UUID NOT NULL REFERENCES users (id),
  level           "KycTier" NOT NULL CHECK (level <> 'TIER_0'),
  status          "KycCaseStatus" NOT NULL DEFAULT 'PENDING',
  legal_name      TEXT NOT NULL CHECK (length(legal_name) BETWEEN 2 AND 140),
  date_of_birth   DATE NOT NULL,
  address         JSONB NOT NULL,
  document_type   TEXT CHECK (document_type IN ('PASSPORT', 'ID_CARD', 'DRIVING_LICENCE')),
  document_country CHAR(2),
  -- The document number is in vault.secrets; only its last characters are kept here.
  document_token  TEXT,
  document_last4  TEXT,
  selfie_ref      TEXT,
  provider_ref    TEXT,
  -- The provider's or the admin's reason for a rejection or a referral.
  reason          TEXT,
  created_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT kyc_cases_document CHECK ((document_type IS NULL) = (document_token IS NULL))
);
CREATE INDEX kyc_cases_user_idx ON kyc_cases (user_id, created_at);
-- One open case per user.
CREATE UNIQUE INDEX kyc_cases_open_key ON kyc_cases (user_id) WHERE status IN ('PENDING', 'MANUAL_REVIEW');
-- The admins' queue.
CREATE INDEX kyc_cases_review_idx ON kyc_cases (created_at, id) WHERE status = 'MANUAL_REVIEW';

-- Every decision on a case: the provider's (decided_by NULL) and the admins'.
CREATE TABLE kyc_decisions (
  id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id     UUID NOT NULL REFERENCES kyc_cases (id),
  decision    TEXT NOT NULL CHECK (decision IN ('APPROVED', 'REJECTED', 'MANUAL_REVIEW')),
  decided_by  UUID REFERENCES users (id),
  reason      TEXT,
  created_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX kyc_decisions_case_idx ON kyc_decisions (case_id, created_at);

ALTER TABLE webhook_events ADD COLUMN kyc_case_id UUID REFERENCES kyc_cases (id);
