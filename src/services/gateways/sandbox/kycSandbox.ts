// The sandbox KYC provider: approves by default, and rejects, refers to review or never answers
// for the test values in testValues.ts (the document number's last four for TIER_2, a legal name
// ending in those digits for TIER_1), deciding after SANDBOX_KYC_DELAY_MS by signed webhook.
import { randomBytes } from 'node:crypto';
import type { VaultReader } from '../../vault/vault.js';
import type { KycProvider } from '../gateways.js';
import { SANDBOX_KYC } from './testValues.js';
import type { WebhookSender } from './webhookSender.js';

export function createSandboxKycProvider(deps: { vault: VaultReader; webhooks: WebhookSender; delayMs: number }): KycProvider {
  return {
    async submit({ reference, legalName, documentToken }) {
      const providerRef = `kyc_${randomBytes(12).toString('hex')}`;
      // A real adapter sends the document number to its provider; the sandbox reads it the same way.
      const chosenBy = documentToken ? await deps.vault.reveal(documentToken, 'DOCUMENT') : legalName;
      const data = { reference, providerRef };
      const outcome = chosenBy.slice(-4);
      if (outcome === SANDBOX_KYC.timeout) return { providerRef };
      deps.webhooks.send([
        outcome === SANDBOX_KYC.reject
          ? { type: 'kyc.rejected', data: { ...data, reason: 'The document has expired.' }, afterMs: deps.delayMs }
          : outcome === SANDBOX_KYC.review
            ? { type: 'kyc.review', data: { ...data, reason: 'The selfie could not be matched automatically.' }, afterMs: deps.delayMs }
            : { type: 'kyc.approved', data, afterMs: deps.delayMs },
      ]);
      return { providerRef };
    },
  };
}
