-- Personal data encrypted at rest (issue 18, part 7; src/services/privacy/personalData.ts). A KYC
-- case's identity (legal name, date of birth, address, document type, country and last
-- characters) is sealed in the vault as one PERSONAL secret; the case keeps its token. Secrets
-- record whose they are (owner_id), so erasing a user finds and destroys them without a list of
-- every table that holds a token, and when a secret kept for the law must be destroyed
-- (destroy_after).
--
-- Cases written before this migration keep their columns until `npm run vault:rotate` seals them
-- (it moves each into the vault and clears the columns); the columns are therefore nullable.

ALTER TABLE vault.secrets DROP CONSTRAINT secrets_kind_check;
ALTER TABLE vault.secrets ADD CONSTRAINT secrets_kind_check
  CHECK (kind IN ('PAN', 'BANK_ACCOUNT', 'DOCUMENT', 'WEBHOOK_SECRET', 'TOTP', 'PERSONAL'));
ALTER TABLE vault.secrets ADD COLUMN owner_id UUID;
ALTER TABLE vault.secrets ADD COLUMN destroy_after TIMESTAMPTZ(3);
CREATE INDEX secrets_owner_id_idx ON vault.secrets (owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX secrets_destroy_after_idx ON vault.secrets (destroy_after) WHERE destroy_after IS NOT NULL;

ALTER TABLE kyc_cases ADD COLUMN identity_token TEXT;
ALTER TABLE kyc_cases ALTER COLUMN legal_name DROP NOT NULL;
ALTER TABLE kyc_cases ALTER COLUMN date_of_birth DROP NOT NULL;
ALTER TABLE kyc_cases ALTER COLUMN address DROP NOT NULL;
-- Either sealed (a token) or, until vault:rotate, in the columns: never neither.
ALTER TABLE kyc_cases ADD CONSTRAINT kyc_cases_identity_check
  CHECK (identity_token IS NOT NULL OR (legal_name IS NOT NULL AND date_of_birth IS NOT NULL AND address IS NOT NULL));
-- A document's type, country and last characters are part of the sealed identity now; the plain
-- columns pair with the document's vault token only on cases not yet sealed.
ALTER TABLE kyc_cases DROP CONSTRAINT kyc_cases_document;
ALTER TABLE kyc_cases ADD CONSTRAINT kyc_cases_document
  CHECK (identity_token IS NOT NULL OR (document_type IS NULL) = (document_token IS NULL));
