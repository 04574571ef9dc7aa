// Fees: a percentage (basis points) of the amount plus a fixed part, in minor units. One rounding
// rule for every fee (deposits, merchant payments): half up, so half a minor unit and more rounds
// up; documented in docs/payments.md and tested in test/unit/fees.test.ts.

export interface FeeRule {
  /** Basis points of the amount (1 bp = 0.01 %). */
  bps: number;
  /** Fixed part, in minor units of the amount's currency. */
  fixed: bigint;
}

/** bps × amount / 10,000 rounded half up, plus the fixed part. */
export function feeFor(amount: bigint, rule: FeeRule): bigint {
  return (amount * BigInt(rule.bps) + 5_000n) / 10_000n + rule.fixed;
}
