-- Account erasure (issue 18, GDPR; src/services/privacy/accountErasure.ts). An erased user keeps
-- their id (the ledger points at it) and nothing else that names them: erased_at marks the row,
-- whose email, name and phone were replaced in the same transaction.
ALTER TABLE users ADD COLUMN erased_at TIMESTAMPTZ(3);
-- The server may update every users column but the id (20261204010000): this one too.
GRANT UPDATE (erased_at) ON users TO wallet_app;
