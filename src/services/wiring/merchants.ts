// Merchants wiring, in dependency order: the merchant service (its first webhook secret made by
// the plain signing-secret function), the merchant webhook service, payment requests, payments.
import type { Config } from '../../config.js';
import { createMerchantPaymentService } from '../merchants/merchantPayments.js';
import { createMerchantService } from '../merchants/merchants.js';
import { createMerchantWebhookService } from '../merchants/merchantWebhooks.js';
import { createPaymentRequestService } from '../merchants/paymentRequests.js';
import { newSigningSecret } from '../merchants/signingSecrets.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Currencies } from '../money/currencies.js';
import type { RiskEngine } from '../risk/riskEngine.js';
import type { Vault } from '../vault/vault.js';
import type { SharedWithOutbox } from './shared.js';

export const merchantSettings = (config: Config) => ({
  fee: config.MERCHANT_FEE,
  publicOrigin: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
  webhooks: {
    retryBaseMs: config.MERCHANT_WEBHOOK_RETRY_BASE_MS,
    retryForMs: config.MERCHANT_WEBHOOK_RETRY_FOR_HOURS * 3_600_000,
    pollMs: config.MERCHANT_WEBHOOK_POLL_MS,
    timeoutMs: config.MERCHANT_WEBHOOK_TIMEOUT_MS,
    allowLocal: config.MERCHANT_WEBHOOK_ALLOW_LOCAL,
  },
});

export function wireMerchants(
  { prisma, outbox, audit, log, metrics }: SharedWithOutbox,
  settings: ReturnType<typeof merchantSettings>,
  needs: { ledger: Ledger; currencies: Currencies; risk: RiskEngine; vault: Vault },
) {
  const { currencies, vault } = needs;
  const merchants = createMerchantService({
    prisma,
    currencies,
    allowLocalWebhookUrls: settings.webhooks.allowLocal,
    newWebhookSecret: () => newSigningSecret(vault),
    log,
  });
  const merchantWebhooks = createMerchantWebhookService({
    prisma,
    audit,
    merchants,
    vault: { store: vault.store, reveal: vault.reveal },
    settings: settings.webhooks,
    log,
    metrics,
  });
  const paymentRequests = createPaymentRequestService({ prisma, merchants, currencies, outbox, webhooks: merchantWebhooks, log });
  paymentRequests.setPublicOrigin(settings.publicOrigin);
  const merchantPayments = createMerchantPaymentService({
    prisma,
    ledger: needs.ledger,
    merchants,
    requests: paymentRequests,
    currencies,
    risk: needs.risk,
    fee: settings.fee,
    webhooks: merchantWebhooks,
    log,
  });
  return { merchants, merchantWebhooks, paymentRequests, merchantPayments };
}
