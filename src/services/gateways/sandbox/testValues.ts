// The sandbox's test values: which card and account numbers produce which outcome. The table in
// docs/sandbox.md is this file in prose; keep them together.

export const SANDBOX_CARDS = {
  /** Always succeeds. */
  success: '4242424242424242',
  /** Verifies, but every charge is declined. */
  declined: '4000000000000002',
  /** Verifies, but charges fail for insufficient funds. */
  insufficientFunds: '4000000000009995',
  /** Charges succeed, then a chargeback (dispute) arrives later. */
  disputed: '4000000000000259',
  /** Charges stay pending for a while (ten webhook delays), then succeed. */
  delayed: '4000000000000077',
  /** Charges go through at the processor, but the call times out and no webhook ever comes. */
  timeout: '4000000000000101',
  /** Verification fails: the issuer rejects the security code. */
  incorrectCvc: '4000000000000127',
} as const;

/** Bank accounts (the account number, or the IBAN for SEPA) with a scripted outcome. */
export const SANDBOX_BANK_ACCOUNTS = {
  /** Debits fail: R01, insufficient funds. */
  insufficientFunds: '000111111116',
  /** Debits and credits settle, then come back returned days later: R03, no account. */
  returned: '000111111113',
  /** Debits and credits fail at once: R04, invalid account number. */
  invalid: '000111111129',
} as const;

/** The two micro-deposits the sandbox bank sends to every linked account (minor units). */
export const SANDBOX_MICRO_DEPOSITS = [32n, 45n] as const;

/** The sandbox KYC provider decides by the last four characters of the document number (TIER_2) or of the legal name's letters (TIER_1). */
export const SANDBOX_KYC = {
  /** Rejected: "The document has expired." */
  reject: '0002',
  /** Referred to manual review by an admin. */
  review: '0003',
  /** The provider never answers (the case stays PENDING). */
  timeout: '0004',
} as const;
