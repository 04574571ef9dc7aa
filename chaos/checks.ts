// What must hold after every fault, checked once the workload has paused and its in-flight
// retries have settled. The ledger is read straight from the suite's PostgreSQL (not through the
// proxy), the API through the server, and the workload's and subscribers' own records say what
// clients were told and what they saw.
//
// Money here moves only by ADJUSTMENT (the admin's funding: ADJUSTMENTS system wallet → user) and
// P2P_TRANSFER (user → user), each one ledger_transactions row with two entries, keyed by
// (initiated_by, idempotency_key) and answered through idempotency_keys (user_id, key) →
// transaction_id (prisma/schema.prisma, docs/ledger.md).
import { spawn } from 'node:child_process';
import type pg from 'pg';
import { post, usd } from './api.js';
import type { Person } from './people.js';
import type { PostgresCluster } from './postgres.js';
import type { Subscriber } from './subscribers.js';
import type { TransferOutcome } from './workload.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });
const fail = (name: string, detail: string): Check => ({ name, ok: false, detail });
const n = (v: number) => v.toLocaleString('en-US');

/** Money: every wallet of a currency sums to zero, users hold exactly what the admin put in. */
async function moneyConserved(sql: pg.Client, fundedCents: bigint): Promise<Check> {
  const name = 'money conserved';
  const { rows } = await sql.query<{ currency: string; kind: string; code: string; total: string }>(
    `SELECT currency, kind::text, coalesce(system_code, '') AS code, sum(posted_balance)::text AS total FROM wallets GROUP BY 1, 2, 3`,
  );
  const all = rows.filter((r) => r.currency === 'USD').reduce((s, r) => s + BigInt(r.total), 0n);
  const users = rows.filter((r) => r.currency === 'USD' && r.kind === 'USER').reduce((s, r) => s + BigInt(r.total), 0n);
  const adjustments = rows.filter((r) => r.currency === 'USD' && r.code === 'ADJUSTMENTS').reduce((s, r) => s + BigInt(r.total), 0n);
  const others = rows.filter((r) => r.currency !== 'USD' && BigInt(r.total) !== 0n);
  const detail = `all USD wallets sum to ${usd0(all)}, users hold ${usd0(users)} (funded ${usd0(fundedCents)}), ADJUSTMENTS ${usd0(adjustments)}`;
  const ok = all === 0n && users === fundedCents && adjustments === -fundedCents && others.length === 0;
  return ok ? pass(name, detail) : fail(name, `${detail}${others.length ? `; other currencies not zero: ${JSON.stringify(others)}` : ''}`);
}

const usd0 = (cents: bigint) => `${cents < 0n ? '-' : ''}${usd(Number(cents < 0n ? -cents : cents))}`;

async function noNegative(sql: pg.Client): Promise<Check> {
  const name = 'no negative user balance';
  const { rows } = await sql.query<{ id: string; posted: string; held: string }>(
    `SELECT id::text, posted_balance::text AS posted, held_amount::text AS held FROM wallets
     WHERE kind = 'USER' AND (posted_balance < 0 OR posted_balance - held_amount < 0)`,
  );
  return rows.length
    ? fail(name, `${rows.length} wallet(s) below zero: ${JSON.stringify(rows.slice(0, 3))}`)
    : pass(name, 'every user wallet ≥ 0 (posted and available)');
}

/** Every acknowledged transfer is one transaction with its key, amount and parties, and its key's answer points at it. */
async function ackedOnce(sql: pg.Client, acked: TransferOutcome[]): Promise<Check> {
  const name = 'acknowledged transfers exist exactly once';
  if (!acked.length) return pass(name, 'no transfer acknowledged yet');
  const { rows } = await sql.query<{ key: string; transactions: number; matching: number; answer: string | null }>(
    `WITH acked AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::uuid[], $6::uuid[])
         AS a(user_id, key, transfer_id, amount, from_wallet, to_wallet))
     SELECT a.key,
            count(t.id)::int AS transactions,
            count(t.id) FILTER (WHERE t.id = a.transfer_id AND t.amount = a.amount AND t.from_wallet_id = a.from_wallet
                                 AND t.to_wallet_id = a.to_wallet AND t.type = 'P2P_TRANSFER' AND t.status = 'POSTED')::int AS matching,
            (SELECT k.transaction_id::text FROM idempotency_keys k WHERE k.user_id = a.user_id AND k.key = a.key) AS answer
     FROM acked a LEFT JOIN ledger_transactions t ON t.initiated_by = a.user_id AND t.idempotency_key = a.key
     GROUP BY a.user_id, a.key, a.transfer_id
     HAVING count(t.id) <> 1
         OR count(t.id) FILTER (WHERE t.id = a.transfer_id AND t.amount = a.amount AND t.from_wallet_id = a.from_wallet
                                 AND t.to_wallet_id = a.to_wallet AND t.type = 'P2P_TRANSFER' AND t.status = 'POSTED') <> 1
         OR (SELECT k.transaction_id FROM idempotency_keys k WHERE k.user_id = a.user_id AND k.key = a.key) IS DISTINCT FROM a.transfer_id`,
    [
      acked.map((o) => o.sender.userId),
      acked.map((o) => o.key),
      acked.map((o) => o.transferId!),
      acked.map((o) => String(o.cents)),
      acked.map((o) => o.sender.walletUuid),
      acked.map((o) => o.recipient.walletUuid),
    ],
  );
  return rows.length
    ? fail(
        name,
        `${rows.length} of ${n(acked.length)} acknowledged transfer(s) missing, doubled or different: ${JSON.stringify(rows.slice(0, 3))}`,
      )
    : pass(name, `${n(acked.length)} acknowledged transfers, each exactly once with its amount, parties and key`);
}

async function refusedMovedNothing(sql: pg.Client, refused: TransferOutcome[]): Promise<Check> {
  const name = 'refused transfers moved nothing';
  if (!refused.length) return pass(name, 'no transfer refused');
  const { rows } = await sql.query<{ key: string }>(
    `SELECT t.idempotency_key AS key FROM ledger_transactions t
     JOIN unnest($1::uuid[], $2::text[]) AS r(user_id, key) ON t.initiated_by = r.user_id AND t.idempotency_key = r.key`,
    [refused.map((o) => o.sender.userId), refused.map((o) => o.key)],
  );
  const codes = countBy(refused.map((o) => o.code ?? '?'));
  return rows.length
    ? fail(
        name,
        `${rows.length} refused transfer(s) have a transaction: ${rows
          .slice(0, 3)
          .map((r) => r.key)
          .join(', ')}`,
      )
    : pass(name, `${n(refused.length)} refused (${formatCounts(codes)}), none moved money`);
}

async function noDoubleKeys(sql: pg.Client): Promise<Check> {
  const name = 'no key produced two transactions';
  const { rows } = await sql.query<{ initiated_by: string; key: string; count: number }>(
    `SELECT initiated_by::text, idempotency_key AS key, count(*)::int AS count FROM ledger_transactions
     WHERE idempotency_key IS NOT NULL AND type IN ('P2P_TRANSFER', 'ADJUSTMENT')
     GROUP BY 1, 2 HAVING count(*) > 1`,
  );
  const { rows: total } = await sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM ledger_transactions`);
  return rows.length
    ? fail(name, `${rows.length} key(s) with several transactions: ${JSON.stringify(rows.slice(0, 3))}`)
    : pass(name, `${n(total[0]!.count)} transactions, one per key`);
}

/** Keys without a definite answer: a failure of the API to recover; in the ledger at most once. */
async function everyTransferAnswered(sql: pg.Client, unresolved: TransferOutcome[]): Promise<Check> {
  const name = 'every transfer got a definite answer';
  if (!unresolved.length) return pass(name, 'every transfer was acknowledged or refused before its deadline');
  const { rows } = await sql.query<{ key: string; count: number }>(
    `SELECT r.key, count(t.id)::int AS count FROM unnest($1::uuid[], $2::text[]) AS r(user_id, key)
     LEFT JOIN ledger_transactions t ON t.initiated_by = r.user_id AND t.idempotency_key = r.key GROUP BY r.key`,
    [unresolved.map((o) => o.sender.userId), unresolved.map((o) => o.key)],
  );
  const posted = rows.filter((r) => r.count === 1).length;
  const lastCodes = countBy(unresolved.map((o) => o.code ?? '?'));
  return fail(
    name,
    `${unresolved.length} transfer(s) still failing after ${Math.round((unresolved[0]!.endedAt - unresolved[0]!.startedAt) / 1000)} s of retries (last: ${formatCounts(lastCodes)}); ${posted} of them posted in the ledger`,
  );
}

export interface SubscriberMark {
  /** Sequence up to which the subscriber was checked, and how many events and incidents it had then. */
  sequence: number;
  events: number;
  incidents: number;
}

/**
 * Each subscriber received every change of its wallet since the last check exactly once, in
 * order, and each event is the ledger entry of that sequence (same transaction).
 */
async function subscribersComplete(sql: pg.Client, subscribers: Subscriber[], marks: Map<Subscriber, SubscriberMark>): Promise<Check> {
  const name = 'subscribers got every change once, in order';
  const problems: string[] = [];
  let delivered = 0;
  for (const s of subscribers) {
    const mark = marks.get(s) ?? { sequence: 0, events: 0, incidents: 0 };
    const { rows } = await sql.query<{ sequence: string; transaction_id: string }>(
      // pg returns bigint as a string; a ::text cast here would make ORDER BY sort the text ("10" < "9").
      `SELECT sequence, transaction_id::text FROM ledger_entries WHERE wallet_id = $1::uuid AND sequence > $2 ORDER BY sequence`,
      [s.person.walletUuid, mark.sequence],
    );
    const expected = rows.map((r) => ({ sequence: Number(r.sequence), transactionId: r.transaction_id }));
    const got = s.events.slice(mark.events);
    delivered += got.length;
    const label = `subscriber ${s.person.index + 1}`;
    const seen = new Set<number>();
    let repeats = 0;
    let outOfOrder = 0;
    let previous = mark.sequence;
    for (const e of got) {
      if (seen.has(e.sequence) || e.sequence <= mark.sequence) repeats += 1;
      else if (e.sequence !== previous + 1) outOfOrder += 1;
      seen.add(e.sequence);
      previous = Math.max(previous, e.sequence);
    }
    const missing = expected.filter((e) => !seen.has(e.sequence)).map((e) => e.sequence);
    const byTx = new Map(expected.map((e) => [e.sequence, e.transactionId]));
    const wrong = got.filter((e) => byTx.has(e.sequence) && byTx.get(e.sequence) !== e.transactionId).length;
    if (missing.length)
      problems.push(
        `${label}: ${missing.length} change(s) missing (sequences ${compactRanges(missing)}; wallet at ${expected.at(-1)?.sequence ?? mark.sequence}, last received ${s.last}, ${s.connected ? 'connected' : 'not connected'})`,
      );
    if (repeats) problems.push(`${label}: ${repeats} repeated event(s)`);
    if (outOfOrder) problems.push(`${label}: ${outOfOrder} event(s) out of order or after a gap`);
    if (wrong) problems.push(`${label}: ${wrong} event(s) name another transaction than the ledger entry of their sequence`);
    if (missing.length || repeats || outOfOrder || wrong) {
      const incidents = s.incidents.slice(mark.incidents).filter((i) => !i.what.startsWith('close'));
      if (incidents.length) problems.push(`${label} saw meanwhile: ${formatCounts(countBy(incidents.map((i) => i.what)))}`);
    }
    marks.set(s, {
      sequence: Math.max(mark.sequence, expected.at(-1)?.sequence ?? mark.sequence),
      events: s.events.length,
      incidents: s.incidents.length,
    });
  }
  return problems.length
    ? fail(name, problems.join('; '))
    : pass(name, `${n(delivered)} events to ${subscribers.length} subscribers, none missing, repeated or out of order`);
}

async function outboxDrained(sql: pg.Client): Promise<Check> {
  const name = 'outbox drained';
  const { rows } = await sql.query<{ count: number; oldest: string | null }>(
    `SELECT count(*)::int AS count, min(created_at)::text AS oldest FROM outbox_events`,
  );
  const { count, oldest } = rows[0]!;
  return count ? fail(name, `${count} event(s) still unpublished (oldest written ${oldest})`) : pass(name, 'no event left unpublished');
}

/** Every user's balance read through the API equals the ledger's. */
async function apiMatchesLedger(sql: pg.Client, url: string, people: Person[]): Promise<Check> {
  const name = 'API shows the ledger balances';
  const { rows } = await sql.query<{ id: string; posted: string }>(
    `SELECT id::text, posted_balance::text AS posted FROM wallets WHERE id = ANY($1::uuid[])`,
    [people.map((p) => p.walletUuid)],
  );
  const ledger = new Map(rows.map((r) => [r.id, usd(Number(r.posted))]));
  const problems: string[] = [];
  for (const p of people) {
    const answer = await post(
      url,
      `query ChaosMyWallet { me { wallets { id balance { posted { amount } } } } }`,
      {},
      { token: await p.token(), timeoutMs: 15_000 },
    );
    if (!answer.ok) {
      problems.push(`user ${p.index + 1}: ${answer.code}`);
      continue;
    }
    const wallets = (answer.data.me as { wallets: { id: string; balance: { posted: { amount: string } } }[] }).wallets;
    const shown = wallets.find((w) => w.id === p.walletId)?.balance.posted.amount;
    if (shown !== ledger.get(p.walletUuid)) problems.push(`user ${p.index + 1}: API ${shown}, ledger ${ledger.get(p.walletUuid)}`);
  }
  return problems.length
    ? fail(name, problems.slice(0, 4).join('; '))
    : pass(name, `${people.length} balances read through the API equal the ledger`);
}

/** `npm run ledger:audit` on the suite's database (directly, not through the proxy). */
export async function ledgerAudit(repoRoot: string, databaseUrl: string): Promise<Check> {
  const name = 'ledger audit exits 0';
  const started = Date.now();
  const env = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]),
  );
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'ledger:audit'], {
      cwd: repoRoot,
      env: { ...env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ code: null, output: err.message }));
    child.on('close', (code) => resolve({ code, output }));
  });
  const lines = output.trim().split('\n').filter(Boolean);
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (code === 0) return pass(name, `${lines.find((l) => l.startsWith('checked')) ?? 'OK'} (${took})`);
  return fail(name, `exit ${code}: ${lines.slice(-6).join(' | ')}`);
}

export interface LedgerCheckInput {
  postgres: PostgresCluster;
  url: string;
  people: Person[];
  fundedCents: bigint;
  outcomes: TransferOutcome[];
  subscribers: Subscriber[];
  marks: Map<Subscriber, SubscriberMark>;
}

/** The checks on the ledger, the idempotency keys, the subscribers and the API's view (not the audit). */
export async function ledgerChecks(input: LedgerCheckInput): Promise<Check[]> {
  const { outcomes } = input;
  return input.postgres.withSql(async (sql) => [
    await moneyConserved(sql, input.fundedCents),
    await noNegative(sql),
    await ackedOnce(
      sql,
      outcomes.filter((o) => o.status === 'acked'),
    ),
    await refusedMovedNothing(
      sql,
      outcomes.filter((o) => o.status === 'refused'),
    ),
    await noDoubleKeys(sql),
    await everyTransferAnswered(
      sql,
      outcomes.filter((o) => o.status === 'unresolved'),
    ),
    await subscribersComplete(sql, input.subscribers, input.marks),
    await outboxDrained(sql),
    await apiMatchesLedger(sql, input.url, input.people),
  ]);
}

/** Whether every subscriber has caught up with its wallet and the outbox is empty (the settle condition). */
export async function settled(
  postgres: PostgresCluster,
  subscribers: Subscriber[],
): Promise<{ done: boolean; behind: number; outbox: number }> {
  return postgres.withSql(async (sql) => {
    const { rows } = await sql.query<{ id: string; sequence: string }>(
      `SELECT id::text, sequence::text FROM wallets WHERE id = ANY($1::uuid[])`,
      [subscribers.map((s) => s.person.walletUuid)],
    );
    const sequences = new Map(rows.map((r) => [r.id, Number(r.sequence)]));
    const behind = subscribers.filter((s) => s.last < (sequences.get(s.person.walletUuid) ?? 0)).length;
    const outbox = (await sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM outbox_events`)).rows[0]!.count;
    return { done: behind === 0 && outbox === 0, behind, outbox };
  });
}

export function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([k, v]) => `${k} ×${n(v)}`).join(', ') : 'none';
}

function compactRanges(values: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length && parts.length < 6; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(i === j ? String(values[i]) : `${values[i]}–${values[j]}`);
    i = j + 1;
  }
  return parts.join(', ') + (values.length > 0 && parts.length >= 6 ? ', …' : '');
}
