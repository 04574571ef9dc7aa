// Reading the ledger as a user sees it: a wallet's transactions newest first (keyset on the
// wallet's entry sequence, so page cost does not grow with depth), and one transaction seen
// from one of the viewer's wallets. The counterparty shows a display name; the email or phone a
// sender typed is shown back only to that sender (sealed in the row: sentRecipients.ts).
import { big, type Sql } from '../../db/sql.js';
import type { PostedTransfer, TransactionType } from '../ledger/ledger.js';
import type { WalletRecord } from '../wallets/wallets.js';
import type { SealedValues } from '../vault/sealedValues.js';
import { openRecipient } from './sentRecipients.js';
import { badUserInput } from '../errors.js';
import { parseAmount } from '../money/money.js';
import { decodeSequenceCursor, encodeSequenceCursor, toPage, type Page, type PageRequest } from '../pagination.js';

export type TransactionStatus = 'PENDING' | 'POSTED' | 'FAILED' | 'VOIDED' | 'REVERSED' | 'IN_REVIEW' | 'DECLINED';
export type Direction = 'IN' | 'OUT';

export interface Counterparty {
  kind: 'USER' | 'SYSTEM' | 'MERCHANT';
  displayName: string;
  walletId: string | null;
  /** Only for the sender, and only the identifier they used. */
  email: string | null;
  phone: string | null;
}

export interface TransactionView {
  id: string;
  /** The viewer's wallet this view is from. */
  walletId: string;
  type: TransactionType;
  status: TransactionStatus;
  currency: string;
  /** Positive minor units; `direction` says which way. */
  amount: bigint;
  direction: Direction;
  counterparty: Counterparty;
  note: string | null;
  createdAt: Date;
  /** The wallet's entry for this transaction (null while pending). */
  sequence: bigint | null;
  balanceAfter: bigint | null;
}

export interface TransactionFilter {
  types?: TransactionType[];
  statuses?: TransactionStatus[];
  direction?: Direction;
  from?: Date;
  to?: Date;
  minAmount?: bigint;
  maxAmount?: bigint;
  /** Part of the counterparty's display name, case-insensitive. */
  counterparty?: string;
}

export interface RawTransactionFilter {
  types?: TransactionType[] | null;
  statuses?: TransactionStatus[] | null;
  direction?: Direction | null;
  from?: Date | null;
  to?: Date | null;
  minAmount?: string | null;
  maxAmount?: string | null;
  counterparty?: string | null;
}

/** Validates an API filter against the wallet's currency; throws BAD_USER_INPUT naming the field. */
export function parseTransactionFilter(raw: RawTransactionFilter | null | undefined, currency: string): TransactionFilter {
  if (!raw) return {};
  const amount = (name: 'minAmount' | 'maxAmount') => {
    const text = raw[name];
    if (text == null) return undefined;
    const parsed = parseAmount(text, currency);
    if (!parsed.ok || parsed.amount < 0n) {
      throw badUserInput(`filter.${name}: ${parsed.ok ? 'must not be negative' : parsed.message}.`, `filter.${name}`);
    }
    return parsed.amount;
  };
  const counterparty = raw.counterparty?.trim();
  if (counterparty && counterparty.length > 80)
    throw badUserInput('filter.counterparty must be at most 80 characters.', 'filter.counterparty');
  if ((raw.types?.length ?? 0) > 20 || (raw.statuses?.length ?? 0) > 20)
    throw badUserInput('filter lists are limited to 20 values.', 'filter');
  return {
    types: raw.types ?? undefined,
    statuses: raw.statuses ?? undefined,
    direction: raw.direction ?? undefined,
    from: raw.from ?? undefined,
    to: raw.to ?? undefined,
    minAmount: amount('minAmount'),
    maxAmount: amount('maxAmount'),
    counterparty: counterparty || undefined,
  };
}

export interface HistoryService {
  list(walletId: string, viewerId: string, page: PageRequest, filter?: TransactionFilter): Promise<Page<TransactionView>>;
  /** The transaction as seen from the given wallet; null if that wallet is not a party to it. */
  view(walletId: string, transactionId: string, viewerId: string): Promise<TransactionView | null>;
  /**
   * The transaction as the viewer may see it: from their own wallet in it (the sending one
   * first); for an admin who is not a party, from a user's wallet in it (the sender's first).
   * Null if there is none or they may not see it.
   */
  viewVisible(viewer: { userId: string; isAdmin: boolean }, transactionId: string): Promise<TransactionView | null>;
  /** Entries of a wallet after a sequence number, oldest first (subscription catch-up). */
  entriesAfter(walletId: string, afterSequence: bigint, limit: number): Promise<WalletEntry[]>;
}

export interface WalletEntry {
  walletId: string;
  sequence: bigint;
  transactionId: string;
  balanceAfter: bigint;
}

const SYSTEM_NAMES: Record<string, string> = {
  SETTLEMENT_CARD: 'Card top-up',
  SETTLEMENT_BANK: 'Bank transfer',
  FEES: 'Fees',
  PROMOTIONS: 'Promotion',
  SUSPENSE: 'Wallet',
  ADJUSTMENTS: 'Balance adjustment',
};

/** What a user sees as the other side: a user's display name, or what a system wallet is for. */
export function counterpartyName(kind: 'USER' | 'SYSTEM' | 'MERCHANT', name: string | null): string {
  return kind === 'SYSTEM' ? (SYSTEM_NAMES[name ?? ''] ?? 'Wallet') : (name ?? 'Unknown');
}

/**
 * A just-posted transfer seen from one side, built from what the posting function returned (no
 * second read). `recipient` is the identifier the sender typed, shown back only on their side.
 */
export function viewOfPosted(
  p: PostedTransfer,
  side: 'from' | 'to',
  recipient?: { email?: string; phone?: string } | null,
): TransactionView {
  const own = p[side];
  const other = side === 'from' ? p.to : p.from;
  const shown = side === 'from' ? recipient : null;
  return {
    id: p.transactionId,
    walletId: own.walletId,
    type: p.type,
    status: p.status,
    currency: p.currency,
    amount: p.amount,
    direction: side === 'from' ? 'OUT' : 'IN',
    counterparty: {
      kind: other.kind,
      displayName: counterpartyName(other.kind, other.name),
      walletId: other.kind === 'USER' ? other.walletId : null,
      email: shown?.email ?? null,
      phone: shown?.phone ?? null,
    },
    note: p.note,
    createdAt: p.createdAt,
    // Held for review: no entry yet.
    sequence: p.status === 'POSTED' ? own.sequence : null,
    balanceAfter: p.status === 'POSTED' ? own.balanceAfter : null,
  };
}

/** The wallet of one side as it was right after the transfer. */
export function walletAfterPosted(p: PostedTransfer, side: 'from' | 'to'): WalletRecord {
  const own = p[side];
  return {
    id: own.walletId,
    userId: own.userId,
    currency: p.currency,
    status: own.status,
    postedBalance: own.balanceAfter,
    heldAmount: own.held,
    sequence: own.sequence,
    createdAt: own.walletCreatedAt,
  };
}

interface Row {
  id: string;
  wallet_id: string;
  type: TransactionType;
  status: TransactionStatus;
  currency: string;
  amount: string;
  outgoing: boolean;
  note: string | null;
  /** recipient: sealed (a string), or from before sealing a plain {"email"} or {"phone"}. */
  metadata: { recipient?: unknown } | null;
  initiated_by: string | null;
  created_at: Date;
  sequence: string | null;
  balance_after: string | null;
  cp_wallet_id: string;
  cp_kind: 'USER' | 'SYSTEM' | 'MERCHANT';
  cp_system: string | null;
  cp_name: string | null;
}

type OpenRecipient = (viewerId: string, stored: unknown) => { email?: string; phone?: string } | null;

function toView(row: Row, viewerId: string, open: OpenRecipient): TransactionView {
  const sentByViewer = row.outgoing && row.initiated_by === viewerId;
  // Opened only for the sender it is shown to: from the row already read, no other query.
  const recipient = sentByViewer ? open(viewerId, row.metadata?.recipient) : null;
  return {
    id: row.id,
    walletId: row.wallet_id,
    type: row.type,
    status: row.status,
    currency: row.currency.trim(),
    amount: big(row.amount),
    direction: row.outgoing ? 'OUT' : 'IN',
    counterparty: {
      kind: row.cp_kind,
      displayName: counterpartyName(row.cp_kind, row.cp_kind === 'SYSTEM' ? row.cp_system : row.cp_name),
      walletId: row.cp_kind === 'USER' ? row.cp_wallet_id : null,
      email: recipient?.email ?? null,
      phone: recipient?.phone ?? null,
    },
    note: row.note,
    createdAt: row.created_at,
    sequence: row.sequence === null ? null : big(row.sequence),
    balanceAfter: row.balance_after === null ? null : big(row.balance_after),
  };
}

// createdAt is when the viewer's wallet entry was written, not the start of the posting
// transaction: the clock the from/to filters and balanceAt use, so a transaction shown at T counts
// in balanceAt(T), is kept by `from: T` and left out by `to: T`.
const COLUMNS = `
  t.id::text AS id, t.type::text AS type, t.status::text AS status, t.currency, t.amount, t.note, t.metadata,
  t.initiated_by::text AS initiated_by, coalesce(e.created_at, t.created_at) AS created_at,
  cw.id::text AS cp_wallet_id, cw.kind::text AS cp_kind, cw.system_code AS cp_system, coalesce(cu.display_name, cm.name) AS cp_name`;

const VIEW_SQL = `
  SELECT ${COLUMNS}, $1::text AS wallet_id, (t.from_wallet_id = $1::uuid) AS outgoing, e.sequence, e.balance_after
  FROM ledger_transactions t
  LEFT JOIN ledger_entries e ON e.transaction_id = t.id AND e.wallet_id = $1::uuid
  JOIN wallets cw ON cw.id = CASE WHEN t.from_wallet_id = $1::uuid THEN t.to_wallet_id ELSE t.from_wallet_id END
  LEFT JOIN users cu ON cu.id = cw.user_id
  LEFT JOIN merchants cm ON cm.id = cw.merchant_id
  WHERE t.id = $2::uuid AND (t.from_wallet_id = $1::uuid OR t.to_wallet_id = $1::uuid)
    -- A send held for review (or declined in review) is the sender's alone: nothing reached the recipient.
    AND (t.status NOT IN ('IN_REVIEW', 'DECLINED') OR t.from_wallet_id = $1::uuid)`;

/** Recipients opened lately, per process: a page read again costs a Map lookup per row, not a decryption (≈ 7 µs). */
const OPENED_KEPT = 5_000;

export function createHistoryService(deps: { sql: Sql; sealed: SealedValues }): HistoryService {
  const { sql, sealed } = deps;
  // Keyed by the sealed value (unique: a random IV each) and the sender it opened for (it is bound to them).
  const opened = new Map<string, { email?: string; phone?: string } | null>();
  const open: OpenRecipient = (viewerId, stored) => {
    if (typeof stored !== 'string') return openRecipient(sealed, viewerId, stored);
    const key = `${viewerId}|${stored}`;
    let value = opened.get(key);
    if (value === undefined) {
      value = openRecipient(sealed, viewerId, stored);
      if (opened.size >= OPENED_KEPT) opened.delete(opened.keys().next().value!);
      opened.set(key, value);
    }
    return value;
  };
  const service: HistoryService = {
    async list(walletId, viewerId, page, filter = {}) {
      const values: unknown[] = [walletId];
      const param = (value: unknown) => `$${values.push(value)}`;
      const conditions = ['e.wallet_id = $1::uuid'];
      const after = page.after ? decodeSequenceCursor(page.after) : null;
      const before = page.before ? decodeSequenceCursor(page.before) : null;
      if (!page.backward && after !== null) conditions.push(`e.sequence < ${param(after)}`);
      if (page.backward && before !== null) conditions.push(`e.sequence > ${param(before)}`);
      if (filter.types?.length) conditions.push(`t.type::text = ANY(${param(filter.types)}::text[])`);
      if (filter.statuses?.length) conditions.push(`t.status::text = ANY(${param(filter.statuses)}::text[])`);
      if (filter.direction === 'IN') conditions.push('e.amount > 0');
      if (filter.direction === 'OUT') conditions.push('e.amount < 0');
      if (filter.from) conditions.push(`e.created_at >= ${param(filter.from)}`);
      if (filter.to) conditions.push(`e.created_at < ${param(filter.to)}`);
      if (filter.minAmount !== undefined) conditions.push(`abs(e.amount) >= ${param(filter.minAmount)}`);
      if (filter.maxAmount !== undefined) conditions.push(`abs(e.amount) <= ${param(filter.maxAmount)}`);
      if (filter.counterparty) {
        const pattern = `%${filter.counterparty.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conditions.push(`coalesce(cu.display_name, cm.name) ILIKE ${param(pattern)}`);
      }
      const text = `
        SELECT ${COLUMNS}, e.wallet_id::text AS wallet_id, (e.amount < 0) AS outgoing, e.sequence, e.balance_after
        FROM ledger_entries e
        JOIN ledger_transactions t ON t.id = e.transaction_id
        JOIN wallets cw ON cw.id = CASE WHEN e.amount < 0 THEN t.to_wallet_id ELSE t.from_wallet_id END
        LEFT JOIN users cu ON cu.id = cw.user_id
        LEFT JOIN merchants cm ON cm.id = cw.merchant_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY e.sequence ${page.backward ? 'ASC' : 'DESC'}
        LIMIT ${param(page.limit + 1)}`;
      // The common shapes (no filter) are prepared once per connection; filtered ones are one-offs.
      const cursor = (!page.backward && after !== null) || (page.backward && before !== null);
      const unfiltered = conditions.length === (cursor ? 2 : 1);
      const name = unfiltered ? `history_${page.backward ? 'back' : 'fwd'}_${cursor ? 'cursor' : 'first'}` : undefined;
      const rows = await sql.query<Row>(text, values, name);
      const views = rows.map((row) => toView(row, viewerId, open));
      return toPage(views, page, (view) => encodeSequenceCursor(view.sequence!));
    },

    async view(walletId, transactionId, viewerId) {
      const [row] = await sql.query<Row>(VIEW_SQL, [walletId, transactionId], 'transaction_view');
      return row ? toView(row, viewerId, open) : null;
    },

    async viewVisible(viewer, transactionId) {
      const [row] = await sql.query<{ id: string }>(
        `SELECT w.id::text AS id FROM ledger_transactions t
         JOIN wallets w ON w.id = t.from_wallet_id OR w.id = t.to_wallet_id
         WHERE t.id = $1::uuid AND (w.user_id = $2::uuid OR $3::boolean)
         ORDER BY (w.user_id = $2::uuid) IS TRUE DESC, (w.user_id IS NOT NULL) DESC, (w.id = t.from_wallet_id) DESC LIMIT 1`,
        [transactionId, viewer.userId, viewer.isAdmin],
        'transaction_wallet_visible',
      );
      return row ? service.view(row.id, transactionId, viewer.userId) : null;
    },

    async entriesAfter(walletId, afterSequence, limit) {
      const rows = await sql.query<{ wallet_id: string; sequence: string; transaction_id: string; balance_after: string }>(
        `SELECT wallet_id::text, sequence, transaction_id::text, balance_after FROM ledger_entries
         WHERE wallet_id = $1::uuid AND sequence > $2 ORDER BY sequence LIMIT $3`,
        [walletId, afterSequence, limit],
        'entries_after',
      );
      return rows.map((r) => ({
        walletId: r.wallet_id,
        sequence: big(r.sequence),
        transactionId: r.transaction_id,
        balanceAfter: big(r.balance_after),
      }));
    },
  };
  return service;
}
