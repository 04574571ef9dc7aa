// `npx tsx scripts/measureSealing.ts`: what sealing personal values in their rows costs (decision
// 63), measured in process: the keyed hash of a phone (each send or preview by phone), sealing the
// recipient a sender typed (each send by email or phone), opening it (each history row the sender
// reads of such a send) and opening a user's phone (me.phone, codes' addresses). A micro-measure of
// the calls the paths make, not a benchmark run; docs/performance.md's cost table quotes it. Each
// figure is the median of 5 rounds of 100,000 calls, in µs per call.
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../src/db/database.js';
import type { Sql } from '../src/db/sql.js';
import { createLogger } from '../src/logger.js';
import { createPhones } from '../src/services/accounts/phones.js';
import { openRecipient, sealRecipient } from '../src/services/history/sentRecipients.js';
import { createSealedValues } from '../src/services/vault/sealedValues.js';

const N = 100_000;
const ROUNDS = 5;

function measure(what: string, op: (i: number) => unknown): number {
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < N; i++) op(i);
    rounds.push(((performance.now() - started) * 1000) / N);
  }
  const median = rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  console.log(`${what.padEnd(72)} ${median.toFixed(3)} µs`);
  return median;
}

const sealed = createSealedValues({ dataKeys: [{ id: 'k1', key: randomBytes(32) }] });
// Nothing here reaches the database: the calls measured are in-process.
const phones = createPhones({
  prisma: {} as PrismaClient,
  sql: {} as Sql,
  sealed,
  fingerprintKey: randomBytes(32),
  log: createLogger({ level: 'silent' }),
});
const sender = randomUUID();
const phone = '+14155550123';
const typed = { phone };
const stored = sealRecipient(sealed, sender, typed);
const user = { id: sender, ...phones.columns(sender, phone) };

console.log('Per send by phone or email (server CPU):');
const digest = measure('keyed hash of the phone (HMAC-SHA256), the party of the send', () => phones.digest(phone));
const seal = measure('recipient sealed for metadata.recipient (JSON, AES-256-GCM, base64url)', () => sealRecipient(sealed, sender, typed));
console.log('Per read:');
const open = measure("recipient opened from a history row (the sender's own)", () => openRecipient(sealed, sender, stored));
const of = measure("a user's phone opened from the row (me.phone)", () =>
  phones.of({ id: user.id, phoneSealed: user.phoneSealed, legacyPhone: null }),
);
console.log(`\nsend by phone: ${(digest + seal).toFixed(1)} µs; by email: ${seal.toFixed(1)} µs; by wallet id: 0`);
console.log(`history page of 20 sends by phone or email: ${(20 * open).toFixed(0)} µs; me.phone: ${of.toFixed(1)} µs`);
console.log(`metadata.recipient grows from ${JSON.stringify(typed).length} to ${JSON.stringify(stored).length} bytes`);
