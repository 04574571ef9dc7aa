// The sandbox card processor. Outcomes are chosen by the card number (testValues.ts), as real
// processors' test modes do; it reads the number from the vault exactly as a real adapter would
// before sending it to its processor. Results arrive later as signed webhooks; its own records
// (records.ts) answer lookups and the daily settlement report.
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import { GatewayTimeoutError, type CardGateway, type MovementState } from '../gateways.js';
import type { SandboxRecords } from './records.js';
import { SANDBOX_CARDS } from './testValues.js';
import type { WebhookSender } from './webhookSender.js';

export interface SandboxTiming {
  webhookDelayMs: number;
  disputeDelayMs: number;
  /** How long a call may take before the caller gives up (the timeout card waits this long). */
  timeoutMs: number;
}

type Script = {
  state: MovementState;
  settlesInMs: number | null;
  events: { type: string; afterMs: number; failureCode?: string; failureMessage?: string }[];
};

/** What happens to a charge on this card. */
function scriptFor(pan: string, t: SandboxTiming): Script {
  const d = t.webhookDelayMs;
  switch (pan) {
    case SANDBOX_CARDS.declined:
      return {
        state: 'failed',
        settlesInMs: null,
        events: [{ type: 'charge.failed', afterMs: d, failureCode: 'card_declined', failureMessage: 'The card was declined.' }],
      };
    case SANDBOX_CARDS.insufficientFunds:
      return {
        state: 'failed',
        settlesInMs: null,
        events: [
          { type: 'charge.failed', afterMs: d, failureCode: 'insufficient_funds', failureMessage: 'The card has insufficient funds.' },
        ],
      };
    case SANDBOX_CARDS.disputed:
      return {
        state: 'disputed',
        settlesInMs: d,
        events: [
          { type: 'charge.succeeded', afterMs: d },
          {
            type: 'charge.disputed',
            afterMs: t.disputeDelayMs,
            failureCode: 'fraudulent',
            failureMessage: 'The cardholder disputed the charge.',
          },
        ],
      };
    case SANDBOX_CARDS.delayed:
      return {
        state: 'succeeded',
        settlesInMs: 11 * d,
        events: [
          { type: 'charge.pending', afterMs: d },
          { type: 'charge.succeeded', afterMs: 10 * d },
        ],
      };
    case SANDBOX_CARDS.timeout:
      // It goes through, but the answer (and the webhook) never come: only lookup() knows.
      return { state: 'succeeded', settlesInMs: 0, events: [] };
    default:
      return { state: 'succeeded', settlesInMs: d, events: [{ type: 'charge.succeeded', afterMs: d }] };
  }
}

export function createSandboxCardGateway(deps: {
  vault: VaultReader;
  records: SandboxRecords;
  webhooks: WebhookSender;
  timing: SandboxTiming;
}): CardGateway {
  const { records, webhooks, timing } = deps;

  return {
    async verifyCard({ vaultToken }) {
      const pan = await deps.vault.reveal(vaultToken, 'PAN');
      if (pan === SANDBOX_CARDS.incorrectCvc) {
        return { ok: false, code: 'CARD_DECLINED', message: 'The card was declined: its security code is incorrect.' };
      }
      return { ok: true, gatewayRef: `card_${randomBytes(12).toString('hex')}` };
    },

    async charge({ vaultToken, amount, currency, reference }) {
      const known = await records.get(reference);
      if (known) return { providerRef: known.providerRef };
      const pan = await deps.vault.reveal(vaultToken, 'PAN');
      const script = scriptFor(pan, timing);
      const { movement, fresh } = await records.claim({
        reference,
        provider: 'card',
        kind: 'charge',
        providerRef: `ch_${randomBytes(12).toString('hex')}`,
        state: script.state,
        amount,
        currency,
        settlesInMs: script.settlesInMs,
      });
      // The same reference twice (a retry racing the first call) is one charge with one set of webhooks.
      if (!fresh) return { providerRef: movement.providerRef };
      const data = { reference, providerRef: movement.providerRef, amount: amount.toString(), currency };
      webhooks.send(
        script.events.map(({ type, afterMs, failureCode, failureMessage }) => ({
          type,
          afterMs,
          data: failureCode ? { ...data, failureCode, failureMessage } : data,
        })),
      );
      if (pan === SANDBOX_CARDS.timeout) {
        await new Promise((resolve) => setTimeout(resolve, timing.timeoutMs));
        throw new GatewayTimeoutError(`The card processor did not answer within ${timing.timeoutMs} ms.`);
      }
      return { providerRef: movement.providerRef };
    },

    async refund({ reference, chargeReference, amount, currency }) {
      const known = await records.get(reference);
      if (known) return { providerRef: known.providerRef };
      // Only money that was charged and not charged back can go back to the card.
      const charge = await records.get(chargeReference);
      const refundable = charge?.state === 'succeeded' && charge.currency === currency && amount <= charge.amount;
      const { movement, fresh } = await records.claim({
        reference,
        provider: 'card',
        kind: 'refund',
        providerRef: `re_${randomBytes(12).toString('hex')}`,
        state: refundable ? 'succeeded' : 'failed',
        amount,
        currency,
        settlesInMs: refundable ? timing.webhookDelayMs : null,
      });
      if (!fresh) return { providerRef: movement.providerRef };
      const data = { reference, providerRef: movement.providerRef, amount: amount.toString(), currency };
      webhooks.send([
        refundable
          ? { type: 'refund.succeeded', data, afterMs: timing.webhookDelayMs }
          : {
              type: 'refund.failed',
              data: { ...data, failureCode: 'charge_not_refundable', failureMessage: 'That charge cannot be refunded.' },
              afterMs: timing.webhookDelayMs,
            },
      ]);
      return { providerRef: movement.providerRef };
    },

    lookup: (reference) => records.get(reference),
    settlementReport: (day) => records.settledOn('card', day),
  };
}
