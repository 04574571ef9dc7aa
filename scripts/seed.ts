// `npm run seed [-- --users N]`: demo accounts with funded wallets on the configured database,
// printed with their credentials (src/services/demo/demoAccounts.ts). Safe to run again: existing
// accounts are kept and not re-funded. A development server does the same at start (SEED_DEMO).
import { parseArgs } from 'node:util';
import { DEMO_FUNDING, DEMO_PASSWORD, demoEmail } from '../src/services/demo/demoAccounts.js';
import { runScript, scriptServices } from './cli.js';

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
    const services = await scriptServices(ctx);
    const accounts = await services.demoAccounts.ensure(count, (done) => {
      if (done % 50 === 0 || done === count) process.stdout.write(`\rseeded ${done}/${count} users`);
    });
    await services.outbox.drain();
    process.stdout.write('\n');
    const currency = ctx.config.DEFAULT_CURRENCY;
    if (count <= 20) {
      const rows = accounts.map((a) => `  ${a.email.padEnd(24)} ${DEMO_PASSWORD}   ${a.created ? 'created' : 'existing'}`);
      console.log(`Demo accounts (each funded with ${DEMO_FUNDING} ${currency}):\n${rows.join('\n')}`);
    } else console.log(`Accounts are ${demoEmail(0)} … ${demoEmail(count - 1)} (first ten use names), password ${DEMO_PASSWORD}`);
  },
);
