// The sandbox bank (ACH/SEPA-like). Every linked account receives the same two micro-deposits
// (testValues.ts), so tests and developers know what to confirm.
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import type { BankGateway } from '../gateways.js';
import { SANDBOX_MICRO_DEPOSITS } from './testValues.js';

export function createSandboxBankGateway(deps: { vault: VaultReader }): BankGateway {
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
  };
}
