// What the server needs from the outside parties that move money (../shared/design.md §6). Each
// is an interface with a sandbox adapter in ./sandbox/ that behaves like the real service; a real
// processor's adapter implements the same interface. Adapters are the only code given a
// VaultReader: card and account numbers leave the vault only on their way to the processor.
//
// Money movements are asynchronous, as with real processors: a call only says the processor
// accepted the request; the outcome arrives later as a signed webhook (WebhookEvent), and
// `lookup` answers reconciliation's "what happened to this one?".

export type GatewayDecline = { ok: false; code: 'CARD_DECLINED'; message: string };

/** A processor did not answer in time: the request may or may not have gone through. */
export class GatewayTimeoutError extends Error {
  override name = 'GatewayTimeoutError';
}

export interface MovementRequest {
  vaultToken: string;
  amount: bigint;
  currency: string;
  /** Our id for the movement: the processor's idempotency key and the webhook's reference. */
  reference: string;
}

export type MovementState = 'pending' | 'succeeded' | 'failed' | 'disputed' | 'returned';

export interface MovementStatus {
  providerRef: string;
  state: MovementState;
  amount: bigint;
  currency: string;
}

/** One line of a processor's settlement report: money that moved on that day. */
export interface SettlementLine extends MovementStatus {
  reference: string;
  kind: 'charge' | 'debit' | 'credit' | 'refund';
  settledAt: Date;
}

export interface CardGateway {
  /** Checks a card with its issuer (a zero-amount authorisation with the CVC) and returns the gateway's id for it. */
  verifyCard(input: {
    vaultToken: string;
    expMonth: number;
    expYear: number;
    cvc: string;
  }): Promise<{ ok: true; gatewayRef: string } | GatewayDecline>;
  /** Asks for a charge (authorise and capture); the same reference twice is one charge. */
  charge(input: MovementRequest): Promise<{ providerRef: string }>;
  /** Pays (part of) an earlier charge back to its card; `reference` is the refund's own. */
  refund(input: Omit<MovementRequest, 'vaultToken'> & { chargeReference: string }): Promise<{ providerRef: string }>;
  /** What the processor knows of a charge by our reference; null if it never received it. */
  lookup(reference: string): Promise<MovementStatus | null>;
  /** The processor's settlement report for a day (YYYY-MM-DD, UTC). */
  settlementReport(day: string): Promise<SettlementLine[]>;
}

export interface BankGateway {
  /** Registers an account for debits and credits and sends it two micro-deposits to confirm it is the user's. */
  linkAccount(input: {
    vaultToken: string;
    scheme: 'ACH' | 'SEPA';
    country: string;
    routingNumber: string | null;
  }): Promise<{ gatewayRef: string }>;
  /** Whether `amounts` (minor units, any order) are the two micro-deposits sent to the account. */
  confirmMicroDeposits(input: { gatewayRef: string; amounts: bigint[] }): Promise<boolean>;
  /** Pulls money from the account (ACH debit / SEPA direct debit); settles days later. */
  debit(input: MovementRequest): Promise<{ providerRef: string }>;
  /** Pays money out to the account (ACH credit / SEPA credit transfer); settles days later. */
  credit(input: MovementRequest): Promise<{ providerRef: string }>;
  lookup(reference: string): Promise<MovementStatus | null>;
  settlementReport(day: string): Promise<SettlementLine[]>;
}

/** Checks a person's identity for a KYC tier; decides later, by webhook. */
export interface KycProvider {
  submit(input: {
    reference: string;
    level: 'TIER_1' | 'TIER_2';
    legalName: string;
    dateOfBirth: string;
    documentToken: string | null;
    selfieRef: string | null;
  }): Promise<{ providerRef: string }>;
}

/** The KYC provider's decision webhook: kyc.approved, kyc.rejected or kyc.review. */
export interface KycWebhookEvent {
  id: string;
  type: string;
  created: number;
  data: { reference: string; providerRef: string; reason?: string };
}

/** The body of a processor's webhook. */
export interface WebhookEvent {
  id: string;
  /** <charge|refund|debit|credit>.<pending|succeeded|failed|disputed|returned>, e.g. charge.succeeded, debit.returned. */
  type: string;
  /** Unix seconds when the processor created the event. */
  created: number;
  data: {
    reference: string;
    providerRef: string;
    amount: string;
    currency: string;
    failureCode?: string;
    failureMessage?: string;
  };
}
