-- The AML monitor reads the last hours of activity on every run: time indexes keep that a range
-- scan, not a pass over the whole ledger.
CREATE INDEX ledger_transactions_created_at_idx ON ledger_transactions (created_at);
CREATE INDEX funding_operations_created_at_idx ON funding_operations (created_at);
