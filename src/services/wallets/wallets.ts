// Wallets: opening one per currency, reading them (owner or admin only), and their balance at a
// past moment. Balances change only through the ledger (services/ledger), never here.
import type { AuditLog } from '../audit/auditLog.js';
import type { PrismaClient } from '../../db/database.js';
import { big, type Sql } from '../../db/sql.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Currencies } from '../money/currencies.js';
import { failure, success, type Outcome } from '../errors.js';
import { writeOutbox, type OutboxEvent, type OutboxPublisher } from '../events/outbox.js';
import { topics, type WalletsChanged, type WalletStatusChanged } from '../events/topics.js';
import type { WalletCache } from './walletCache.js';
import type { WalletRecord, WalletStatus } from './model.js';

export type { WalletRecord, WalletStatus } from './model.js';

export const walletSelect = {
  id: true,
  userId: true,
  currency: true,
  status: true,
  postedBalance: true,
  heldAmount: true,
  sequence: true,
  createdAt: true,
} as const;

export interface Viewer {
  userId: string;
  isAdmin: boolean;
}

export interface WalletService {
  open(userId: string, currency: string): Promise<Outcome<WalletRecord>>;
  /** Each user's wallets (for DataLoader batching). */
  listForUsers(userIds: readonly string[]): Promise<WalletRecord[][]>;
  /**
   * The wallet if the viewer owns it (or is an admin); null otherwise, indistinguishable from
   * missing. From the cache where it holds the wallet, unless `fromDatabase` (a live feed starts
   * from the database, which it then follows).
   */
  getVisible(viewer: Viewer, walletId: string, options?: { fromDatabase?: boolean }): Promise<WalletRecord | null>;
  getMany(ids: readonly string[]): Promise<(WalletRecord | null)[]>;
  /** Posted balance right after the last entry at or before `at` (0 before the first). */
  balanceAt(walletId: string, at: Date): Promise<bigint>;
  /** An admin's change of a user wallet's status (audited). */
  setStatus(adminId: string, walletId: string, status: WalletStatus): Promise<WalletRecord | null>;
  /** Keeps the wallet cache current with other processes' changes; returns a stop function. */
  listen(): Promise<() => Promise<void>>;
  /** Resolves once balances are read from the wallet cache (WalletCache.whenCaching; for tests). */
  whenCaching(): Promise<void>;
}

/**
 * Sets the status of the matching user wallets inside `tx` and writes the change to each wallet's
 * topic, so live subscriptions on a wallet that stops being ACTIVE end (walletFeed.ts). The one
 * way wallet statuses change; publish the returned events after commit.
 */
export async function changeWalletStatus(
  tx: Prisma.TransactionClient,
  where: { id?: string; userId?: string; status?: WalletStatus },
  status: WalletStatus,
): Promise<{ walletIds: string[]; events: OutboxEvent[] }> {
  const changed = await tx.wallet.updateManyAndReturn({
    where: { ...where, kind: 'USER', status: where.status ?? { not: status } },
    data: { status, updatedAt: new Date() },
    select: { id: true },
  });
  const walletIds = changed.map((w) => w.id);
  const events = await writeOutbox(
    tx,
    walletIds.map((walletId) => ({ topic: topics.wallet(walletId), payload: { walletId, status } satisfies WalletStatusChanged })),
  );
  return { walletIds, events };
}

interface WalletRow {
  id: string;
  user_id: string | null;
  currency: string;
  status: WalletStatus;
  posted_balance: string;
  held_amount: string;
  sequence: string;
  created_at: Date;
}

const WALLET_COLUMNS = 'id::text, user_id::text, currency, status::text, posted_balance, held_amount, sequence, created_at';

const fromRow = (r: WalletRow): WalletRecord => ({
  id: r.id,
  userId: r.user_id,
  currency: r.currency,
  status: r.status,
  postedBalance: big(r.posted_balance),
  heldAmount: big(r.held_amount),
  sequence: big(r.sequence),
  createdAt: r.created_at,
});

export function createWalletService(deps: {
  prisma: PrismaClient;
  audit: AuditLog;
  sql: Sql;
  currencies: Currencies;
  outbox: OutboxPublisher;
  /** Users' wallets as of their last change (services/wallets/walletCache.ts). */
  cache: WalletCache;
}): WalletService {
  const { prisma, sql, currencies, cache } = deps;

  async function loadForUsers(userIds: readonly string[]) {
    const rows = await sql.query<WalletRow>(
      `SELECT ${WALLET_COLUMNS} FROM wallets WHERE user_id = ANY($1::uuid[]) AND kind = 'USER' ORDER BY created_at, id`,
      [userIds],
      'wallets_of_users',
    );
    const wallets = rows.map(fromRow);
    return userIds.map((id) => wallets.filter((w) => w.userId === id));
  }

  return {
    async open(userId, currency) {
      if (!currencies.get(currency)) {
        const supported = currencies
          .list()
          .map((c) => c.code)
          .join(', ');
        return failure('UNSUPPORTED_CURRENCY', `${currency} is not supported. Supported: ${supported}.`, 'currency');
      }
      try {
        // The user's list of wallets changed: caches of it are dropped (walletCache.ts).
        const { wallet, events } = await prisma.$transaction(async (tx) => ({
          wallet: await tx.wallet.create({ data: { kind: 'USER', userId, currency }, select: walletSelect }),
          events: await writeOutbox(tx, [
            { topic: topics.walletsChanged, payload: { walletIds: [], userIds: [userId] } satisfies WalletsChanged },
          ]),
        }));
        await deps.outbox.publishCommitted(events);
        return success(wallet);
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
          return failure('WALLET_EXISTS', `You already have a ${currency} wallet.`, 'currency');
        }
        throw err;
      }
    },

    listForUsers: (userIds) => cache.walletsOf(userIds, loadForUsers),

    async getVisible(viewer, walletId, options = {}) {
      const cached = options.fromDatabase ? undefined : await cache.wallet(walletId);
      if (cached) return cached.userId === viewer.userId || viewer.isAdmin ? cached : null;
      const [row] = await sql.query<WalletRow>(
        `SELECT ${WALLET_COLUMNS} FROM wallets WHERE id = $1::uuid AND kind = 'USER'`,
        [walletId],
        'user_wallet_by_id',
      );
      if (!row || (row.user_id !== viewer.userId && !viewer.isAdmin)) return null;
      return fromRow(row);
    },

    async getMany(ids) {
      const rows = await sql.query<WalletRow>(`SELECT ${WALLET_COLUMNS} FROM wallets WHERE id = ANY($1::uuid[])`, [ids], 'wallets_by_id');
      const byId = new Map(rows.map((r) => [r.id, fromRow(r)]));
      return ids.map((id) => byId.get(id) ?? null);
    },

    async balanceAt(walletId, at) {
      const entry = await prisma.ledgerEntry.findFirst({
        where: { walletId, createdAt: { lte: at } },
        orderBy: [{ createdAt: 'desc' }, { sequence: 'desc' }],
        select: { balanceAfter: true },
      });
      return entry?.balanceAfter ?? 0n;
    },

    async setStatus(adminId, walletId, status) {
      const { wallet, events } = await prisma.$transaction(async (tx) => {
        const changed = await changeWalletStatus(tx, { id: walletId }, status);
        const wallet = await tx.wallet.findFirst({ where: { id: walletId, kind: 'USER' }, select: walletSelect });
        if (changed.walletIds.length && wallet)
          await deps.audit.append(tx, [
            { kind: 'admin.wallet_status_set', actorId: adminId, subjectId: wallet.userId, details: { walletId, status } },
          ]);
        return { wallet, events: changed.events };
      });
      await deps.outbox.publishCommitted(events);
      return wallet;
    },

    listen: () => cache.listen(),
    whenCaching: () => cache.whenCaching(),
  };
}
