// The sandbox bank (ACH/SEPA-like). Every linked account receives the same two micro-deposits
// (testValues.ts), so tests and developers know what to confirm. Debits settle after a delay;
// scripted account numbers fail (R01) or come back returned after settling (R03).
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import type { BankGateway, MovementStatus } from '../gateways.js';
import { SANDBOX_BANK_ACCOUNTS, SANDBOX_MICRO_DEPOSITS } from './testValues.js';
import type { WebhookSender } from './webhookSender.js';

export function createSandboxBankGateway(deps: { vault: VaultReader; webhooks: WebhookSender; timing: { settleMs: number; webhookDelayMs: number } }): BankGateway {
  const { webhooks, timing } = deps;
  const debits = new Map<string, MovementStatus>();

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

    async debit({ vaultToken, amount, currency, reference }) {
      const known = debits.get(reference);
      if (known) return { providerRef: known.providerRef };
      const account = await deps.vault.reveal(vaultToken, 'BANK_ACCOUNT');
      const debit: MovementStatus = { providerRef: `py_${randomBytes(12).toString('hex')}`, state: 'pending', amount, currency };
      debits.set(reference, debit);
      const data = { reference, providerRef: debit.providerRef, amount: amount.toString(), currency };
      if (account === SANDBOX_BANK_ACCOUNTS.insufficientFunds) {
        debit.state = 'failed';
        webhooks.send([{ type: 'debit.failed', data: { ...data, failureCode: 'R01', failureMessage: 'Insufficient funds in the bank account.' }, afterMs: timing.settleMs }]);
      } else if (account === SANDBOX_BANK_ACCOUNTS.returned) {
        debit.state = 'returned';
        webhooks.send([
          { type: 'debit.succeeded', data, afterMs: timing.settleMs },
          { type: 'debit.returned', data: { ...data, failureCode: 'R03', failureMessage: 'No account or unable to locate account.' }, afterMs: timing.settleMs },
        ]);
      } else {
        debit.state = 'succeeded';
        webhooks.send([
          { type: 'debit.pending', data, afterMs: timing.webhookDelayMs },
          { type: 'debit.succeeded', data, afterMs: timing.settleMs },
        ]);
      }
      return { providerRef: debit.providerRef };
    },

    async lookup(reference) {
      return debits.get(reference) ?? null;
    },
  };
}
