// `npm run seed [-- --users N]`: demo accounts with funded wallets on the configured database,
// printed with their credentials. Safe to run again: existing accounts are kept and not re-funded
// (the funding uses an idempotency key per account).
import { parseArgs } from 'node:util';
import { refusalError } from '../src/services/ledger/ledger.js';
import { runScript, scriptServices } from './cli.js';

const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
const PASSWORD = 'demo-Wallet-2026!';
const FUNDING = 50_000n; // 500.00 in the default currency

const { values } = parseArgs({ options: { users: { type: 'string', default: '5' } } });
const count = Number(values.users);

await runScript(
  {
    poolSize: 4,
    migrate: true,
    prepare() {
      if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error('--users must be a whole number from 1 to 100000');
    },
  },
  async (ctx) => {
    const { config, db } = ctx;
    const services = await scriptServices(ctx);
    const currency = config.DEFAULT_CURRENCY;
    const rows: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = i < NAMES.length ? NAMES[i]! : `user${i + 1}`;
      const email = `${name}@demo.wallet`;
      const signUp = await services.accounts.signUp(
        { email, password: PASSWORD, displayName: name[0]!.toUpperCase() + name.slice(1) },
        { ip: 'seed' },
      );
      const created = signUp.ok;
      const user = signUp.ok ? signUp.value.user : await db.prisma.user.findUniqueOrThrow({ where: { email } });
      // Demo accounts are verified (TIER_1), so the demo is not stopped by a new account's limits.
      await db.prisma.user.update({ where: { id: user.id }, data: { kycTier: 'TIER_1' } });
      const [funded] = await services.ledger.postTransfers([
        {
          userId: user.id,
          key: `seed-funding-${currency}`,
          operation: 'seedFunding',
          hash: `seed-${currency}-${FUNDING}`,
          type: 'ADJUSTMENT',
          currency,
          amount: FUNDING,
          from: { system: 'PROMOTIONS' },
          to: { userId: user.id },
          note: 'Welcome credit (demo data)',
          metadata: { reason: 'seed' },
        },
      ]);
      if (!funded!.ok) throw new Error(`funding ${email} failed: ${refusalError(funded!, 'adjustBalance').message}`);
      if (count <= 20) rows.push(`  ${email.padEnd(24)} ${PASSWORD}   ${created ? 'created' : 'existing'}`);
      if ((i + 1) % 50 === 0 || i + 1 === count) process.stdout.write(`\rseeded ${i + 1}/${count} users`);
    }
    await services.outbox.drain();
    process.stdout.write('\n');
    if (rows.length) console.log(`Demo accounts (each funded with ${Number(FUNDING) / 100} ${currency}):\n${rows.join('\n')}`);
    else console.log(`Accounts are user1@demo.wallet … user${count}@demo.wallet (first ten use names), password ${PASSWORD}`);
  },
);
