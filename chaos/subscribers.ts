// Live subscribers: one graphql-ws client per watched user, subscribed to walletUpdated on that
// user's wallet, recording the sequence and transaction of every event it receives.
//
// Resuming: graphql-ws re-sends an operation's payload object when it reconnects, serialising it
// at that moment, so the payload's afterSequence is kept at the last sequence received: every
// resubscription asks for exactly what was missed. An operation that ends with an error (e.g.
// the server could not read the wallet while PostgreSQL was away) or completes is subscribed
// again, the same way. The token is read on every (re)connection, so a renewed one is used.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { sleep, uuidOf, WALLET_UPDATED } from './api.js';
import type { Person } from './people.js';

export interface ReceivedEvent {
  sequence: number;
  transactionId: string;
  at: number;
}

export interface Incident {
  at: number;
  /** e.g. "close 1006", "subscription ended with SERVICE_UNAVAILABLE", "event with error … at walletUpdated.transaction", "complete". */
  what: string;
}

export class Subscriber {
  readonly events: ReceivedEvent[] = [];
  readonly incidents: Incident[] = [];
  /** The last sequence received (the afterSequence of the next resubscription). */
  last: number;
  connects = 0;
  connected = false;
  private client: Client | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly wsUrl: string,
    readonly person: Person,
    afterSequence: number,
  ) {
    this.last = afterSequence;
  }

  start(): void {
    this.client = createClient({
      url: this.wsUrl,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      shouldRetry: () => true,
      // Quick reconnects (≤ 2 s apart) instead of the default exponential wait, which reaches minutes.
      retryWait: (retries) => sleep(Math.min(2_000, 100 * 2 ** retries) * (0.5 + Math.random())),
      connectionParams: async () => ({ authorization: `Bearer ${await this.person.token()}` }),
      on: {
        connected: () => {
          this.connects += 1;
          this.connected = true;
        },
        closed: (event) => {
          this.connected = false;
          if (!this.stopped) this.incidents.push({ at: Date.now(), what: `close ${(event as { code?: number }).code ?? '?'}` });
        },
      },
    });
    this.subscribe();
  }

  private subscribe(): void {
    const payload = { query: WALLET_UPDATED, variables: { walletId: this.person.walletId, afterSequence: String(this.last) } };
    this.unsubscribe = this.client!.subscribe<{ walletUpdated: { sequence: string; transaction: { id: string } } }>(payload, {
      next: (result) => {
        if (result.errors?.length) {
          // An event the server could not resolve: the subscription goes on, this change is not shown.
          for (const e of result.errors) {
            this.incidents.push({
              at: Date.now(),
              what: `event with error ${(e.extensions?.code as string | undefined) ?? e.message} at ${(e.path ?? []).join('.') || '(no path)'}`,
            });
          }
          if (!result.data?.walletUpdated) return;
        }
        const event = result.data?.walletUpdated;
        if (!event) return;
        const sequence = Number(event.sequence);
        this.events.push({ sequence, transactionId: uuidOf(event.transaction.id), at: Date.now() });
        if (sequence > this.last) {
          this.last = sequence;
          payload.variables.afterSequence = String(sequence);
        }
      },
      error: (err) => {
        if (this.stopped) return;
        this.incidents.push({ at: Date.now(), what: `subscription ended with ${describe(err)}` });
        // 4401 (session revoked) is final for graphql-ws; renew the token before trying again.
        if (!Array.isArray(err) && (err as { code?: number }).code === 4401) void this.person.renew().catch(() => {});
        void sleep(500 + Math.random() * 1000).then(() => !this.stopped && this.subscribe());
      },
      complete: () => {
        if (this.stopped) return;
        this.incidents.push({ at: Date.now(), what: 'complete' });
        void sleep(500).then(() => !this.stopped && this.subscribe());
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.client?.dispose();
  }
}

function describe(err: unknown): string {
  if (Array.isArray(err))
    return String(
      (err[0] as { extensions?: { code?: string } })?.extensions?.code ?? (err[0] as { message?: string })?.message ?? 'graphql error',
    );
  if (err && typeof err === 'object' && 'code' in err) return `close ${(err as { code: number }).code}`;
  return err instanceof Error ? err.message : String(err);
}

/** Starts one subscriber per person, each from `afterSequence` (their wallet's sequence now). */
export function startSubscribers(wsUrl: string, people: Person[], afterSequence = 0): Subscriber[] {
  return people.map((p) => {
    const s = new Subscriber(wsUrl, p, afterSequence);
    s.start();
    return s;
  });
}
