// The ledger inside a database transaction: every write of money state that is not the posting
// function itself (holds, reversal links, declined reviews, usage counters) lives here, next to
// the one call of the posting function, so that no other module writes wallets' balances, holds
// or counters, ledger_transactions, ledger_entries or holds. Everything done through it commits
// or rolls back with the caller's transaction; the events it collects are published by
// Ledger.transaction after that commit (ledger.ts).
import type { Prisma } from '../../generated/prisma/client.js';
import { writeOutbox, type OutboxEvent } from '../events/outbox.js';
import { type NoticeToWrite, writeNotices } from '../notifications/inbox.js';
import { topics, type TransactionChanged, type WalletsChanged } from '../events/topics.js';
import { callPostingFunction, type TransferRequest, type TransferResult } from './postingFunction.js';
import { refusalFromSql, type LedgerRefusal, type SqlRefusal } from './refusals.js';

/** Money reserved on a wallet: it counts against the wallet's available balance until it ends. */
export interface Hold {
  id: string;
  walletId: string;
  amount: bigint;
  /** The transaction the hold becomes (set when captured), or was opened for (a risk review). */
  transactionId?: string | null;
}

/** Why money is held: a payout to a bank (withdrawal) or card (refund of a top-up). */
export type HoldReason = 'withdrawal' | 'refund';

export interface LedgerTransaction {
  /** Posts each request or refuses it on its own; results are in request order. */
  post(requests: TransferRequest[]): Promise<TransferResult[]>;
  /** Whether the user's idempotency key already has an answer (a retry, which `post` replays). */
  answered(userId: string, key: string): Promise<boolean>;
  /**
   * Reserves `amount` on an active wallet with that much available, or refuses (INSUFFICIENT_FUNDS).
   * The conditional update is the balance check: it takes the wallet's row lock, so transfers and
   * other payouts spending the same money wait, and available never goes below zero.
   */
  placeHold(walletId: string, amount: bigint, reason: HoldReason): Promise<{ ok: true; hold: Hold } | ({ ok: false } & LedgerRefusal)>;
  /** Ends the hold and posts `request` (the held money) in its place; the hold names the transaction. */
  captureHold(hold: Hold, request: TransferRequest): Promise<TransferResult>;
  /** Ends the hold without moving money: the amount is available again. */
  releaseHold(hold: Hold): Promise<void>;
  /**
   * Posts `requests`, the last of which takes back `transactionId`: it is linked to that one,
   * which is marked REVERSED. History is never edited otherwise.
   */
  reverse(transactionId: string, requests: TransferRequest[]): Promise<TransferResult[]>;
  /** A transaction held IN_REVIEW is declined: nothing moved; its sender is told (with `notices`, in the same statement as the event). */
  decline(transaction: { id: string; userId: string; walletId: string }, notices?: NoticeToWrite[]): Promise<void>;
  /** Takes `amount` off the wallet's send usage of the day and month it was counted on (`countedAt`). */
  giveBackSendUsage(walletId: string, amount: bigint, countedAt: Date): Promise<void>;
  /**
   * Counts a top-up ('ADD') or withdrawal against the wallet's daily limits (locking the wallet),
   * or answers why not (LIMIT_EXCEEDED with the limit's facts); null when counted.
   */
  countFunding(walletId: string, kind: 'ADD' | 'WITHDRAW', amount: bigint): Promise<LedgerRefusal | null>;
  /** The wallet's available balance, with its row locked until the transaction ends. */
  lockAvailable(walletId: string): Promise<bigint>;
  /** Writes events to the outbox with this transaction; they are published after it commits. */
  emit(events: { topic: string; payload: unknown }[]): Promise<void>;
  /**
   * Writes notifications with this transaction (with any `events` to emit, in the same statement):
   * they exist only if it commits, and are live (notificationAdded) and fanned out after it does.
   */
  notify(notices: NoticeToWrite[], events?: { topic: string; payload: unknown }[]): Promise<void>;
}

/** The ledger inside `tx`; what it writes to the outbox is collected in `events`. */
export function ledgerWithin(tx: Prisma.TransactionClient, settings: { idempotencyTtlHours: number }) {
  const events: OutboxEvent[] = [];

  async function post(requests: TransferRequest[]) {
    const posted = await callPostingFunction(tx, requests, settings.idempotencyTtlHours);
    events.push(...posted.events);
    return posted.results;
  }

  /**
   * Moves the wallet's held amount by `delta` and writes that the wallet changed to the outbox (for
   * wallet caches: a hold has no event of its own), in one statement. With `onlyIfAvailable`, only
   * on an active wallet with `delta` available; false when it is not.
   */
  async function changeHeld(walletId: string, delta: bigint, onlyIfAvailable: boolean) {
    const changed = { walletIds: [walletId], userIds: [] } satisfies WalletsChanged;
    const written = await tx.$queryRaw<OutboxEvent[]>`
      WITH held AS (
        UPDATE wallets SET held_amount = held_amount + ${delta}, updated_at = now()
        WHERE id = ${walletId}::uuid AND (NOT ${onlyIfAvailable} OR (status = 'ACTIVE' AND posted_balance - held_amount >= ${delta}))
        RETURNING id)
      INSERT INTO outbox_events (topic, payload)
      SELECT ${topics.walletsChanged}, ${JSON.stringify(changed)}::jsonb FROM held
      RETURNING id::text AS id, topic, payload`;
    events.push(...written);
    return written.length > 0;
  }

  async function endHold(hold: Hold, status: 'RELEASED' | 'CAPTURED') {
    const ended = await tx.hold.updateMany({ where: { id: hold.id, status: 'ACTIVE' }, data: { status, releasedAt: new Date() } });
    // A hold ends once: ending it again would give its amount back twice.
    if (ended.count === 0) throw new Error(`hold ${hold.id} is not active`);
    await changeHeld(hold.walletId, -hold.amount, false);
  }

  const ledger: LedgerTransaction = {
    post,

    async answered(userId, key) {
      const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM idempotency_keys WHERE user_id = ${userId}::uuid AND key = ${key}`;
      return rows.length > 0;
    },

    async placeHold(walletId, amount, reason) {
      if (!(await changeHeld(walletId, amount, true))) return { ok: false, code: 'INSUFFICIENT_FUNDS', part: 'amount', facts: {} };
      const hold = await tx.hold.create({
        data: { walletId, amount, reason },
        select: { id: true, walletId: true, amount: true, transactionId: true },
      });
      return { ok: true, hold };
    },

    async captureHold(hold, request) {
      await endHold(hold, 'CAPTURED');
      const [result] = await post([request]);
      if (result!.ok && !hold.transactionId) {
        await tx.hold.update({ where: { id: hold.id }, data: { transactionId: result!.transfer.transactionId } });
      }
      return result!;
    },

    releaseHold: (hold) => endHold(hold, 'RELEASED'),

    async reverse(transactionId, requests) {
      const results = await post(requests);
      const reversal = results.at(-1);
      if (reversal?.ok) {
        const reversalId = reversal.transfer.transactionId;
        await tx.$executeRaw`UPDATE ledger_transactions SET reverses_id = ${transactionId}::uuid, updated_at = now() WHERE id = ${reversalId}::uuid`;
        await tx.$executeRaw`UPDATE ledger_transactions SET status = 'REVERSED', updated_at = now() WHERE id = ${transactionId}::uuid`;
      }
      return results;
    },

    async decline({ id, userId, walletId }, notices = []) {
      const declined = await tx.$executeRaw`
        UPDATE ledger_transactions SET status = 'DECLINED', updated_at = now() WHERE id = ${id}::uuid AND status = 'IN_REVIEW'`;
      if (declined === 0) throw new Error(`transaction ${id} is not in review`);
      await ledger.notify(notices, [
        { topic: topics.transactions(userId), payload: { transactionId: id, walletId, status: 'DECLINED' } satisfies TransactionChanged },
      ]);
    },

    async giveBackSendUsage(walletId, amount, countedAt) {
      // Usage counted on an earlier day or month has already rolled over: nothing to give back there.
      await tx.$executeRaw`
        UPDATE wallets SET
          sent_day = CASE WHEN usage_day = (${countedAt}::timestamptz AT TIME ZONE 'UTC')::date THEN greatest(sent_day - ${amount}, 0) ELSE sent_day END,
          sent_month = CASE WHEN usage_month = date_trunc('month', ${countedAt}::timestamptz AT TIME ZONE 'UTC')::date THEN greatest(sent_month - ${amount}, 0) ELSE sent_month END
        WHERE id = ${walletId}::uuid`;
    },

    async countFunding(walletId, kind, amount) {
      const [row] = await tx.$queryRaw<{ refusal: SqlRefusal | null }[]>`
        SELECT wallet_count_funding(${walletId}::uuid, ${kind}, ${amount}) AS refusal`;
      return row!.refusal && refusalFromSql(row!.refusal);
    },

    async lockAvailable(walletId) {
      const [row] = await tx.$queryRaw<{ available: bigint }[]>`
        SELECT posted_balance - held_amount AS available FROM wallets WHERE id = ${walletId}::uuid FOR UPDATE`;
      return row!.available;
    },

    async emit(inputs) {
      events.push(...(await writeOutbox(tx, inputs)));
    },

    async notify(notices, inputs = []) {
      events.push(...(await writeNotices(tx, notices, inputs)));
    },
  };
  return { ledger, events };
}
