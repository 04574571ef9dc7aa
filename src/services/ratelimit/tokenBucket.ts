// Token buckets for request rate limits: each key has a bucket of `burst` tokens refilled at
// `perSecond`; a request takes one, and an empty bucket says how long until the next token.
// rate-limiter-flexible (used for sign-in and sign-up windows) offers fixed windows and a
// two-window approximation of bursts, not a bucket: this is the refill a partner can plan by.
//
// Decided in process, with no round trip: every request takes a token, and on these machines a
// round trip to Redis costs more than the request's own work (docs/performance.md). With n server
// processes each holds 1/n of the rate and of the burst (processShares.ts counts them through
// Redis in the background), so together they allow about the configured rate when requests are
// spread across them, as a load balancer does. A client whose every request reaches one process
// gets 1/n of its budget there: the price of not asking Redis per request.
import type { ProcessShares } from './processShares.js';

export interface BucketSpec {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: the largest burst. */
  burst: number;
}

export interface TokenBucket {
  /** Takes a token for `key`: null when allowed, or the whole seconds until one is available. */
  take(key: string): number | null;
}

/** Buckets kept at most; beyond that the oldest-touched are dropped (they refill to full anyway). */
const MAX_BUCKETS = 100_000;

export function createTokenBucket(spec: BucketSpec, shares: Pick<ProcessShares, 'count'>, onRefused: () => void = () => {}): TokenBucket {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const n = shares.count();
      const perSecond = spec.perSecond / n;
      const burst = Math.max(1, spec.burst / n);
      const now = Date.now();
      let b = buckets.get(key);
      if (b) buckets.delete(key);
      else {
        b = { tokens: burst, at: now };
        if (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value!);
      }
      // Re-inserted: the Map's order is the order of last use.
      buckets.set(key, b);
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) * perSecond) / 1000);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      onRefused();
      return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    },
  };
}
