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
