// The contract with the posting function, wallet_post_transfers (prisma/functions/): what a
// transfer request is, what it answers, and the one call that sends a list of requests in one
// round trip. Only the ledger module calls it (ledger.ts, ledgerTransaction.ts).
import type { PrismaClient } from '../../db/database.js';
import type { OutboxEvent } from '../events/outbox.js';
import { inChildSpan } from '../telemetry.js';
import type { RiskAssessment } from '../risk/riskEngine.js';
import type { Party, TransactionType } from './model.js';
import { refusalFromSql, type LedgerRefusal, type SqlRefusal } from './refusals.js';

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

export type TransferResult = { ok: true; transfer: PostedTransfer; replayed: boolean } | ({ ok: false; replayed: boolean } & LedgerRefusal);

/** The database call's span (OpenTelemetry's database conventions). */
const POSTING_SPAN = {
  'db.system.name': 'postgresql',
  'db.operation.name': 'SELECT',
  'db.query.summary': 'SELECT wallet_post_transfers',
};

/** Anything that can run SQL: the Prisma client, or an interactive transaction of it. */
type Db = Pick<PrismaClient, '$queryRaw'>;

/**
 * One call of the posting function through `db`. Inside an interactive transaction the transfers
 * commit (or roll back) with whatever else that transaction does; the returned events are to be
 * published after that commit.
 */
export async function callPostingFunction(
  db: Db,
  requests: TransferRequest[],
  idempotencyTtlHours: number,
  /** Ids of outbox rows already published, deleted by the same statement (no statement of their own). */
  publishedOutboxIds: string[] = [],
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
  type Row = { result: { results: RawResult[]; events: OutboxEvent[] } };
  const rows = await inChildSpan('SELECT wallet_post_transfers', { ...POSTING_SPAN, 'wallet.transfers': requests.length }, async () =>
    publishedOutboxIds.length
      ? await db.$queryRaw<Row[]>`
        WITH published AS (DELETE FROM outbox_events WHERE id = ANY(${publishedOutboxIds}::bigint[]))
        SELECT wallet_post_transfers(${json}::jsonb) AS result`
      : await db.$queryRaw<Row[]>`SELECT wallet_post_transfers(${json}::jsonb) AS result`,
  );
  const { results, events } = rows[0]!.result;
  return { results: results.map(toResult), events };
}

type RawSide = Omit<PostedSide, 'balanceAfter' | 'held' | 'sequence' | 'walletCreatedAt'> & {
  balanceAfter: string;
  held: string;
  sequence: string;
  walletCreatedAt: string;
};

interface RawResult extends Partial<SqlRefusal> {
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
  // An answer stored before refusals were codes keeps its words (a replay answers as the first time did).
  if (!r.ok) return { ok: false, replayed, ...refusalFromSql({ ...r, code: r.code! }) };
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
