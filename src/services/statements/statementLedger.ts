// What statements read from the ledger (they never write it): a period's range of a wallet's
// entries, its figures, and its lines in sequence order, a page at a time.
//
// A period [startsAt, endsAt) is turned into a range of the wallet's entry sequence numbers:
// opening = the last entry written before startsAt, closing = the last written before endsAt (by
// the entry's own clock, as balanceAt reads it). The lines are the entries after opening up to
// closing. Sequences are gapless per wallet and every entry carries the balance after it, so
// opening balance + the lines' amounts = closing balance holds by construction, exactly, and
// reading the lines is a keyset scan of the (wallet_id, sequence) index: no OFFSET, no cursor held
// open, the same cost per page at any depth.
import { big, type Sql } from '../../db/sql.js';
import { counterpartyName } from '../history/history.js';
import type { TransactionType } from '../ledger/ledger.js';

export interface StatementRange {
  walletId: string;
  /** The last entry before the period (0: none); its balance is the opening balance. */
  openingSequence: bigint;
  /** The last entry in the period (equal to openingSequence when the period has no lines). */
  closingSequence: bigint;
}

export interface StatementFigures extends StatementRange {
  openingBalance: bigint;
  closingBalance: bigint;
  /** Credits other than fees. */
  totalIn: bigint;
  /** Debits other than fees, as a positive amount. */
  totalOut: bigint;
  /** FEE transactions taken from the wallet (net), as a positive amount. */
  totalFees: bigint;
  lineCount: number;
}

export interface StatementLine {
  sequence: bigint;
  transactionId: string;
  /** When the wallet's entry was written. */
  createdAt: Date;
  type: TransactionType;
  counterparty: string;
  note: string | null;
  /** Signed minor units: negative takes money out of the wallet. */
  amount: bigint;
  balanceAfter: bigint;
}

/** Where a line's amount counts in a statement's totals. */
export const lineTotal = (line: Pick<StatementLine, 'type' | 'amount'>): 'in' | 'out' | 'fees' =>
  line.type === 'FEE' ? 'fees' : line.amount > 0n ? 'in' : 'out';

interface FiguresRow {
  opening_sequence: string;
  closing_sequence: string;
  opening_balance: string;
  closing_balance: string;
  total_in: string;
  total_out: string;
  total_fees: string;
}

// $2: the opening sequence when it is known (a monthly statement continues its predecessor's
// range), else the last entry before $3.
const FIGURES_SQL = `
  WITH bounds AS (
    SELECT coalesce($2::bigint, (SELECT e.sequence FROM ledger_entries e WHERE e.wallet_id = $1::uuid AND e.created_at < $3
                                 ORDER BY e.created_at DESC, e.sequence DESC LIMIT 1), 0) AS opening,
           coalesce((SELECT e.sequence FROM ledger_entries e WHERE e.wallet_id = $1::uuid AND e.created_at < $4
                     ORDER BY e.created_at DESC, e.sequence DESC LIMIT 1), 0) AS closing_read
  ), range AS (
    SELECT opening, greatest(opening, closing_read) AS closing FROM bounds
  )
  SELECT r.opening AS opening_sequence, r.closing AS closing_sequence,
         coalesce((SELECT balance_after FROM ledger_entries WHERE wallet_id = $1::uuid AND sequence = r.opening), 0) AS opening_balance,
         coalesce((SELECT balance_after FROM ledger_entries WHERE wallet_id = $1::uuid AND sequence = r.closing), 0) AS closing_balance,
         t.total_in, t.total_out, t.total_fees
  FROM range r, LATERAL (
    SELECT coalesce(sum(e.amount) FILTER (WHERE tx.type <> 'FEE' AND e.amount > 0), 0) AS total_in,
           coalesce(-sum(e.amount) FILTER (WHERE tx.type <> 'FEE' AND e.amount < 0), 0) AS total_out,
           coalesce(-sum(e.amount) FILTER (WHERE tx.type = 'FEE'), 0) AS total_fees
    FROM ledger_entries e JOIN ledger_transactions tx ON tx.id = e.transaction_id
    WHERE e.wallet_id = $1::uuid AND e.sequence > r.opening AND e.sequence <= r.closing
  ) t`;

const LINES_SQL = `
  SELECT e.sequence, e.transaction_id::text AS transaction_id, e.created_at, e.amount, e.balance_after,
         t.type::text AS type, t.note, cw.kind::text AS cp_kind, cw.system_code AS cp_system,
         coalesce(cu.display_name, cm.name) AS cp_name
  FROM ledger_entries e
  JOIN ledger_transactions t ON t.id = e.transaction_id
  JOIN wallets cw ON cw.id = CASE WHEN e.amount < 0 THEN t.to_wallet_id ELSE t.from_wallet_id END
  LEFT JOIN users cu ON cu.id = cw.user_id
  LEFT JOIN merchants cm ON cm.id = cw.merchant_id
  WHERE e.wallet_id = $1::uuid AND e.sequence > $2 AND e.sequence <= $3
  ORDER BY e.sequence
  LIMIT $4`;

interface LineRow {
  sequence: string;
  transaction_id: string;
  created_at: Date;
  amount: string;
  balance_after: string;
  type: TransactionType;
  note: string | null;
  cp_kind: 'USER' | 'SYSTEM' | 'MERCHANT';
  cp_system: string | null;
  cp_name: string | null;
}

const toLine = (r: LineRow): StatementLine => ({
  sequence: big(r.sequence),
  transactionId: r.transaction_id,
  createdAt: r.created_at,
  type: r.type,
  counterparty: counterpartyName(r.cp_kind, r.cp_kind === 'SYSTEM' ? r.cp_system : r.cp_name),
  note: r.note,
  amount: big(r.amount),
  balanceAfter: big(r.balance_after),
});

/**
 * Lines read per query when streaming: enough to amortise the round trip, few enough that a page
 * dies young (2,000 rows lived through many scavenges and filled the old generation with garbage:
 * the server's RSS grew while its live heap did not; 250 kept both flat and was no slower).
 */
export const STREAM_PAGE_SIZE = 250;

export interface StatementLedger {
  /** The figures of [startsAt, endsAt), or of the range after `openingSequence` up to endsAt. */
  figures(walletId: string, period: { startsAt: Date; endsAt: Date; openingSequence?: bigint }): Promise<StatementFigures>;
  /** Up to `limit` lines after `afterSequence`, within the range, in sequence order. */
  page(range: StatementRange, afterSequence: bigint, limit: number): Promise<StatementLine[]>;
  /** Every line of the range in order, read a page at a time as the consumer asks for them. */
  lines(range: StatementRange, pageSize?: number): AsyncIterable<StatementLine>;
}

export function createStatementLedger(sql: Sql): StatementLedger {
  const page: StatementLedger['page'] = async (range, afterSequence, limit) => {
    const from = afterSequence > range.openingSequence ? afterSequence : range.openingSequence;
    if (from >= range.closingSequence) return [];
    const rows = await sql.query<LineRow>(LINES_SQL, [range.walletId, from, range.closingSequence, limit], 'statement_lines');
    return rows.map(toLine);
  };
  return {
    async figures(walletId, period) {
      const [row] = await sql.query<FiguresRow>(
        FIGURES_SQL,
        [walletId, period.openingSequence ?? null, period.startsAt, period.endsAt],
        'statement_figures',
      );
      const r = row!;
      const openingSequence = big(r.opening_sequence);
      const closingSequence = big(r.closing_sequence);
      return {
        walletId,
        openingSequence,
        closingSequence,
        openingBalance: big(r.opening_balance),
        closingBalance: big(r.closing_balance),
        totalIn: big(r.total_in),
        totalOut: big(r.total_out),
        totalFees: big(r.total_fees),
        lineCount: Number(closingSequence - openingSequence),
      };
    },
    page,
    async *lines(range, pageSize = STREAM_PAGE_SIZE) {
      let after = range.openingSequence;
      for (;;) {
        const rows = await page(range, after, pageSize);
        yield* rows;
        if (rows.length < pageSize) return;
        after = rows.at(-1)!.sequence;
      }
    },
  };
}
