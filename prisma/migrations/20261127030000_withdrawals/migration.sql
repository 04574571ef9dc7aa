-- Withdrawals to a verified bank account: the amount is held on the wallet from the moment the
-- withdrawal is accepted (available drops at once) until the bank settles it (the hold is
-- captured and the money posted) or fails it (the hold is released).
ALTER TABLE funding_operations ADD COLUMN hold_id UUID REFERENCES holds (id);
ALTER TABLE funding_operations ADD CONSTRAINT funding_operations_withdrawal_hold CHECK (kind <> 'WITHDRAWAL' OR hold_id IS NOT NULL);
