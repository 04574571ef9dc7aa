// The one table that words the ledger's refusals. The database refuses with a code, the part of
// the request that failed and the facts a message needs (wallet_refusal, prisma/functions/); here
// each code becomes the message a user reads, and each part the input field it points at, for
// every operation that moves money. A new caller adds its row to CALLER_FIELDS; a new refusal
// adds its words to MESSAGES.
import { inputPath, Refusal, type UserError, type UserErrorCode } from '../errors.js';

/** What failed in a request: a side, the amount or its currency, the idempotency key, the note. */
export type RefusalPart = 'from' | 'to' | 'amount' | 'currency' | 'key' | 'note';

export type RefusalCode =
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'INVALID_AMOUNT'
  | 'INVALID_INPUT'
  | 'CURRENCY_MISMATCH'
  | 'NO_WALLET_IN_CURRENCY'
  | 'RECIPIENT_HAS_NO_WALLET_IN_CURRENCY'
  | 'RECIPIENT_NOT_FOUND'
  | 'SELF_TRANSFER'
  | 'WALLET_FROZEN'
  | 'INSUFFICIENT_FUNDS'
  | 'LIMIT_EXCEEDED'
  | 'TRANSFER_DECLINED'
  // Not an answer: the risk verdict rested on send counts that changed before the lock; the send is assessed again (riskEngine.ts).
  | 'RISK_FACTS_STALE';

/** Refusal codes a client sees under another name. */
const PUBLIC_CODE: Partial<Record<RefusalCode, UserErrorCode>> = { RISK_FACTS_STALE: 'TRY_AGAIN' };

/** The data behind a refusal (amounts in minor units, as strings), never words. */
export interface RefusalFacts {
  currency?: string;
  /** A wallet's status (WALLET_FROZEN). */
  status?: string;
  /** LIMIT_EXCEEDED: which limit, and the numbers that explain it. */
  limit?: string;
  tier?: string;
  max?: string;
  remaining?: string;
  exponent?: number;
  /** The UTC day a daily or monthly limit starts again (YYYY-MM-DD). */
  resetsOn?: string;
}

export interface LedgerRefusal {
  code: RefusalCode;
  part: RefusalPart | null;
  facts: RefusalFacts;
  /** Answers stored before refusals were codes only carry their own words and field (kept as they were). */
  stored?: { message: string; field: string | null };
}

/** The operations that move money, each with its own input. */
export type LedgerCaller =
  | 'sendMoney'
  | 'adjustBalance'
  | 'payPaymentRequest'
  | 'refundPayment'
  | 'withdraw'
  | 'addFunds'
  | 'refundDeposit'
  | 'approveRiskReview';

type Paths = Record<RefusalPart, string | null>;

const SEND_FIELDS: Paths = {
  from: null,
  to: 'recipient',
  amount: 'amount',
  currency: 'amount.currency',
  key: 'idempotencyKey',
  note: 'note',
};

/** Per caller, the input field each part of a refusal points at (null: the request as a whole). */
const CALLER_FIELDS: Record<LedgerCaller, Paths> = {
  sendMoney: SEND_FIELDS,
  adjustBalance: { ...SEND_FIELDS, from: 'walletId', to: 'walletId', note: 'reason' },
  payPaymentRequest: { ...SEND_FIELDS, to: 'code', note: null },
  refundPayment: { ...SEND_FIELDS, to: 'paymentId', note: 'reason' },
  addFunds: { ...SEND_FIELDS, from: 'paymentMethodId', to: null, note: null },
  withdraw: { ...SEND_FIELDS, to: 'bankAccountId', note: null },
  refundDeposit: { ...SEND_FIELDS, from: null, to: 'fundingId', note: 'reason' },
  // An admin's decision has one input that can be wrong: the review.
  approveRiskReview: { from: 'reviewId', to: 'reviewId', amount: 'reviewId', currency: 'reviewId', key: 'reviewId', note: 'reviewId' },
};

/** Where a caller words a refusal its own way: another code or message than the table's. */
const CALLER_WORDS: Partial<Record<LedgerCaller, Partial<Record<RefusalCode, { code?: UserErrorCode; message: string; field?: string }>>>> =
  {
    // The wallet is named by id, in either direction: an unknown one is simply not found.
    adjustBalance: {
      RECIPIENT_NOT_FOUND: { code: 'NOT_FOUND', message: 'No user wallet with that id.', field: 'walletId' },
      NO_WALLET_IN_CURRENCY: { code: 'NOT_FOUND', message: 'No user wallet with that id.', field: 'walletId' },
    },
    withdraw: { INSUFFICIENT_FUNDS: { message: 'Not enough available money in your wallet for this withdrawal.' } },
    refundDeposit: { INSUFFICIENT_FUNDS: { message: "The user's wallet no longer holds that much available money." } },
  };

/** The answer stored before refusals were codes named sendMoney's fields; their parts, for those answers. */
const PART_OF_STORED_FIELD: Record<string, RefusalPart> = {
  recipient: 'to',
  amount: 'amount',
  'amount.currency': 'currency',
  idempotencyKey: 'key',
  note: 'note',
};

/** A refusal as the database writes it (wallet_refusal), or as an answer stored before refusals were codes. */
export interface SqlRefusal {
  code: RefusalCode;
  part?: RefusalPart | null;
  facts?: RefusalFacts | null;
  message?: string;
  field?: string | null;
}

/** Reads a refusal the database wrote (posting or funding count); an answer stored with words keeps them. */
export function refusalFromSql(r: SqlRefusal): LedgerRefusal {
  if (r.message !== undefined) {
    const field = r.field ?? null;
    return { code: r.code, part: field ? (PART_OF_STORED_FIELD[field] ?? null) : null, facts: {}, stored: { message: r.message, field } };
  }
  return { code: r.code, part: r.part ?? null, facts: r.facts ?? {} };
}

/** Minor units as the shortest major amount: 150000 (exponent 2) is "1500", 12340 is "123.4". */
export function majorAmount(minor: string | undefined, exponent = 2): string {
  const digits = (minor ?? '0').padStart(exponent + 1, '0');
  if (exponent === 0) return digits;
  const fraction = digits.slice(-exponent).replace(/0+$/, '');
  const whole = digits.slice(0, -exponent);
  return fraction ? `${whole}.${fraction}` : whole;
}

const LIMIT_MESSAGES: Record<string, (f: RefusalFacts) => string> = {
  TIER_CURRENCY: (f) =>
    `Your verification level (${f.tier}) does not allow this currency yet. Verify your identity (submitKyc) to raise your limits.`,
  PER_TRANSACTION: (f) =>
    `Over your per-transaction limit (PER_TRANSACTION): you can send at most ${majorAmount(f.max, f.exponent)} at once. Verify your identity (submitKyc) to raise it.`,
  DAILY_SEND: (f) =>
    `Over your daily send limit (DAILY_SEND): you can send ${majorAmount(f.remaining, f.exponent)} more today; it resets at ${f.resetsOn} 00:00 UTC.`,
  MONTHLY_SEND: (f) =>
    `Over your monthly send limit (MONTHLY_SEND): you can send ${majorAmount(f.remaining, f.exponent)} more this month; it resets at ${f.resetsOn} 00:00 UTC.`,
  RECIPIENT_MAX_BALANCE: () => 'The recipient cannot hold that much yet (their balance limit, MAX_BALANCE). Send a smaller amount.',
  MAX_BALANCE: (f) =>
    `Your wallet may hold at most ${majorAmount(f.max, f.exponent)} at your verification level (MAX_BALANCE); ` +
    `you can add ${majorAmount(f.remaining, f.exponent)} more. Verify your identity (submitKyc) to raise it.`,
  WITHDRAW_NOT_ALLOWED: (f) =>
    `Withdrawals need a verified identity: your level (${f.tier}) allows none (DAILY_WITHDRAW). Verify your identity (submitKyc) first.`,
  DAILY_ADD_FUNDS: (f) =>
    `Over your daily add-funds limit (DAILY_ADD_FUNDS): you can add ${majorAmount(f.remaining, f.exponent)} more today; it resets at ${f.resetsOn} 00:00 UTC.`,
  DAILY_WITHDRAW: (f) =>
    `Over your daily withdraw limit (DAILY_WITHDRAW): you can withdraw ${majorAmount(f.remaining, f.exponent)} more today; it resets at ${f.resetsOn} 00:00 UTC.`,
};

const MESSAGES: Record<RefusalCode, (r: LedgerRefusal) => string> = {
  IDEMPOTENCY_KEY_REUSED: () => 'This idempotency key was already used for a different request. Use a new key for a new request.',
  IDEMPOTENCY_IN_PROGRESS: () => 'A request with this idempotency key is still being processed. Retry shortly.',
  INVALID_AMOUNT: () => 'The amount must be a positive whole number of minor units.',
  INVALID_INPUT: () => 'The note must be at most 280 characters.',
  CURRENCY_MISMATCH: () => 'That wallet holds another currency than the amount.',
  NO_WALLET_IN_CURRENCY: (r) => `You have no ${r.facts.currency} wallet. Open one first.`,
  RECIPIENT_HAS_NO_WALLET_IN_CURRENCY: (r) => `The recipient has no ${r.facts.currency} wallet.`,
  RECIPIENT_NOT_FOUND: () => 'No one with that email, phone or wallet was found.',
  SELF_TRANSFER: () => 'You cannot send money to the same wallet.',
  WALLET_FROZEN: (r) =>
    r.part === 'to'
      ? "The recipient's wallet cannot receive money right now."
      : `Your ${r.facts.currency} wallet is ${(r.facts.status ?? 'frozen').toLowerCase()} and cannot send money.`,
  INSUFFICIENT_FUNDS: () => 'Not enough money in your wallet for this transfer.',
  LIMIT_EXCEEDED: (r) => LIMIT_MESSAGES[r.facts.limit ?? '']?.(r.facts) ?? 'Over one of your limits. See myLimits.',
  TRANSFER_DECLINED: () => 'This transfer cannot be made. If you think this is a mistake, contact support.',
  RISK_FACTS_STALE: () => 'Other payments from this wallet were being made at the same moment. Try again.',
};

/** The userError a caller answers with for a refusal: its code, message and input path. */
export function refusalError(refusal: LedgerRefusal, caller: LedgerCaller): UserError {
  const own = CALLER_WORDS[caller]?.[refusal.code];
  const field = own?.field ?? (refusal.part ? CALLER_FIELDS[caller][refusal.part] : null);
  const message = own?.message ?? refusal.stored?.message ?? MESSAGES[refusal.code](refusal);
  return {
    code: own?.code ?? PUBLIC_CODE[refusal.code] ?? (refusal.code as UserErrorCode),
    message: caller === 'approveRiskReview' ? `The transfer cannot be posted now: ${message}` : message,
    field: field ? inputPath(field) : null,
  };
}

/** Refuses the caller's operation (inside a ledger transaction: everything rolls back) with the refusal's userError. */
export function refuseWith(refusal: LedgerRefusal, caller: LedgerCaller): never {
  throw new Refusal(refusalError(refusal, caller));
}
