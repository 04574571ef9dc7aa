// The sandbox card processor. Outcomes are chosen by the card number (testValues.ts), as real
// processors' test modes do; it reads the number from the vault exactly as a real adapter would
// before sending it to its processor. Results arrive later as signed webhooks.
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import { GatewayTimeoutError, type CardGateway, type MovementStatus } from '../gateways.js';
import { SANDBOX_CARDS } from './testValues.js';
import type { WebhookSender } from './webhookSender.js';

export interface SandboxTiming {
  webhookDelayMs: number;
  disputeDelayMs: number;
  /** How long a call may take before the caller gives up (the timeout card waits this long). */
  timeoutMs: number;
}

export function createSandboxCardGateway(deps: { vault: VaultReader; webhooks: WebhookSender; timing: SandboxTiming }): CardGateway {
  const { webhooks, timing } = deps;
  // The processor's own records, by our reference (it is the idempotency key).
  const charges = new Map<string, MovementStatus>();

  return {
    async verifyCard({ vaultToken }) {
      const pan = await deps.vault.reveal(vaultToken, 'PAN');
      if (pan === SANDBOX_CARDS.incorrectCvc) {
        return { ok: false, code: 'CARD_DECLINED', message: 'The card was declined: its security code is incorrect.' };
      }
      return { ok: true, gatewayRef: `card_${randomBytes(12).toString('hex')}` };
    },

    async charge({ vaultToken, amount, currency, reference }) {
      const known = charges.get(reference);
      if (known) return { providerRef: known.providerRef };
      const pan = await deps.vault.reveal(vaultToken, 'PAN');
      const charge: MovementStatus = { providerRef: `ch_${randomBytes(12).toString('hex')}`, state: 'pending', amount, currency };
      charges.set(reference, charge);
      const data = { reference, providerRef: charge.providerRef, amount: amount.toString(), currency };
      const d = timing.webhookDelayMs;
      const failed = (failureCode: string, failureMessage: string) => {
        charge.state = 'failed';
        webhooks.send([{ type: 'charge.failed', data: { ...data, failureCode, failureMessage }, afterMs: d }]);
      };
      switch (pan) {
        case SANDBOX_CARDS.declined:
          failed('card_declined', 'The card was declined.');
          break;
        case SANDBOX_CARDS.insufficientFunds:
          failed('insufficient_funds', 'The card has insufficient funds.');
          break;
        case SANDBOX_CARDS.disputed:
          charge.state = 'disputed';
          webhooks.send([
            { type: 'charge.succeeded', data, afterMs: d },
            { type: 'charge.disputed', data: { ...data, failureCode: 'fraudulent', failureMessage: 'The cardholder disputed the charge.' }, afterMs: timing.disputeDelayMs },
          ]);
          break;
        case SANDBOX_CARDS.delayed:
          charge.state = 'succeeded';
          webhooks.send([
            { type: 'charge.pending', data, afterMs: d },
            { type: 'charge.succeeded', data, afterMs: 10 * d },
          ]);
          break;
        case SANDBOX_CARDS.timeout:
          // It went through, but the answer (and the webhook) never come: only lookup() knows.
          charge.state = 'succeeded';
          await new Promise((resolve) => setTimeout(resolve, timing.timeoutMs));
          throw new GatewayTimeoutError(`The card processor did not answer within ${timing.timeoutMs} ms.`);
        default:
          charge.state = 'succeeded';
          webhooks.send([{ type: 'charge.succeeded', data, afterMs: d }]);
      }
      return { providerRef: charge.providerRef };
    },

    async lookup(reference) {
      return charges.get(reference) ?? null;
    },
  };
}
