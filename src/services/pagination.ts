// Keyset (cursor) pagination shared by every list: no OFFSET, so a page costs the same at any
// depth and stays stable while new rows arrive. Cursors are opaque to clients.

export interface PageRequest {
  /** Items wanted (already bounded by the API layer). */
  limit: number;
  /** Forward: items after this cursor. Backward (`last`): items before `before`. */
  after?: string;
  before?: string;
  backward: boolean;
}

export interface Page<T> {
  items: { node: T; cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** A (timestamp, id) position in a newest-first list. */
export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.at.toISOString()}|${p.id}`, 'utf8').toString('base64url');
}

/** Returns null for a cursor this server did not make. */
export function decodeCursor(cursor: string): Position | null {
  if (cursor.length > 200) return null;
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || extra !== undefined) return null;
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) return null;
  return { at: date, id };
}

/**
 * Builds a page from rows fetched with `limit + 1` in the page's direction
 * (newest-first for forward pages, oldest-first for backward pages); `cursorOf` gives a row's
 * cursor (encodeCursor of its position, or encodeSequenceCursor).
 */
export function toPage<T>(rows: T[], req: PageRequest, cursorOf: (row: T) => string): Page<T> {
  const extra = rows.length > req.limit;
  const kept = extra ? rows.slice(0, req.limit) : rows;
  const ordered = req.backward ? kept.reverse() : kept;
  return {
    items: ordered.map((node) => ({ node, cursor: cursorOf(node) })),
    hasNextPage: req.backward ? Boolean(req.before) : extra,
    hasPreviousPage: req.backward ? extra : Boolean(req.after),
  };
}

/** Prisma `where` for (createdAt, id) keyset pagination, newest first. */
type KeysetClause = { createdAt: { lt: Date } | { gt: Date } } | { createdAt: Date; id: { lt: string } | { gt: string } };

export function keysetWhere(req: PageRequest): { OR?: KeysetClause[] } {
  const cursor = req.backward ? req.before : req.after;
  const p = cursor ? decodeCursor(cursor) : null;
  if (!p) return {};
  return req.backward
    ? { OR: [{ createdAt: { gt: p.at } }, { createdAt: p.at, id: { gt: p.id } }] }
    : { OR: [{ createdAt: { lt: p.at } }, { createdAt: p.at, id: { lt: p.id } }] };
}

/** For queues worked in arrival order (oldest first, forward only): rows after the cursor. */
export function queueWhere(req: PageRequest): { OR?: KeysetClause[] } {
  const p = req.after ? decodeCursor(req.after) : null;
  return p ? { OR: [{ createdAt: { gt: p.at } }, { createdAt: p.at, id: { gt: p.id } }] } : {};
}

export const QUEUE_ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/** A page of a queue fetched with queueWhere/QUEUE_ORDER and `limit + 1` rows. */
export function toQueuePage<T extends { createdAt: Date; id: string }>(rows: T[], req: PageRequest): Page<T> {
  return toPage(rows, { ...req, backward: false }, (r) => encodeCursor({ at: r.createdAt, id: r.id }));
}

export function keysetOrder(req: PageRequest) {
  const dir = req.backward ? ('asc' as const) : ('desc' as const);
  return [{ createdAt: dir }, { id: dir }];
}

/** Cursors for lists keyed by a per-wallet sequence number (ledger history). */
export function encodeSequenceCursor(sequence: bigint): string {
  return Buffer.from(`s:${sequence}`, 'utf8').toString('base64url');
}

export function decodeSequenceCursor(cursor: string): bigint | null {
  if (cursor.length > 40) return null;
  const m = /^s:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? BigInt(m[1]!) : null;
}
