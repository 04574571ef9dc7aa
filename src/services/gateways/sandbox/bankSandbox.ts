// The sandbox bank (ACH/SEPA-like). Every linked account receives the same two micro-deposits
// (testValues.ts), so tests and developers know what to confirm. Debits (money in) and credits
// (money out) settle after a delay; scripted account numbers fail (R01, R04) or come back
// returned after settling (R03). Its own records (records.ts) answer lookups and reports.
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import type { BankGateway, MovementRequest, MovementState } from '../gateways.js';
import type { SandboxRecords } from './records.js';
import { SANDBOX_BANK_ACCOUNTS, SANDBOX_MICRO_DEPOSITS } from './testValues.js';
import type { WebhookSender } from './webhookSender.js';

type Event = { type: string; afterMs: number; failureCode?: string; failureMessage?: string };

export function createSandboxBankGateway(deps: {
  vault: VaultReader;
  records: SandboxRecords;
  webhooks: WebhookSender;
  timing: { settleMs: number; webhookDelayMs: number };
}): BankGateway {
  const { records, webhooks, timing } = deps;

  /** What happens to a debit or credit on this account. */
  function scriptFor(kind: 'debit' | 'credit', account: string): { state: MovementState; settles: boolean; events: Event[] } {
    const fail = (failureCode: string, failureMessage: string) => ({
      state: 'failed' as const,
      settles: false,
      events: [{ type: `${kind}.failed`, afterMs: timing.settleMs, failureCode, failureMessage }],
    });
    if (account === SANDBOX_BANK_ACCOUNTS.invalid) return fail('R04', 'Invalid account number.');
    if (kind === 'debit' && account === SANDBOX_BANK_ACCOUNTS.insufficientFunds)
      return fail('R01', 'Insufficient funds in the bank account.');
    if (account === SANDBOX_BANK_ACCOUNTS.returned) {
      return {
        state: 'returned',
        settles: true,
        events: [
          { type: `${kind}.succeeded`, afterMs: timing.settleMs },
          {
            type: `${kind}.returned`,
            afterMs: timing.settleMs,
            failureCode: 'R03',
            failureMessage: 'No account or unable to locate account.',
          },
        ],
      };
    }
    return {
      state: 'succeeded',
      settles: true,
      events: [
        { type: `${kind}.pending`, afterMs: timing.webhookDelayMs },
        { type: `${kind}.succeeded`, afterMs: timing.settleMs },
      ],
    };
  }

  async function move(kind: 'debit' | 'credit', { vaultToken, amount, currency, reference }: MovementRequest) {
    const known = await records.get(reference);
    if (known) return { providerRef: known.providerRef };
    const script = scriptFor(kind, await deps.vault.reveal(vaultToken, 'BANK_ACCOUNT'));
    const { movement, fresh } = await records.claim({
      reference,
      provider: 'bank',
      kind,
      providerRef: `${kind === 'debit' ? 'py' : 'po'}_${randomBytes(12).toString('hex')}`,
      state: script.state,
      amount,
      currency,
      settlesInMs: script.settles ? timing.settleMs : null,
    });
    if (!fresh) return { providerRef: movement.providerRef };
    const data = { reference, providerRef: movement.providerRef, amount: amount.toString(), currency };
    webhooks.send(
      script.events.map(({ type, afterMs, failureCode, failureMessage }) => ({
        type,
        afterMs,
        data: failureCode ? { ...data, failureCode, failureMessage } : data,
      })),
    );
    return { providerRef: movement.providerRef };
  }

  return {
    async linkAccount({ vaultToken }) {
      // A real adapter sends the number to its bank partner; the sandbox only proves it can read it.
      await deps.vault.reveal(vaultToken, 'BANK_ACCOUNT');
      return { gatewayRef: `ba_${randomBytes(12).toString('hex')}` };
    },

    async confirmMicroDeposits({ amounts }) {
      const sorted = [...amounts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return sorted.length === 2 && sorted[0] === SANDBOX_MICRO_DEPOSITS[0] && sorted[1] === SANDBOX_MICRO_DEPOSITS[1];
    },

    debit: (request) => move('debit', request),
    credit: (request) => move('credit', request),
    lookup: (reference) => records.get(reference),
    settlementReport: (day) => records.settledOn('bank', day),
  };
}
