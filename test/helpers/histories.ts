// Random wallet histories for statement and insight tests, posted through the ledger's own API
// (services.ledger: the posting function, and reverse() for reversals) in batches, as the product
// writes them: top-ups and their fees, transfers both ways, merchant payments and their refunds,
// withdrawals, adjustments and reversals of top-ups. A seeded generator makes a failure
// reproducible (the seed is in the test's name). The wallet never goes below zero: amounts out are
// drawn from what it holds.
import { randomUUID } from 'node:crypto';
import type { TransferRequest } from '../../src/services/ledger/ledger.js';
import { currencyExponent } from '../../src/services/money/money.js';
import type { TestServer } from './testServer.js';

export interface HistoryParties {
  currency: string;
  /** The wallet whose history is made (its holder's user id scopes the idempotency keys). */
  owner: { userId: string; walletId: string };
  /** Another user's wallet in the currency, funded by the helper. */
  other: { userId: string; walletId: string };
  merchantId: string;
}

export interface HistorySummary {
  posted: number;
  counts: Record<string, number>;
  /** Instants between the halves of the history: entries of the first half were written before it. */
  middle: Date;
}

/** mulberry32: a small seeded generator. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function postRandomHistory(
  t: TestServer,
  p: HistoryParties,
  options: { operations: number; seed: number; batchSize?: number },
): Promise<HistorySummary> {
  const { ledger } = t.server.services;
  const random = seeded(options.seed);
  const scale = 10n ** BigInt(currencyExponent(p.currency));
  /** 1 minor unit up to `major` major units. */
  const amountUpTo = (major: number) => 1n + BigInt(Math.floor(random() * major * Number(scale)));
  const request = (
    type: TransferRequest['type'],
    amount: bigint,
    from: TransferRequest['from'],
    to: TransferRequest['to'],
    note: string | null = null,
  ): TransferRequest => {
    const key = randomUUID();
    return { userId: p.owner.userId, key, operation: 'test.history', hash: key, type, currency: p.currency, amount, from, to, note };
  };
  const mine = { walletId: p.owner.walletId };
  const theirs = { walletId: p.other.walletId };
  const merchant = { merchantId: p.merchantId };

  // The other side can always pay.
  await post([request('ADJUSTMENT', 1_000_000n * scale, { system: 'PROMOTIONS' }, theirs, 'test funding')]);

  let balance = 0n;
  let merchantTakings = 0n;
  const deposits: { id: string; amount: bigint }[] = [];
  const counts: Record<string, number> = {};
  let posted = 0;

  async function post(requests: TransferRequest[]) {
    const results = await ledger.postTransfers(requests);
    results.forEach((r, i) => {
      if (!r.ok) throw new Error(`history transfer ${requests[i]!.type} refused: ${r.code}`);
    });
    return results;
  }

  async function run(operations: number) {
    let batch: { request: TransferRequest; kind: string }[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const results = await post(batch.map((b) => b.request));
      results.forEach((r, i) => {
        if (r.ok && batch[i]!.kind === 'DEPOSIT') deposits.push({ id: r.transfer.transactionId, amount: r.transfer.amount });
      });
      posted += batch.length;
      batch = [];
    };
    const add = (kind: string, r: TransferRequest) => {
      batch.push({ request: r, kind });
      counts[kind] = (counts[kind] ?? 0) + 1;
    };
    for (let i = 0; i < operations; i++) {
      const roll = random();
      if (balance < 10n * scale || roll < 0.2) {
        const amount = amountUpTo(800);
        add('DEPOSIT', request('DEPOSIT', amount, { system: 'SETTLEMENT_CARD' }, mine, 'Card top-up'));
        balance += amount;
        const fee = amount / 50n;
        if (fee > 0n) {
          add('FEE', request('FEE', fee, mine, { system: 'FEES' }, 'Top-up fee'));
          balance -= fee;
        }
      } else if (roll < 0.4) {
        const amount = amountUpTo(300);
        add('P2P_IN', request('P2P_TRANSFER', amount, theirs, mine, random() < 0.5 ? 'Thanks! "dinner", split 50/50' : null));
        balance += amount;
      } else if (roll < 0.55) {
        const amount = 1n + (balance * BigInt(Math.floor(random() * 30))) / 100n;
        add('P2P_OUT', request('P2P_TRANSFER', amount, mine, theirs, 'Rent, part 1\nsecond line'));
        balance -= amount;
      } else if (roll < 0.72) {
        const amount = 1n + (balance * BigInt(Math.floor(random() * 25))) / 100n;
        add('PAYMENT', request('PAYMENT', amount, mine, merchant, 'Order #42'));
        balance -= amount;
        merchantTakings += amount;
      } else if (roll < 0.8 && merchantTakings > 0n) {
        const amount = 1n + (merchantTakings * BigInt(Math.floor(random() * 50))) / 100n;
        add('REFUND', request('REFUND', amount, merchant, mine, 'Refund, damaged item'));
        balance += amount;
        merchantTakings -= amount;
      } else if (roll < 0.88) {
        const amount = 1n + (balance * BigInt(Math.floor(random() * 20))) / 100n;
        add('WITHDRAWAL', request('WITHDRAWAL', amount, mine, { system: 'SETTLEMENT_BANK' }));
        balance -= amount;
      } else if (roll < 0.94) {
        const credit = random() < 0.5 || balance < scale;
        const amount = credit ? amountUpTo(20) : 1n + balance / 10n;
        add(
          'ADJUSTMENT',
          request('ADJUSTMENT', amount, credit ? { system: 'ADJUSTMENTS' } : mine, credit ? mine : { system: 'ADJUSTMENTS' }),
        );
        balance += credit ? amount : -amount;
      } else {
        // A chargeback of an earlier top-up the wallet can still cover: a linked REVERSAL.
        await flush();
        const deposit = deposits.find((d) => d.amount <= balance);
        if (deposit) {
          deposits.splice(deposits.indexOf(deposit), 1);
          const back = request('REVERSAL', deposit.amount, mine, { system: 'SETTLEMENT_CARD' }, 'Chargeback');
          const [result] = await ledger.transaction((l) => l.reverse(deposit.id, [back]));
          if (!result?.ok) throw new Error(`reversal refused: ${result && !result.ok ? result.code : 'no result'}`);
          counts.REVERSAL = (counts.REVERSAL ?? 0) + 1;
          posted += 1;
          balance -= deposit.amount;
        }
      }
      if (batch.length >= (options.batchSize ?? 40)) await flush();
    }
    await flush();
  }

  const half = Math.floor(options.operations / 2);
  await run(half);
  await sleep(15);
  const middle = new Date();
  await sleep(15);
  await run(options.operations - half);
  return { posted, counts, middle };
}
