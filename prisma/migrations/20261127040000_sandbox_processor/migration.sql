-- The sandbox processors' own records: what a real card processor or bank keeps on its side, and
-- answers lookups and settlement reports from. Kept in a schema of its own that only
-- src/services/gateways/sandbox/ touches, so it survives restarts and is shared by every server
-- process and by `npm run reconcile`, as a real processor's records would be. A deployment with
-- real processors simply leaves it empty.
CREATE SCHEMA sandbox;

CREATE TABLE sandbox.movements (
  -- Our reference (the funding operation id): the processor's idempotency key.
  reference    TEXT PRIMARY KEY,
  provider     TEXT NOT NULL CHECK (provider IN ('card', 'bank')),
  kind         TEXT NOT NULL CHECK (kind IN ('charge', 'debit', 'credit')),
  provider_ref TEXT NOT NULL UNIQUE,
  -- Where the movement ends up (the sandbox decides at once, from the test values).
  state        TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'disputed', 'returned')),
  amount       BIGINT NOT NULL CHECK (amount > 0),
  currency     CHAR(3) NOT NULL,
  created_at   TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- When the money moved at the processor (null for failures): the settlement report's day.
  settled_at   TIMESTAMPTZ(3)
);
CREATE INDEX movements_settled_idx ON sandbox.movements (provider, settled_at);
