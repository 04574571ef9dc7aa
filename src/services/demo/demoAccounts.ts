// Demo accounts for trying the API: alice@demo.wallet, bob@demo.wallet, … with one published
// password, a verified email (so step-up codes reach their sandbox inbox), verified to TIER_1 and funded with 500 of the default currency through the ledger
// (from the PROMOTIONS system wallet). Used by `npm run seed` and by a development server started
// with SEED_DEMO (on by default for the embedded database, refused in production). Safe to run
// again: existing accounts are kept, and each funding has its own idempotency key, so it is paid once.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AccountService } from '../accounts/accounts.js';
import type { Currencies } from '../money/currencies.js';
import { refusalError, type Ledger } from '../ledger/ledger.js';

const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
export const DEMO_PASSWORD = 'demo-Wallet-2026!';
/** Each account's funding, in major units of the currency. */
export const DEMO_FUNDING = 500n;

export interface DemoAccount {
  email: string;
  created: boolean;
}

export const demoEmail = (i: number) => `${i < NAMES.length ? NAMES[i] : `user${i + 1}`}@demo.wallet`;

export interface DemoAccounts {
  /** Makes sure the first `count` demo accounts exist, verified and funded; `progress` after each. */
  ensure(count: number, progress?: (done: number) => void): Promise<DemoAccount[]>;
}

export function createDemoAccounts(deps: {
  prisma: PrismaClient;
  accounts: AccountService;
  ledger: Ledger;
  currencies: Currencies;
  currency: string;
}): DemoAccounts {
  const { prisma, accounts, ledger, currency } = deps;
  const funding = DEMO_FUNDING * 10n ** BigInt(deps.currencies.get(currency)?.exponent ?? 2);
  return {
    async ensure(count, progress) {
      const result: DemoAccount[] = [];
      for (let i = 0; i < count; i++) {
        const email = demoEmail(i);
        const name = email.slice(0, email.indexOf('@'));
        let user = await prisma.user.findUnique({ where: { email }, select: { id: true, kycTier: true, emailVerifiedAt: true } });
        const created = !user;
        if (!user) {
          const signUp = await accounts.signUp(
            { email, password: DEMO_PASSWORD, displayName: name[0]!.toUpperCase() + name.slice(1) },
            { ip: 'demo-seed' },
          );
          if (!signUp.ok) throw new Error(`creating ${email} failed: ${signUp.errors.map((e) => e.message).join('; ')}`);
          user = { id: signUp.value.user.id, kycTier: 'TIER_0', emailVerifiedAt: null };
        }
        // Demo accounts are verified (TIER_1), so the demo is not stopped by a new account's limits,
        // and their email is, so the step-up actions work with a code from the sandbox inbox.
        if (user.kycTier === 'TIER_0' || !user.emailVerifiedAt) {
          await prisma.user.update({
            where: { id: user.id },
            data: { kycTier: user.kycTier === 'TIER_0' ? 'TIER_1' : user.kycTier, emailVerifiedAt: user.emailVerifiedAt ?? new Date() },
          });
        }
        const [funded] = await ledger.postTransfers([
          {
            userId: user.id,
            key: `seed-funding-${currency}`,
            operation: 'seedFunding',
            hash: `seed-${currency}-${funding}`,
            type: 'ADJUSTMENT',
            currency,
            amount: funding,
            from: { system: 'PROMOTIONS' },
            to: { userId: user.id },
            note: 'Welcome credit (demo data)',
            metadata: { reason: 'seed' },
          },
        ]);
        if (!funded!.ok) throw new Error(`funding ${email} failed: ${refusalError(funded!, 'adjustBalance').message}`);
        result.push({ email, created });
        progress?.(i + 1);
      }
      return result;
    },
  };
}
