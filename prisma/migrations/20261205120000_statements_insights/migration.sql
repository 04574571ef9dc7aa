-- Statements and spending insights (issue 19; docs/statements.md). Both only read the ledger.
--
-- users.time_zone: the IANA zone a user's months and days are in (statements, insights); UTC by
-- default. merchants.mcc: the ISO 18245 merchant category code, and spending_category the fixed
-- group it falls in (src/services/insights/categories.ts), which insights sort payments by.
-- statements: one monthly statement per wallet and month, made by a job once the month has ended:
-- its period, the ledger sequence range it covers and its figures (the document itself is streamed
-- from the ledger over that range when downloaded). wallet_month_insights: a closed month's
-- spending insights, computed once. Both are append-only.

ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- wallet_app updates users column by column (20261204010000): this one too.
GRANT UPDATE (time_zone) ON users TO wallet_app;

ALTER TABLE merchants ADD COLUMN mcc CHAR(4);
ALTER TABLE merchants ADD CONSTRAINT merchants_mcc_check CHECK (mcc ~ '^[0-9]{4}$');
ALTER TABLE merchants ADD COLUMN spending_category TEXT NOT NULL DEFAULT 'OTHER';
ALTER TABLE merchants ADD CONSTRAINT merchants_spending_category_check CHECK (spending_category IN (
  'GROCERIES', 'DINING', 'TRAVEL', 'TRANSPORT', 'SHOPPING', 'ENTERTAINMENT', 'UTILITIES', 'HEALTH',
  'EDUCATION', 'FINANCIAL', 'SERVICES', 'GOVERNMENT', 'OTHER'));

CREATE TABLE statements (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  wallet_id        UUID NOT NULL REFERENCES wallets (id),
  user_id          UUID NOT NULL REFERENCES users (id),
  currency         CHAR(3) NOT NULL,
  -- The calendar month (its first day) in time_zone.
  month            DATE NOT NULL,
  time_zone        TEXT NOT NULL,
  -- [starts_at, ends_at): starts where the wallet's previous statement ended (or at the month's start).
  starts_at        TIMESTAMPTZ(3) NOT NULL,
  ends_at          TIMESTAMPTZ(3) NOT NULL,
  -- The lines are the wallet's entries with opening_sequence < sequence <= closing_sequence.
  opening_sequence BIGINT NOT NULL,
  closing_sequence BIGINT NOT NULL,
  opening_balance  BIGINT NOT NULL,
  closing_balance  BIGINT NOT NULL,
  total_in         BIGINT NOT NULL,
  total_out        BIGINT NOT NULL,
  total_fees       BIGINT NOT NULL,
  line_count       INTEGER NOT NULL,
  created_at       TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT statements_wallet_month_key UNIQUE (wallet_id, month),
  CONSTRAINT statements_period_check CHECK (ends_at > starts_at AND closing_sequence >= opening_sequence),
  CONSTRAINT statements_line_count_check CHECK (line_count = closing_sequence - opening_sequence),
  CONSTRAINT statements_totals_check CHECK (total_in >= 0 AND total_out >= 0),
  -- Opening + the lines = closing, exactly.
  CONSTRAINT statements_balanced CHECK (opening_balance + total_in - total_out - total_fees = closing_balance)
);

CREATE TABLE wallet_month_insights (
  wallet_id   UUID NOT NULL REFERENCES wallets (id),
  month       DATE NOT NULL,
  time_zone   TEXT NOT NULL,
  total_in    BIGINT NOT NULL,
  total_out   BIGINT NOT NULL,
  -- Categories, counterparties and the largest transactions (src/services/insights/insights.ts).
  details     JSONB NOT NULL,
  computed_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT wallet_month_insights_pkey PRIMARY KEY (wallet_id, month, time_zone)
);

-- The server's role gets the tables through the default privileges (20261204010000), and may only add rows.
REVOKE UPDATE, DELETE, TRUNCATE ON statements, wallet_month_insights FROM wallet_app;

-- statements_append_only(): refuses any change to a monthly statement or a closed month's
-- spending insights once written.
--
-- Invariant: what a statement said stays what it said. A monthly statement covers a closed period
-- of an append-only ledger, so its figures can never need changing; the insights kept for a closed
-- month are the same kind of record. UPDATE and DELETE (each row) and TRUNCATE (the statement) on
-- statements and wallet_month_insights raise WL006. A wrong one would be followed by a new record,
-- never edited.
CREATE OR REPLACE FUNCTION statements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'statements and kept insights are append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'WL006';
END $$;
CREATE OR REPLACE TRIGGER statements_no_update_delete BEFORE UPDATE OR DELETE ON statements
  FOR EACH ROW EXECUTE FUNCTION statements_append_only();
CREATE OR REPLACE TRIGGER statements_no_truncate BEFORE TRUNCATE ON statements
  FOR EACH STATEMENT EXECUTE FUNCTION statements_append_only();
CREATE OR REPLACE TRIGGER wallet_month_insights_no_update_delete BEFORE UPDATE OR DELETE ON wallet_month_insights
  FOR EACH ROW EXECUTE FUNCTION statements_append_only();
CREATE OR REPLACE TRIGGER wallet_month_insights_no_truncate BEFORE TRUNCATE ON wallet_month_insights
  FOR EACH STATEMENT EXECUTE FUNCTION statements_append_only();
