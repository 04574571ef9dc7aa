// The one retry loop for things delivered to the outside after commit: merchant webhooks and the
// notifier's email and SMS. Each keeps its items in a table of its own, written in the transaction
// of what they report; this loop claims the due ones (the caller's `claim`, a lease taken with
// SKIP LOCKED, so several server processes never deliver one item at the same moment and a process
// that dies mid-delivery leaves it to be retried when the lease ends), hands each to `deliver`
// (which records the attempt and reschedules it with `backoffDelayMs`, or gives up), and runs
// again when a commit wakes it, on a timer, or when a test asks (`flush`).
import type { Logger } from '../../logger.js';

/** Delay before retry number `attempt` (1 = the first retry): doubling from `baseMs`, at most an hour. */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs = 3_600_000): number {
  return Math.min(baseMs * 2 ** (attempt - 1), maxMs);
}

export interface DeliveryLoop {
  /** Delivers what is due soon (call after the transaction that wrote items commits). */
  wake(): void;
  /** One pass: claims up to a batch of due items and delivers them; returns how many it claimed. */
  deliverDue(): Promise<number>;
  /**
   * Waits for a running pass, then delivers everything due now, pass after pass, and resolves with
   * how many were attempted (jobs and tests drive the loop with it).
   */
  flush(): Promise<number>;
  /** Starts the timer (every `pollMs`; none for 0: only woken); returns a stop function that waits for a running pass. */
  start(pollMs: number): () => Promise<void>;
}

export function createDeliveryLoop<T>(deps: {
  /** For log lines: "merchant webhook", "notification". */
  name: string;
  /** Claims up to `limit` due items with a lease. */
  claim(limit: number): Promise<T[]>;
  /** Delivers one item and records the outcome; a throw is logged and the item retried when its lease ends. */
  deliver(item: T): Promise<void>;
  batch: number;
  log: Logger;
}): DeliveryLoop {
  const { name, log, batch } = deps;
  let wakeTimer: NodeJS.Timeout | null = null;
  // Passes run one after another in this process (other processes are kept apart by the leases).
  let running: Promise<unknown> = Promise.resolve();

  async function deliverDue(): Promise<number> {
    const claimed = await deps.claim(batch);
    await Promise.all(
      claimed.map((item) =>
        deps
          .deliver(item)
          .catch((err) => log.warn({ err: (err as Error).message }, `recording a ${name} attempt failed; retried when its lease ends`)),
      ),
    );
    // A full batch: more may be due.
    if (claimed.length === batch) loop.wake();
    return claimed.length;
  }

  /** Runs `work` after the pass in progress; a failure is logged, never thrown. */
  function serially<R>(work: () => Promise<R>, fallback: R): Promise<R> {
    const pass = running.then(work).catch((err) => {
      log.warn({ err: (err as Error).message }, `${name} pass failed`);
      return fallback;
    });
    running = pass;
    return pass;
  }

  const loop: DeliveryLoop = {
    wake() {
      if (wakeTimer) return;
      wakeTimer = setTimeout(() => {
        wakeTimer = null;
        void serially(deliverDue, 0);
      }, 10);
      wakeTimer.unref();
    },
    deliverDue,
    flush: () =>
      serially(async () => {
        let total = 0;
        for (;;) {
          const n = await deliverDue();
          total += n;
          if (n < batch) return total;
        }
      }, 0),
    start(pollMs) {
      const timer = pollMs > 0 ? setInterval(() => void serially(deliverDue, 0), pollMs) : undefined;
      timer?.unref();
      return async () => {
        clearInterval(timer);
        if (wakeTimer) clearTimeout(wakeTimer);
        wakeTimer = null;
        await running;
      };
    },
  };
  return loop;
}
