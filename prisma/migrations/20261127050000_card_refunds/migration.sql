-- Refunds of card top-ups: money paid back out to the card it came from. A refund is a payout
-- like a bank withdrawal (kind WITHDRAWAL: held at once, posted when the processor confirms,
-- released if it fails), to the card processor, and always names the top-up it refunds.
ALTER TABLE funding_operations ADD COLUMN refund_of_id UUID REFERENCES funding_operations (id);
-- Why an operation was started on the user's behalf (an admin's refund).
ALTER TABLE funding_operations ADD COLUMN reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 3 AND 500);
ALTER TABLE funding_operations ADD CONSTRAINT funding_operations_card_payout_is_refund
  CHECK (NOT (kind = 'WITHDRAWAL' AND provider = 'card') OR refund_of_id IS NOT NULL);
ALTER TABLE funding_operations ADD CONSTRAINT funding_operations_refund_is_payout CHECK (refund_of_id IS NULL OR kind = 'WITHDRAWAL');
CREATE INDEX funding_operations_refund_of_idx ON funding_operations (refund_of_id) WHERE refund_of_id IS NOT NULL;

ALTER TABLE sandbox.movements DROP CONSTRAINT movements_kind_check;
ALTER TABLE sandbox.movements ADD CONSTRAINT movements_kind_check CHECK (kind IN ('charge', 'debit', 'credit', 'refund'));
