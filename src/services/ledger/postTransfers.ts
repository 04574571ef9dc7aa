// The Node side of the one posting path: sends transfer requests to wallet_post_transfers (one
// round trip, one commit for the whole list), retries serialization failures and deadlocks,
// and hands the committed events to the outbox publisher.
import type { PrismaClient } from '../../db/database.js';
import { isRetryableTransactionError } from '../../db/sqlErrors.js';
import type { Logger } from '../../logger.js';
import type { OutboxEvent, OutboxPublisher } from '../events/outbox.js';
import type { RiskAssessment } from '../risk/riskEngine.js';
import type { Party } from './model.js';

export type { Party, SystemWallet } from './model.js';

export type TransactionType = 'P2P_TRANSFER' | 'ADJUSTMENT' | 'DEPOSIT' | 'WITHDRAWAL' | 'PAYMENT' | 'REFUND' | 'FEE' | 'REVERSAL';

export interface TransferRequest {
  /** Idempotency scope: the user on whose behalf the request is made. */
  userId: string;
  key: string;
  operation: string;
  /** Fingerprint of the request; the same key with another fingerprint is refused. */
  hash: string;
  type: TransactionType;
  currency: string;
  /** Positive minor units. */
  amount: bigint;
  from: Party;
  to: Party;
  note?: string | null;
  metadata?: Record<string, unknown>;
  initiatedBy?: string | null;
  /** Check the sender's KYC limits and the recipient's balance cap (user-initiated sends). */
  limits?: boolean;
  /**
   * The risk rules' verdict (user-initiated sends): BLOCK refuses (TRANSFER_DECLINED), REVIEW holds
   * the money and opens a risk review instead of posting. Stored with the outcome when the key is new.
   */
  risk?: RiskAssessment | null;
  /** Post this transaction, held IN_REVIEW until now (an approved risk review), instead of a new one. */
  transactionId?: string;
}

export type TransferRefusalCode =
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'CURRENCY_MISMATCH'
  | 'NO_WALLET_IN_CURRENCY'
  | 'RECIPIENT_HAS_NO_WALLET_IN_CURRENCY'
  | 'RECIPIENT_NOT_FOUND'
  | 'SELF_TRANSFER'
  | 'WALLET_FROZEN'
  | 'INSUFFICIENT_FUNDS'
  | 'LIMIT_EXCEEDED'
  | 'TRANSFER_DECLINED';

/** One side of a posted transfer, as it was right after the transfer. */
export interface PostedSide {
  walletId: string;
  userId: string | null;
  kind: 'USER' | 'SYSTEM' | 'MERCHANT';
  /** The user's display name, or the system wallet's purpose. */
  name: string | null;
  balanceAfter: bigint;
  held: bigint;
  sequence: bigint;
  status: 'ACTIVE' | 'FROZEN' | 'CLOSED';
  walletCreatedAt: Date;
}

export interface PostedTransfer {
  transactionId: string;
  /** IN_REVIEW: nothing moved yet; the amount is on hold on the sender's wallet. */
  status: 'POSTED' | 'IN_REVIEW';
  type: TransactionType;
  currency: string;
  amount: bigint;
  note: string | null;
  createdAt: Date;
  from: PostedSide;
  to: PostedSide;
}

export type TransferResult =
  | { ok: true; transfer: PostedTransfer; replayed: boolean }
  | { ok: false; code: TransferRefusalCode; message: string; field: string | null; replayed: boolean };

export interface Ledger {
  /** Posts each transfer or refuses it on its own; results are in request order. */
  postTransfers(requests: TransferRequest[]): Promise<TransferResult[]>;
}

const MAX_ATTEMPTS = 5;

/** Anything that can run SQL: the Prisma client, or an interactive transaction of it. */
type Db = Pick<PrismaClient, '$queryRaw'>;

/**
 * One call of the posting function through `db`. Inside an interactive transaction the transfers
 * commit (or roll back) with whatever else that transaction does; the caller publishes the
 * returned events after its commit.
 */
export async function postThrough(
  db: Db,
  requests: TransferRequest[],
  idempotencyTtlHours: number,
): Promise<{ results: TransferResult[]; events: OutboxEvent[] }> {
  if (requests.length === 0) return { results: [], events: [] };
  const json = JSON.stringify(
    requests.map((r) => ({
      ...r,
      amount: r.amount.toString(),
      note: r.note ?? null,
      metadata: r.metadata ?? {},
      initiatedBy: r.initiatedBy ?? null,
      ttlHours: idempotencyTtlHours,
    })),
  );
  const rows = await db.$queryRaw<{ result: { results: RawResult[]; events: OutboxEvent[] } }[]>`
    SELECT wallet_post_transfers(${json}::jsonb) AS result`;
  const { results, events } = rows[0]!.result;
  return { results: results.map(toResult), events };
}

export function createLedger(deps: {
  prisma: PrismaClient;
  outbox: OutboxPublisher;
  log: Logger;
  /** How long idempotency answers are kept (IDEMPOTENCY_TTL_HOURS). */
  idempotencyTtlHours: number;
}): Ledger {
  const { prisma, outbox, log } = deps;

  return {
    async postTransfers(requests) {
      for (let attempt = 1; ; attempt++) {
        try {
          const { results, events } = await postThrough(prisma, requests, deps.idempotencyTtlHours);
          if (events.length) outbox.publishCommitted(events);
          return results;
        } catch (err) {
          if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
          // Nothing was committed: back off with jitter and try again.
          const delay = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
          log.debug({ attempt, delay }, 'posting retried after serialization failure or deadlock');
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },
  };
}

type RawSide = Omit<PostedSide, 'balanceAfter' | 'held' | 'sequence' | 'walletCreatedAt'> & {
  balanceAfter: string;
  held: string;
  sequence: string;
  walletCreatedAt: string;
};

interface RawResult {
  ok: boolean;
  replayed?: boolean;
  status?: 'POSTED' | 'IN_REVIEW';
  transactionId?: string;
  type?: TransactionType;
  currency?: string;
  amount?: string;
  note?: string | null;
  createdAt?: string;
  from?: RawSide;
  to?: RawSide;
  code?: TransferRefusalCode;
  message?: string;
  field?: string | null;
}

const side = (s: RawSide): PostedSide => ({
  ...s,
  balanceAfter: BigInt(s.balanceAfter),
  held: BigInt(s.held),
  sequence: BigInt(s.sequence),
  walletCreatedAt: new Date(s.walletCreatedAt),
});

function toResult(r: RawResult): TransferResult {
  const replayed = r.replayed === true;
  if (!r.ok) return { ok: false, code: r.code!, message: r.message!, field: r.field ?? null, replayed };
  return {
    ok: true,
    replayed,
    transfer: {
      transactionId: r.transactionId!,
      // Answers stored before reviews existed carry no status: they were all posted.
      status: r.status ?? 'POSTED',
      type: r.type!,
      currency: r.currency!,
      amount: BigInt(r.amount!),
      note: r.note ?? null,
      createdAt: new Date(r.createdAt!),
      from: side(r.from!),
      to: side(r.to!),
    },
  };
}
