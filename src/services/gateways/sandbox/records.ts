// The sandbox processors' side of the story (sandbox.movements): each movement by our reference,
// where it ends up, and when the money moved. Lookups and settlement reports read it, so they
// work across restarts, server processes and `npm run reconcile`.
import type { Sql } from '../../../db/sql.js';
import type { MovementState, MovementStatus, SettlementLine } from '../gateways.js';

export interface NewMovement {
  reference: string;
  provider: 'card' | 'bank';
  kind: 'charge' | 'debit' | 'credit' | 'refund';
  providerRef: string;
  state: MovementState;
  amount: bigint;
  currency: string;
  /** Milliseconds from now until the money moves; null if it never does. */
  settlesInMs: number | null;
}

export interface SandboxRecords {
  /** Records a movement unless one with that reference exists; returns the one that counts. */
  claim(movement: NewMovement): Promise<{ movement: MovementStatus; fresh: boolean }>;
  get(reference: string): Promise<MovementStatus | null>;
  /** Movements whose money moved on `day` (YYYY-MM-DD, UTC). */
  settledOn(provider: 'card' | 'bank', day: string): Promise<SettlementLine[]>;
}

interface Row {
  reference: string;
  provider_ref: string;
  kind: 'charge' | 'debit' | 'credit' | 'refund';
  state: MovementState;
  amount: string;
  currency: string;
}

const status = (r: Row): MovementStatus => ({
  providerRef: r.provider_ref,
  state: r.state,
  amount: BigInt(r.amount),
  currency: r.currency,
});

export function createSandboxRecords(sql: Sql): SandboxRecords {
  const COLUMNS = 'reference, provider_ref, kind, state, amount::text AS amount, currency';
  async function get(reference: string) {
    const [row] = await sql.query<Row>(`SELECT ${COLUMNS} FROM sandbox.movements WHERE reference = $1`, [reference]);
    return row ? status(row) : null;
  }
  return {
    get,
    async claim(m) {
      const [inserted] = await sql.query<Row>(
        `INSERT INTO sandbox.movements (reference, provider, kind, provider_ref, state, amount, currency, settled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::int IS NULL THEN NULL ELSE now() + make_interval(secs => $8::int / 1000.0) END)
         ON CONFLICT (reference) DO NOTHING
         RETURNING ${COLUMNS}`,
        [m.reference, m.provider, m.kind, m.providerRef, m.state, m.amount.toString(), m.currency, m.settlesInMs],
      );
      if (inserted) return { movement: status(inserted), fresh: true };
      return { movement: (await get(m.reference))!, fresh: false };
    },
    async settledOn(provider, day) {
      const rows = await sql.query<Row & { settled_at: Date }>(
        `SELECT ${COLUMNS}, settled_at FROM sandbox.movements
         WHERE provider = $1 AND settled_at >= $2::date AND settled_at < $2::date + 1 AND settled_at <= now()
         ORDER BY settled_at, reference`,
        [provider, day],
      );
      return rows.map((r) => ({ reference: r.reference, kind: r.kind, settledAt: r.settled_at, ...status(r) }));
    },
  };
}
