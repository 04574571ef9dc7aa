// The SQLSTATE of an error from the database, wherever the driver adapter put it: Prisma wraps
// driver errors (meta.driverAdapterError.cause.originalCode), a deferred constraint failing at
// commit arrives as a raw DriverAdapterError (cause.originalCode), pg errors carry `code`.
export function sqlState(err: unknown): string | undefined {
  const e = err as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
    cause?: { originalCode?: unknown; code?: unknown };
  } | null;
  const candidates = [e?.meta?.driverAdapterError?.cause?.originalCode, e?.cause?.originalCode, e?.cause?.code, e?.code];
  for (const c of candidates) if (typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c)) return c;
  return undefined;
}

/** Serialization failures and deadlocks: the transaction did nothing and may simply be retried. */
export function isRetryableTransactionError(err: unknown): boolean {
  const state = sqlState(err);
  return state === '40001' || state === '40P01';
}

/** Prisma's codes for a database it cannot reach, lost, or could not get a connection to in time. */
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** What the driver adapter reports for the same. */
const UNREACHABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** SQLSTATEs of a server shutting down, starting up, out of connections or resources. */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|53[0-9]00)$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** pg's own words for a connection that went away or could not be had (it gives them no code). */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|terminating connection|database system is (starting up|shutting down|in recovery mode)/i;

/**
 * True when the error says the database could not be reached or was lost (a restart, a network
 * fault, a full pool): nothing was done, or a commit's outcome is unknown, and the same request
 * may be retried (money movements with their idempotency key) once it is back.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      kind?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
      cause?: unknown;
      originalError?: unknown;
    };
    if (typeof e.code === 'string' && (UNREACHABLE_PRISMA_CODES.has(e.code) || NETWORK_CODES.has(e.code))) return true;
    const kind = e.meta?.driverAdapterError?.cause?.kind ?? e.kind;
    if (typeof kind === 'string' && UNREACHABLE_ADAPTER_KINDS.has(kind)) return true;
    const state = sqlState(current);
    if (state && UNAVAILABLE_STATES.test(state)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}
