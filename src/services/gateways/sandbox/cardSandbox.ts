// The sandbox card processor. Outcomes are chosen by the card number (testValues.ts), as real
// processors' test modes do; it reads the number from the vault exactly as a real adapter would
// before sending it to its processor.
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import type { CardGateway } from '../gateways.js';
import { SANDBOX_CARDS } from './testValues.js';

export function createSandboxCardGateway(deps: { vault: VaultReader }): CardGateway {
  return {
    async verifyCard({ vaultToken }) {
      const pan = await deps.vault.reveal(vaultToken, 'PAN');
      if (pan === SANDBOX_CARDS.incorrectCvc) {
        return { ok: false, code: 'CARD_DECLINED', message: 'The card was declined: its security code is incorrect.' };
      }
      return { ok: true, gatewayRef: `card_${randomBytes(12).toString('hex')}` };
    },
  };
}
