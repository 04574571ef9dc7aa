// The bank workload: C concurrent clients, each sending one request at a time — random sendMoney
// transfers between the users (each with its own idempotency key) and some balance reads. A
// transfer is retried with the SAME body and key, with backoff, after anything that is not a
// definite answer (network error, 5xx, any GraphQL error, or the IDEMPOTENCY_IN_PROGRESS refusal
// meaning "the first attempt is still running"), until it gets one or its deadline passes.
// Every attempt is recorded with its time and what came back, and every key's final outcome, so
// the report and the checks work from the workload's own records.
import { randomUUID } from 'node:crypto';
import { post, READ_BALANCES, SEND_MONEY, sleep, usd, uuidOf } from './api.js';
import type { Person } from './people.js';

export interface Attempt {
  /** When the answer (or the failure) came back. */
  at: number;
  op: 'transfer' | 'read';
  /** A definite answer: data for a read; a transfer or a business refusal for a transfer. */
  ok: boolean;
  /** What went wrong (failures), or the business refusal's code. */
  code?: string;
  /** The failure carried a retry hint (extensions.retryAfterSeconds or Retry-After). */
  retryHint?: boolean;
  ms: number;
}

export interface TransferOutcome {
  key: string;
  sender: Person;
  recipient: Person;
  cents: number;
  startedAt: number;
  endedAt: number;
  /** acked: a transfer came back; refused: a business answer (INSUFFICIENT_FUNDS, …); unresolved: no definite answer by the deadline. */
  status: 'acked' | 'refused' | 'unresolved';
  /** The acknowledged transfer's uuid. */
  transferId?: string;
  /** The refusal's code, or the last failure's for an unresolved key. */
  code?: string;
  attempts: number;
}

/** Business answers to a transfer that mean "ask again": the first attempt with this key is still running. */
const RETRY_USER_ERRORS = new Set(['IDEMPOTENCY_IN_PROGRESS']);

export interface WorkloadOptions {
  url: string;
  people: Person[];
  clients: number;
  readShare: number;
  maxTransferCents: number;
  retryDeadlineMs: number;
  requestTimeoutMs: number;
}

export class Workload {
  readonly attempts: Attempt[] = [];
  readonly outcomes: TransferOutcome[] = [];
  private paused = true;
  private stopped = false;
  private idle = 0;
  private gate: { promise: Promise<void>; open: () => void };
  private idleWaiters: (() => void)[] = [];
  private loops: Promise<void>[] = [];

  constructor(private readonly options: WorkloadOptions) {
    this.gate = newGate();
  }

  /** Starts the clients (paused until resume()). */
  start(): void {
    for (let i = 0; i < this.options.clients; i++) this.loops.push(this.loop());
  }

  resume(): void {
    this.paused = false;
    this.gate.open();
  }

  /** Stops starting new operations and resolves when every client has finished its current one (retries included). */
  async pause(): Promise<void> {
    if (!this.paused) {
      this.paused = true;
      this.gate = newGate();
    }
    while (this.idle < this.options.clients) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.paused = false;
    this.gate.open();
    await Promise.all(this.loops);
  }

  /** Transfers that are being retried right now. */
  inFlight = 0;

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.paused) {
        this.idle += 1;
        this.idleWaiters.splice(0).forEach((w) => w());
        await this.gate.promise;
        this.idle -= 1;
        continue;
      }
      try {
        if (Math.random() < this.options.readShare) await this.read();
        else await this.transfer();
      } catch (err) {
        // Only a token that could not be renewed gets here; the operation is not counted as answered.
        this.attempts.push({ at: Date.now(), op: 'read', ok: false, code: `CLIENT: ${(err as Error).message.slice(0, 80)}`, ms: 0 });
        await sleep(500);
      }
    }
  }

  private pick(): Person {
    const { people } = this.options;
    return people[Math.floor(Math.random() * people.length)]!;
  }

  private async read(): Promise<void> {
    const person = this.pick();
    const answer = await post(
      this.options.url,
      READ_BALANCES,
      {},
      { token: await person.token(), timeoutMs: this.options.requestTimeoutMs },
    );
    this.attempts.push(
      answer.ok
        ? { at: Date.now(), op: 'read', ok: true, ms: answer.ms }
        : { at: Date.now(), op: 'read', ok: false, code: answer.code, retryHint: answer.retryAfterSeconds !== undefined, ms: answer.ms },
    );
    if (!answer.ok && answer.graphqlCode === 'UNAUTHENTICATED') await person.renew().catch(() => {});
  }

  private async transfer(): Promise<void> {
    const sender = this.pick();
    let recipient = this.pick();
    while (recipient === sender) recipient = this.pick();
    const cents = 1 + Math.floor(Math.random() * this.options.maxTransferCents);
    const key = randomUUID();
    // The same variables on every attempt: a retry is the same request.
    const variables = {
      input: { recipient: { walletId: recipient.walletId }, amount: { amount: usd(cents), currency: 'USD' }, idempotencyKey: key },
    };
    const startedAt = Date.now();
    const deadline = startedAt + this.options.retryDeadlineMs;
    const outcome: TransferOutcome = { key, sender, recipient, cents, startedAt, endedAt: 0, status: 'unresolved', attempts: 0 };
    this.inFlight += 1;
    try {
      for (let n = 0; ; n++) {
        outcome.attempts += 1;
        const answer = await post(this.options.url, SEND_MONEY, variables, {
          token: await sender.token(),
          timeoutMs: this.options.requestTimeoutMs,
        });
        let retryAfterMs = 0;
        if (answer.ok) {
          const payload = answer.data.sendMoney as { transfer: { id: string; status: string } | null; userErrors: { code: string }[] };
          const refusal = payload.userErrors[0]?.code;
          if (payload.transfer && !refusal) {
            this.attempts.push({ at: Date.now(), op: 'transfer', ok: true, ms: answer.ms });
            outcome.status = 'acked';
            outcome.transferId = uuidOf(payload.transfer.id);
            return;
          }
          if (refusal && !RETRY_USER_ERRORS.has(refusal)) {
            this.attempts.push({ at: Date.now(), op: 'transfer', ok: true, code: refusal, ms: answer.ms });
            outcome.status = 'refused';
            outcome.code = refusal;
            return;
          }
          const code = refusal ?? 'NO_TRANSFER';
          this.attempts.push({ at: Date.now(), op: 'transfer', ok: false, code, ms: answer.ms });
          outcome.code = code;
        } else {
          this.attempts.push({
            at: Date.now(),
            op: 'transfer',
            ok: false,
            code: answer.code,
            retryHint: answer.retryAfterSeconds !== undefined,
            ms: answer.ms,
          });
          outcome.code = answer.code;
          if (answer.graphqlCode === 'UNAUTHENTICATED') await sender.renew().catch(() => {});
          // Honour the server's hint, within reason.
          if (answer.retryAfterSeconds) retryAfterMs = Math.min(answer.retryAfterSeconds * 1000, 5_000);
        }
        if (Date.now() >= deadline) return; // unresolved
        const backoff = Math.min(2_000, 100 * 2 ** Math.min(n, 5)) * (0.5 + Math.random());
        await sleep(Math.min(Math.max(backoff, retryAfterMs), Math.max(0, deadline - Date.now())));
      }
    } finally {
      outcome.endedAt = Date.now();
      this.outcomes.push(outcome);
      this.inFlight -= 1;
    }
  }
}

function newGate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
