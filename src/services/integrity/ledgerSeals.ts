// The ledger's integrity proof. The database keeps the ledger honest against the application
// (append-only triggers, the zero-sum check, privileges: docs/ledger.md), but a superuser can
// disable triggers. So a job seals entries after the fact: in id order, each entry gets a keyed
// digest (HMAC-SHA256 of its fields, first 16 bytes) and each batch a seal, an HMAC chained from
// the previous seal over the batch's range and digests, with a key derived from the vault's
// fingerprint key that the database never holds. `verify` (`npm run ledger:verify`) recomputes
// everything and names the first entry changed, removed or inserted since it was sealed, or the
// seal that no longer fits. Nothing of this runs on the transfer path.
//
// Only entries older than a margin are sealed: an entry's id is taken when its transaction
// inserts it, and that transaction may commit a moment later, so sealing up to the newest id could
// pass over a lower id still to appear. Transactions that write entries last milliseconds (one
// posting call) to seconds (an interactive one, bounded by its timeout), far below the margin.
import { createHmac, hkdfSync } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.js';

/** Sealing work is one process's at a time, across the cluster (a transaction-scoped advisory lock). */
const SEAL_LOCK = 7_202_612_040_001n;
const DIGEST_BYTES = 16;
const GENESIS = Buffer.alloc(32);

export interface LedgerBreak {
  /** The entry (or, for a seal that no longer fits, the seal's last entry). */
  entryId: bigint;
  problem: string;
}

export interface LedgerSeals {
  /** Seals every entry older than `olderThanSeconds`, `batch` per seal; the number sealed. */
  seal(options?: { olderThanSeconds?: number; batch?: number }): Promise<number>;
  /** Recomputes every seal and digest from the entries; null when all fit. */
  verify(progress?: (checked: number) => void): Promise<{ checked: number; unsealed: number; broken: LedgerBreak | null }>;
}

interface EntryRow {
  id: bigint;
  transaction_id: string;
  wallet_id: string;
  currency: string;
  amount: bigint;
  balance_after: bigint;
  sequence: bigint;
  created_at: Date;
}

const ENTRY_COLUMNS = 'id, transaction_id::text, wallet_id::text, currency, amount, balance_after, sequence, created_at';

export function createLedgerSeals(deps: { prisma: PrismaClient; fingerprintKey: Buffer }): LedgerSeals {
  const { prisma } = deps;
  const key = Buffer.from(hkdfSync('sha256', deps.fingerprintKey, Buffer.alloc(0), 'wallet ledger seal v1', 32));

  const digestOf = (e: EntryRow) =>
    createHmac('sha256', key)
      .update(
        [e.id, e.transaction_id, e.wallet_id, e.currency.trim(), e.amount, e.balance_after, e.sequence, e.created_at.toISOString()].join(
          '|',
        ),
      )
      .digest()
      .subarray(0, DIGEST_BYTES);

  const sealHashOf = (prev: Buffer, first: bigint, last: bigint, digests: { id: bigint; digest: Buffer }[]) => {
    const mac = createHmac('sha256', key).update(prev).update(`${first}|${last}|${digests.length}`);
    for (const d of digests) mac.update(`|${d.id}:`).update(d.digest);
    return mac.digest();
  };

  return {
    async seal({ olderThanSeconds = 60, batch = 5000 } = {}) {
      let sealed = 0;
      for (;;) {
        const done = await prisma.$transaction(
          async (tx) => {
            const [locked] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SEAL_LOCK}) AS ok`;
            if (!locked!.ok) return 0;
            const [last] = await tx.$queryRaw<{ last_entry_id: bigint; hash: Uint8Array }[]>`
              SELECT last_entry_id, hash FROM ledger_seals ORDER BY id DESC LIMIT 1`;
            const after = last?.last_entry_id ?? 0n;
            const entries = await tx.$queryRawUnsafe<EntryRow[]>(
              `SELECT ${ENTRY_COLUMNS} FROM ledger_entries
               WHERE id > $1 AND id <= (SELECT max(id) FROM ledger_entries WHERE created_at < now() - make_interval(secs => $2))
               ORDER BY id LIMIT $3`,
              after,
              olderThanSeconds,
              batch,
            );
            if (!entries.length) return 0;
            const digests = entries.map((e) => ({ id: e.id, digest: digestOf(e) }));
            const first = after + 1n;
            const lastId = entries.at(-1)!.id;
            const prev = last ? Buffer.from(last.hash) : GENESIS;
            const hash = sealHashOf(prev, first, lastId, digests);
            await tx.$executeRaw`
              WITH written AS (
                INSERT INTO ledger_entry_digests (entry_id, digest)
                SELECT d.id, decode(d.digest, 'hex')
                FROM jsonb_to_recordset(${JSON.stringify(digests.map((d) => ({ id: d.id.toString(), digest: d.digest.toString('hex') })))}::jsonb)
                  AS d(id BIGINT, digest TEXT)
              )
              INSERT INTO ledger_seals (first_entry_id, last_entry_id, entries, prev_hash, hash)
              VALUES (${first}, ${lastId}, ${entries.length}, decode(${prev.toString('hex')}, 'hex'), decode(${hash.toString('hex')}, 'hex'))`;
            return entries.length;
          },
          { timeout: 60_000 },
        );
        sealed += done;
        if (done < batch) return sealed;
      }
    },

    async verify(progress) {
      const seals = await prisma.ledgerSeal.findMany({ orderBy: { id: 'asc' } });
      let prev: Buffer = GENESIS;
      let expectedFirst = 1n;
      let checked = 0;
      for (const seal of seals) {
        if (seal.firstEntryId !== expectedFirst || !Buffer.from(seal.prevHash).equals(prev)) {
          return {
            checked,
            unsealed: 0,
            broken: { entryId: seal.firstEntryId, problem: `starts a seal (${seal.id}) that does not follow the one before it` },
          };
        }
        const [entries, digests] = await Promise.all([
          prisma.$queryRawUnsafe<EntryRow[]>(
            `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE id BETWEEN $1 AND $2 ORDER BY id`,
            seal.firstEntryId,
            seal.lastEntryId,
          ),
          prisma.ledgerEntryDigest.findMany({
            where: { entryId: { gte: seal.firstEntryId, lte: seal.lastEntryId } },
            orderBy: { entryId: 'asc' },
          }),
        ]);
        const byId = new Map(digests.map((d) => [d.entryId, Buffer.from(d.digest)]));
        for (const e of entries) {
          const stored = byId.get(e.id);
          if (!stored) return { checked, unsealed: 0, broken: { entryId: e.id, problem: 'was inserted after its range was sealed' } };
          if (!stored.equals(digestOf(e)))
            return {
              checked,
              unsealed: 0,
              broken: { entryId: e.id, problem: 'was changed after it was sealed (its digest does not match its fields)' },
            };
          byId.delete(e.id);
          checked += 1;
        }
        const removed = [...byId.keys()].sort((a, b) => (a < b ? -1 : 1))[0];
        if (removed !== undefined)
          return { checked, unsealed: 0, broken: { entryId: removed, problem: 'was removed after it was sealed' } };
        const recomputed = sealHashOf(
          prev,
          seal.firstEntryId,
          seal.lastEntryId,
          digests.map((d) => ({ id: d.entryId, digest: Buffer.from(d.digest) })),
        );
        if (digests.length !== seal.entries || !recomputed.equals(Buffer.from(seal.hash)))
          return {
            checked,
            unsealed: 0,
            broken: { entryId: seal.lastEntryId, problem: `ends a seal (${seal.id}) whose digests were changed` },
          };
        prev = recomputed;
        expectedFirst = seal.lastEntryId + 1n;
        progress?.(checked);
      }
      const [rest] = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM ledger_entries WHERE id >= ${expectedFirst}`;
      return { checked, unsealed: Number(rest!.n), broken: null };
    },
  };
}
