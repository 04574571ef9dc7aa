// The sandbox bank (ACH/SEPA-like). Every linked account receives the same two micro-deposits
// (testValues.ts), so tests and developers know what to confirm. Debits (money in) and credits
// (money out) settle after a delay; scripted account numbers fail (R01, R04) or come back
// returned after settling (R03).
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import type { BankGateway, MovementRequest, MovementStatus } from '../gateways.js';
import { SANDBOX_BANK_ACCOUNTS, SANDBOX_MICRO_DEPOSITS } from './testValues.js';
import type { WebhookSender } from './webhookSender.js';

export function createSandboxBankGateway(deps: { vault: VaultReader; webhooks: WebhookSender; timing: { settleMs: number; webhookDelayMs: number } }): BankGateway {
  const { webhooks, timing } = deps;
  // The bank's own records, by our reference (it is the idempotency key).
  const movements = new Map<string, MovementStatus>();

  /** A debit (money in) or credit (money out): settles after a delay unless the account is scripted. */
  async function move(kind: 'debit' | 'credit', { vaultToken, amount, currency, reference }: MovementRequest) {
    const known = movements.get(reference);
    if (known) return { providerRef: known.providerRef };
    const account = await deps.vault.reveal(vaultToken, 'BANK_ACCOUNT');
    const movement: MovementStatus = { providerRef: `${kind === 'debit' ? 'py' : 'po'}_${randomBytes(12).toString('hex')}`, state: 'pending', amount, currency };
    movements.set(reference, movement);
    const data = { reference, providerRef: movement.providerRef, amount: amount.toString(), currency };
    const failed = (failureCode: string, failureMessage: string) => {
      movement.state = 'failed';
      webhooks.send([{ type: `${kind}.failed`, data: { ...data, failureCode, failureMessage }, afterMs: timing.settleMs }]);
    };
    if (account === SANDBOX_BANK_ACCOUNTS.invalid) failed('R04', 'Invalid account number.');
    else if (kind === 'debit' && account === SANDBOX_BANK_ACCOUNTS.insufficientFunds) failed('R01', 'Insufficient funds in the bank account.');
    else if (account === SANDBOX_BANK_ACCOUNTS.returned) {
      movement.state = 'returned';
      webhooks.send([
        { type: `${kind}.succeeded`, data, afterMs: timing.settleMs },
        { type: `${kind}.returned`, data: { ...data, failureCode: 'R03', failureMessage: 'No account or unable to locate account.' }, afterMs: timing.settleMs },
      ]);
    } else {
      movement.state = 'succeeded';
      webhooks.send([
        { type: `${kind}.pending`, data, afterMs: timing.webhookDelayMs },
        { type: `${kind}.succeeded`, data, afterMs: timing.settleMs },
      ]);
    }
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

    async lookup(reference) {
      return movements.get(reference) ?? null;
    },
  };
}
