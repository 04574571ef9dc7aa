// The service container: every domain service, built once per process from explicit dependencies.
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/database.js';
import type { SharedRedis } from '../db/redis.js';
import type { Sql } from '../db/sql.js';
import type { Logger } from '../logger.js';
import { createAccountService, type AccountService } from './accounts/accounts.js';
import { createAccessTokens, type AccessTokens } from './auth/accessTokens.js';
import { createAmlService, type AmlService } from './compliance/aml.js';
import { createAmlMonitor, type AmlMonitor } from './compliance/amlMonitor.js';
import { createKycService, type KycService } from './compliance/kyc.js';
import { createLimitsService, loadLimitsFile, syncTierLimits, type LimitsService } from './compliance/limits.js';
import { loadSanctionsList } from './compliance/sanctions.js';
import { createSessionService, type SessionService } from './auth/sessions.js';
import { createSignInThrottle } from './auth/signInThrottle.js';
import { createOutboxPublisher, type OutboxPublisher } from './events/outbox.js';
import type { PubSub } from './events/pubsub.js';
import { createHistoryService, type HistoryService } from './history/transactions.js';
import { createFundingService, type FundingService } from './funding/funding.js';
import { createSandboxBankGateway } from './gateways/sandbox/bankSandbox.js';
import { createSandboxCardGateway } from './gateways/sandbox/cardSandbox.js';
import { createSandboxKycProvider } from './gateways/sandbox/kycSandbox.js';
import { createSandboxRecords } from './gateways/sandbox/records.js';
import { createWebhookSender } from './gateways/sandbox/webhookSender.js';
import { createBatchingLedger } from './ledger/batchingLedger.js';
import { createLedger, type Ledger } from './ledger/postTransfers.js';
import { loadCurrencies, type Currencies } from './money/currencies.js';
import { createMerchantPaymentService, type MerchantPaymentService } from './merchants/merchantPayments.js';
import { createMerchantService, type MerchantService } from './merchants/merchants.js';
import { createMerchantWebhookService, type MerchantWebhookService } from './merchants/merchantWebhooks.js';
import { createPaymentRequestService, type PaymentRequestService } from './merchants/paymentRequests.js';
import { createPaymentMethodService, type PaymentMethodService } from './payments/paymentMethods.js';
import { createApiKeyService, type ApiKeyService } from './partners/apiKeys.js';
import { createTrustedDocumentService, type TrustedDocumentService } from './partners/trustedDocuments.js';
import { createLimiterFactory, createWindowCounter } from './ratelimit/limiters.js';
import { createTokenBucket, type TokenBucket } from './ratelimit/tokenBucket.js';
import { createRiskEngine } from './risk/riskEngine.js';
import { createRiskReviewService, type RiskReviewService } from './risk/riskReviews.js';
import { createTransferService, type TransferService } from './transfers/transfers.js';
import { createVault, type VaultKeys } from './vault/vault.js';
import { createWalletService, type WalletService } from './wallets/wallets.js';

export interface Services {
  accessTokens: AccessTokens;
  sessions: SessionService;
  accounts: AccountService;
  pubsub: PubSub;
  currencies: Currencies;
  outbox: OutboxPublisher;
  ledger: Ledger;
  wallets: WalletService;
  history: HistoryService;
  transfers: TransferService;
  paymentMethods: PaymentMethodService;
  funding: FundingService;
  limits: LimitsService;
  kyc: KycService;
  aml: AmlService;
  amlMonitor: AmlMonitor;
  riskReviews: RiskReviewService;
  merchants: MerchantService;
  paymentRequests: PaymentRequestService;
  merchantPayments: MerchantPaymentService;
  merchantWebhooks: MerchantWebhookService;
  apiKeys: ApiKeyService;
  trustedDocuments: TrustedDocumentService;
  /** Request rate limits (token buckets) per signed-in user and per API key. */
  rateLimits: { user: TokenBucket; apiKey: TokenBucket };
  /** The in-process sandbox processors: where to deliver their webhooks, and stopping them. */
  sandbox: SandboxControl;
  /** Per processor, newest first: the webhook endpoint accepts any of them. */
  webhookSecrets: WebhookSecrets;
}

export interface SandboxControl {
  setWebhookTarget(origin: string): void;
  stop(): void;
}

export interface WebhookSecrets {
  card: string[];
  bank: string[];
  kyc: string[];
}

export interface ServiceDeps {
  config: Config;
  jwtSecret: string;
  vaultKeys: VaultKeys;
  webhookSecrets: WebhookSecrets;
  prisma: PrismaClient;
  sql: Sql;
  pubsub: PubSub;
  /** Shared rate limits and counters; each falls back to its in-process form while Redis is down. */
  redis?: SharedRedis;
  log: Logger;
}

export async function createServices({ config, jwtSecret, vaultKeys, webhookSecrets, prisma, sql, pubsub, redis, log }: ServiceDeps): Promise<Services> {
  const currencies = await loadCurrencies(prisma, { defaultMax: config.MAX_TRANSFER_AMOUNT, overrides: config.MAX_TRANSFER_AMOUNTS });
  if (!currencies.get(config.DEFAULT_CURRENCY)) {
    throw new Error(
      `DEFAULT_CURRENCY ${config.DEFAULT_CURRENCY} is not a supported currency (${currencies.list().map((c) => c.code).join(', ')}).`,
    );
  }
  // Every process writes the same limits from the same file; the database enforces them.
  const limitsFile = loadLimitsFile(config.KYC_LIMITS_FILE, currencies);
  await syncTierLimits(prisma, limitsFile.rows);
  const limiters = createLimiterFactory(redis, config.REDIS_PREFIX);
  const outbox = createOutboxPublisher({
    prisma,
    pubsub,
    log,
    settings: {
      relayIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
      relayDelayMs: config.OUTBOX_RELAY_DELAY_MS,
    },
  });
  const accessTokens = createAccessTokens(jwtSecret, config.ACCESS_TOKEN_TTL_SECONDS);
  const sessions = createSessionService({
    prisma,
    sql,
    pubsub,
    outbox,
    accessTokens,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    cacheSeconds: config.SESSION_CACHE_SECONDS,
    log,
  });
  const throttle = createSignInThrottle(limiters, {
    maxFailuresPerEmail: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
    maxFailuresPerIp: config.SIGNIN_MAX_FAILURES_PER_IP,
    windowSeconds: config.SIGNIN_WINDOW_SECONDS,
    slowdownAfter: config.SIGNIN_SLOWDOWN_AFTER,
    slowdownMs: config.SIGNIN_SLOWDOWN_MS,
  });
  const aml = createAmlService({ prisma, outbox, sanctions: loadSanctionsList(config.SANCTIONS_LIST_FILE), log });
  const accounts = createAccountService({
    prisma,
    sql,
    sessions,
    throttle,
    limiters,
    signUpLimit: { points: config.SIGNUP_MAX_PER_IP, durationSeconds: config.SIGNUP_WINDOW_SECONDS },
    pubsub,
    defaultCurrency: config.DEFAULT_CURRENCY,
    screenName: (userId, name) => aml.screen(userId, name, 'SIGN_UP'),
    log,
  });
  const directLedger = createLedger({ prisma, outbox, log, idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS });
  const ledger =
    config.LEDGER_BATCH_MAX > 1
      ? createBatchingLedger(
          directLedger,
          { windowMs: config.LEDGER_BATCH_WINDOW_MS, maxBatch: config.LEDGER_BATCH_MAX, maxInFlight: config.LEDGER_BATCH_IN_FLIGHT },
          log,
        )
      : directLedger;
  const wallets = createWalletService({ prisma, sql, currencies, outbox });
  const history = createHistoryService({ sql });
  const limits = createLimitsService({ prisma });
  const risk = createRiskEngine({
    sql,
    sends: createWindowCounter(redis, `${config.REDIS_PREFIX}risk-sends:`, [60, 3600]),
    // Batched like the ledger: a send's facts are read with those of the sends beside it.
    batch: { windowMs: config.LEDGER_BATCH_WINDOW_MS, maxBatch: config.LEDGER_BATCH_MAX, maxInFlight: config.LEDGER_BATCH_IN_FLIGHT },
    log,
    fromBase: limitsFile.fromBase,
    settings: {
      enabled: config.RISK_RULES,
      velocityPerMinute: config.RISK_VELOCITY_PER_MINUTE,
      velocityPerHour: config.RISK_VELOCITY_PER_HOUR,
      largeAmount: config.RISK_LARGE_AMOUNT,
      historyMultiplier: config.RISK_HISTORY_MULTIPLIER,
      historyFloor: config.RISK_HISTORY_FLOOR,
      newDeviceHours: config.RISK_NEW_DEVICE_HOURS,
      credentialChangeHours: config.RISK_CREDENTIAL_CHANGE_HOURS,
      credentialChangeAmount: config.RISK_CREDENTIAL_CHANGE_AMOUNT,
      failedMethodsReview: config.RISK_FAILED_METHODS_REVIEW,
      failedMethodsBlock: config.RISK_FAILED_METHODS_BLOCK,
    },
  });
  const transfers = createTransferService({ ledger, currencies, risk, limits });
  // The full vault goes to the gateway adapters only; everything else may store, never reveal.
  const vault = createVault({ sql, keys: vaultKeys });
  const sender = (provider: 'card' | 'bank' | 'kyc') =>
    createWebhookSender({ provider, secrets: webhookSecrets[provider], chaos: config.SANDBOX_WEBHOOK_CHAOS, target: () => webhookTarget, log });
  const webhookSenders = [sender('card'), sender('bank'), sender('kyc')] as const;
  const records = createSandboxRecords(sql);
  const cards = createSandboxCardGateway({
    vault,
    records,
    webhooks: webhookSenders[0],
    timing: { webhookDelayMs: config.SANDBOX_WEBHOOK_DELAY_MS, disputeDelayMs: config.SANDBOX_DISPUTE_DELAY_MS, timeoutMs: config.GATEWAY_TIMEOUT_MS },
  });
  const banks = createSandboxBankGateway({
    vault,
    records,
    webhooks: webhookSenders[1],
    timing: { settleMs: config.SANDBOX_BANK_SETTLE_MS, webhookDelayMs: config.SANDBOX_WEBHOOK_DELAY_MS },
  });
  const paymentMethods = createPaymentMethodService({
    prisma,
    vault: { store: vault.store, fingerprint: vault.fingerprint, discard: vault.discard },
    cards,
    banks,
    log,
  });
  const funding = createFundingService({
    prisma,
    screenName: (userId, name) => aml.screen(userId, name, 'PAYOUT'),
    currencies,
    paymentMethods,
    cards,
    banks,
    outbox,
    pubsub,
    log,
    fees: { card: config.CARD_DEPOSIT_FEE, bank: config.BANK_DEPOSIT_FEE },
    gatewayTimeoutMs: config.GATEWAY_TIMEOUT_MS,
    idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
  });
  // The merchant service makes a merchant's first webhook secret; the webhook service checks
  // membership through the merchant service: the first is handed the second once it exists.
  let merchantWebhooks: MerchantWebhookService | undefined;
  const merchants = createMerchantService({
    prisma,
    currencies,
    allowLocalWebhookUrls: config.MERCHANT_WEBHOOK_ALLOW_LOCAL,
    newWebhookSecret: () => merchantWebhooks!.newSecret(),
    log,
  });
  merchantWebhooks = createMerchantWebhookService({
    prisma,
    merchants,
    vault: { store: vault.store, reveal: vault.reveal },
    settings: {
      retryBaseMs: config.MERCHANT_WEBHOOK_RETRY_BASE_MS,
      retryForMs: config.MERCHANT_WEBHOOK_RETRY_FOR_HOURS * 3_600_000,
      pollMs: config.MERCHANT_WEBHOOK_POLL_MS,
      timeoutMs: config.MERCHANT_WEBHOOK_TIMEOUT_MS,
      allowLocal: config.MERCHANT_WEBHOOK_ALLOW_LOCAL,
    },
    log,
  });
  const paymentRequests = createPaymentRequestService({ prisma, merchants, currencies, outbox, webhooks: merchantWebhooks, log });
  paymentRequests.setPublicOrigin(config.PUBLIC_URL ?? `http://localhost:${config.PORT}`);
  const merchantPayments = createMerchantPaymentService({
    prisma,
    merchants,
    requests: paymentRequests,
    currencies,
    risk,
    outbox,
    fee: config.MERCHANT_FEE,
    idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
    webhooks: merchantWebhooks,
    log,
  });
  const trustedDocuments = createTrustedDocumentService({ prisma, log });
  await trustedDocuments.registerDirectory(config.PARTNER_DOCUMENTS_DIR);
  let webhookTarget: string | null = null;
  const sandbox: SandboxControl = {
    setWebhookTarget: (origin) => void (webhookTarget = origin),
    stop: () => webhookSenders.forEach((s) => s.stop()),
  };
  return {
    accessTokens, sessions, accounts, pubsub, currencies, outbox, ledger, wallets, history, transfers, paymentMethods, funding, sandbox,
    limits,
    aml,
    merchants,
    paymentRequests,
    merchantPayments,
    merchantWebhooks,
    apiKeys: createApiKeyService({ prisma, merchants, pubsub, outbox, defaultClient: config.DEFAULT_PARTNER_CLIENT, log }),
    trustedDocuments,
    rateLimits: {
      user: createTokenBucket(redis, `${config.REDIS_PREFIX}rate-user:`, config.RATE_LIMIT_USER, log),
      apiKey: createTokenBucket(redis, `${config.REDIS_PREFIX}rate-key:`, config.RATE_LIMIT_API_KEY, log),
    },
    riskReviews: createRiskReviewService({ prisma, outbox, idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS, log }),
    amlMonitor: createAmlMonitor({
      prisma,
      log,
      thresholds: {
        reportingThreshold: config.AML_REPORTING_THRESHOLD,
        structuringCount: config.AML_STRUCTURING_COUNT,
        structuringWindowHours: config.AML_STRUCTURING_WINDOW_HOURS,
        rapidMin: config.AML_RAPID_MIN,
        rapidWindowHours: config.AML_RAPID_WINDOW_HOURS,
        fanCount: config.AML_FAN_COUNT,
        fanWindowHours: config.AML_FAN_WINDOW_HOURS,
      },
    }),
    kyc: createKycService({
      prisma,
      vault: { store: vault.store, fingerprint: vault.fingerprint, discard: vault.discard },
      provider: createSandboxKycProvider({ vault, webhooks: webhookSenders[2], delayMs: config.SANDBOX_KYC_DELAY_MS }),
      screenName: (userId, name) => aml.screen(userId, name, 'KYC'),
      pubsub,
      log,
    }),
    webhookSecrets,
  };
}
