// Benchmark data, made fast and without shortcuts in what is measured later. Users, their USD
// wallets and sessions are inserted with set-based SQL (one precomputed argon2 hash for all, so
// 10,000 accounts take seconds instead of 10,000 sign-ups); all money moves through the ledger's
// own posting function, wallet_post_transfers, in batches, so balances, entries, sequences and
// idempotency keys are exactly what the product would have written. Access tokens are issued
// with the product's own token code and the server's secret; the server then checks each one
// (signature and live session) on every request as usual.
//
// The outbox events that setup writes are deleted after each batch: no client is subscribed
// while the data is made, so this is what the product's own housekeeping would do once the
// retention period passed, and the relay does not replay thousands of setup events into the
// measurement.
import type pg from 'pg';
import { createAccessTokens } from '../src/services/auth/accessTokens.js';
import { hashPassword } from '../src/services/auth/passwords.js';
import type { TransferRequest } from '../src/services/ledger/ledger.js';
import type { Progress } from './progress.js';

export const BENCH_PASSWORD = 'bench-Wallet-2026!';
export const CURRENCY = 'USD';
/** Long enough for any one scenario; the server checks expiry like any other token's. */
const TOKEN_TTL_SECONDS = 4 * 3600;
const INSERT_CHUNK = 2000;

export interface BenchUser {
  userId: string;
  sessionId: string;
  walletId: string;
  email: string;
}

/** A request to wallet_post_transfers in its JSON shape: the ledger's request with the amount as a string. */
export type PostingRequest = Omit<TransferRequest, 'amount' | 'note' | 'metadata' | 'initiatedBy'> & {
  /** Positive minor units, as a string. */
  amount: string;
  note: string | null;
  metadata: Record<string, unknown>;
  initiatedBy: string | null;
};

let passwordHash: Promise<string> | undefined;

/** Creates `count` users, each with a session (30 days) and an empty USD wallet. */
export async function createUsers(sql: pg.Client, label: string, count: number, progress: Progress): Promise<BenchUser[]> {
  passwordHash ??= hashPassword(BENCH_PASSWORD);
  const hash = await passwordHash;
  const users: BenchUser[] = [];
  for (let from = 1; from <= count; from += INSERT_CHUNK) {
    const to = Math.min(count, from + INSERT_CHUNK - 1);
    const created = await sql.query<{ id: string; email: string }>(
      `INSERT INTO users (email, password_hash, display_name)
       SELECT 'bench.' || $1 || '.' || i || '@bench.wallet', $2, 'Bench ' || initcap($1) || ' ' || i
       FROM generate_series($3::int, $4::int) AS i
       ORDER BY i
       RETURNING id::text, email`,
      [label, hash, from, to],
    );
    const ids = created.rows.map((r) => r.id);
    const wallets = await sql.query<{ id: string; user_id: string }>(
      `INSERT INTO wallets (kind, user_id, currency) SELECT 'USER', u, $2 FROM unnest($1::uuid[]) AS u
       RETURNING id::text, user_id::text`,
      [ids, CURRENCY],
    );
    const sessions = await sql.query<{ id: string; user_id: string }>(
      `INSERT INTO sessions (user_id, user_agent, ip, expires_at)
       SELECT u, 'wallet-bench', '127.0.0.1', now() + interval '30 days' FROM unnest($1::uuid[]) AS u
       RETURNING id::text, user_id::text`,
      [ids],
    );
    const walletOf = new Map(wallets.rows.map((w) => [w.user_id, w.id]));
    const sessionOf = new Map(sessions.rows.map((s) => [s.user_id, s.id]));
    for (const u of created.rows)
      users.push({ userId: u.id, email: u.email, walletId: walletOf.get(u.id)!, sessionId: sessionOf.get(u.id)! });
    progress.count(`creating ${label} users, wallets and sessions`, to, count);
  }
  return users;
}

/**
 * Posts `count` requests (made on demand by `requestAt`) through wallet_post_transfers,
 * `batchSize` per call: one round trip and one commit each. Fails on any refusal, since setup
 * must leave exactly the data it describes.
 */
export async function postTransfers(
  sql: pg.Client,
  count: number,
  requestAt: (index: number) => PostingRequest,
  options: { batchSize: number; label: string; progress: Progress },
): Promise<void> {
  for (let from = 0; from < count; from += options.batchSize) {
    const batch: PostingRequest[] = [];
    for (let i = from; i < Math.min(count, from + options.batchSize); i++) batch.push(requestAt(i));
    const { rows } = await sql.query<{
      result: { results: { ok: boolean; code?: string; message?: string }[]; events: { id: string | number }[] };
    }>('SELECT wallet_post_transfers($1::jsonb) AS result', [JSON.stringify(batch)]);
    const { results, events } = rows[0]!.result;
    const refused = results.find((r) => !r.ok);
    if (refused) throw new Error(`setup transfer refused while ${options.label}: ${refused.code} ${refused.message}`);
    if (events.length) await sql.query('DELETE FROM outbox_events WHERE id = ANY($1::bigint[])', [events.map((e) => String(e.id))]);
    options.progress.count(options.label, from + batch.length, count);
  }
}

/** Credits each wallet with `amountMinor` from the PROMOTIONS system wallet (type ADJUSTMENT). */
export async function fundWallets(sql: pg.Client, users: BenchUser[], amountMinor: bigint, progress: Progress): Promise<void> {
  const request = (u: BenchUser): PostingRequest => ({
    userId: u.userId,
    key: `bench-funding-${amountMinor}`,
    operation: 'benchFunding',
    hash: `bench-funding-${CURRENCY}-${amountMinor}`,
    type: 'ADJUSTMENT',
    currency: CURRENCY,
    amount: amountMinor.toString(),
    from: { system: 'PROMOTIONS' },
    to: { walletId: u.walletId },
    note: 'Benchmark funding',
    metadata: { reason: 'benchmark setup' },
    initiatedBy: null,
  });
  await postTransfers(sql, users.length, (i) => request(users[i]!), {
    batchSize: 100,
    label: `funding ${users.length.toLocaleString('en-US')} wallets`,
    progress,
  });
}

/** A P2P transfer between two bench users, as sendMoney would post it. */
export function p2pRequest(from: BenchUser, to: BenchUser, key: string, amountMinor: number, note: string | null = null): PostingRequest {
  return {
    userId: from.userId,
    key,
    operation: 'benchSetup',
    hash: key,
    type: 'P2P_TRANSFER',
    currency: CURRENCY,
    amount: String(amountMinor),
    from: { walletId: from.walletId },
    to: { walletId: to.walletId },
    note,
    metadata: { recipient: { walletId: to.walletId } },
    initiatedBy: from.userId,
  };
}

/** Access tokens for the users, signed with the server's secret and the product's claims. */
export async function issueTokens(users: BenchUser[], jwtSecret: string): Promise<string[]> {
  const tokens = createAccessTokens(jwtSecret, TOKEN_TTL_SECONDS);
  return Promise.all(users.map(async (u) => (await tokens.issue({ userId: u.userId, sessionId: u.sessionId, roles: ['USER'] })).token));
}

/** Each wallet's current sequence (its latest entry's number). */
export async function walletSequences(sql: pg.Client, walletIds: string[]): Promise<Map<string, bigint>> {
  const { rows } = await sql.query<{ id: string; sequence: string }>(
    'SELECT id::text, sequence::text FROM wallets WHERE id = ANY($1::uuid[])',
    [walletIds],
  );
  return new Map(rows.map((r) => [r.id, BigInt(r.sequence)]));
}

/**
 * The users every scenario shares and any extra groups a scenario asks for, made once per
 * benchmark run (they live in the database, which outlives each scenario's server).
 */
export class Seeder {
  private groups = new Map<string, BenchUser[]>();

  constructor(
    private readonly progress: Progress,
    private readonly populationSize: number,
  ) {}

  /** The shared population: funded users with 100,000.00 USD each. */
  population(sql: pg.Client): Promise<BenchUser[]> {
    return this.group(sql, 'pop', this.populationSize, 10_000_000n);
  }

  /** A named group of funded users, created on first use. */
  async group(sql: pg.Client, label: string, count: number, fundingMinor: bigint): Promise<BenchUser[]> {
    const known = this.groups.get(label);
    if (known) return known;
    const started = Date.now();
    const users = await createUsers(sql, label, count, this.progress);
    await fundWallets(sql, users, fundingMinor, this.progress);
    this.progress.say(`  ${label}: ${count.toLocaleString('en-US')} funded users ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    this.groups.set(label, users);
    return users;
  }
}
