// Gateways wiring: the token vault and the in-process sandbox processors (card, bank, KYC) with
// the webhook senders that call us back. The full vault goes to the gateway adapters only;
// everything else may store, never reveal.
import type { Config } from '../../config.js';
import { createSandboxBankGateway } from '../gateways/sandbox/bankSandbox.js';
import { createSandboxCardGateway } from '../gateways/sandbox/cardSandbox.js';
import { createSandboxKycProvider } from '../gateways/sandbox/kycSandbox.js';
import { createSandboxRecords } from '../gateways/sandbox/records.js';
import { createWebhookSender } from '../gateways/sandbox/webhookSender.js';
import { createVault, type VaultKeys } from '../vault/vault.js';
import type { SharedDeps } from './shared.js';

export interface SandboxControl {
  setWebhookTarget(origin: string): void;
  stop(): void;
}

export interface WebhookSecrets {
  card: string[];
  bank: string[];
  kyc: string[];
}

export const gatewaySettings = (config: Config) => ({
  webhookChaos: config.SANDBOX_WEBHOOK_CHAOS,
  webhookDelayMs: config.SANDBOX_WEBHOOK_DELAY_MS,
  disputeDelayMs: config.SANDBOX_DISPUTE_DELAY_MS,
  bankSettleMs: config.SANDBOX_BANK_SETTLE_MS,
  kycDelayMs: config.SANDBOX_KYC_DELAY_MS,
  timeoutMs: config.GATEWAY_TIMEOUT_MS,
});

export function wireGateways(
  { sql, log }: SharedDeps,
  settings: ReturnType<typeof gatewaySettings>,
  keys: { vaultKeys: VaultKeys; webhookSecrets: WebhookSecrets },
) {
  const vault = createVault({ sql, keys: keys.vaultKeys });
  let webhookTarget: string | null = null;
  const sender = (provider: 'card' | 'bank' | 'kyc') =>
    createWebhookSender({
      provider,
      secrets: keys.webhookSecrets[provider],
      chaos: settings.webhookChaos,
      target: () => webhookTarget,
      log,
    });
  const webhookSenders = [sender('card'), sender('bank'), sender('kyc')] as const;
  const records = createSandboxRecords(sql);
  const cards = createSandboxCardGateway({
    vault,
    records,
    webhooks: webhookSenders[0],
    timing: { webhookDelayMs: settings.webhookDelayMs, disputeDelayMs: settings.disputeDelayMs, timeoutMs: settings.timeoutMs },
  });
  const banks = createSandboxBankGateway({
    vault,
    records,
    webhooks: webhookSenders[1],
    timing: { settleMs: settings.bankSettleMs, webhookDelayMs: settings.webhookDelayMs },
  });
  const kycProvider = createSandboxKycProvider({ vault, webhooks: webhookSenders[2], delayMs: settings.kycDelayMs });
  const sandbox: SandboxControl = {
    setWebhookTarget: (origin) => {
      webhookTarget = origin;
    },
    stop: () => webhookSenders.forEach((s) => s.stop()),
  };
  return { vault, cards, banks, kycProvider, sandbox };
}
