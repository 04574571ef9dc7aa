// The service container: every domain service, built once per process from explicit dependencies.
// Each domain is wired in src/services/wiring/<domain>.ts from the shared dependencies, its own
// settings (mapped from Config there) and the services it builds on; here they are composed in
// dependency order.
import type { Config } from '../config.js';
import type { AccountService } from './accounts/accounts.js';
import type { AccessTokens } from './auth/accessTokens.js';
import type { MfaService } from './auth/mfa.js';
import type { ContactVerificationService } from './auth/contactVerification.js';
import type { PasswordResetService } from './auth/passwordReset.js';
import type { StepUpCodeService } from './auth/stepUpCodes.js';
import type { Notifier } from './notifications/notifier.js';
import type { SandboxInbox } from './notifications/sandboxProviders.js';
import type { NotificationService } from './notifications/notifications.js';
import type { SessionService } from './auth/sessions.js';
import type { AmlService } from './compliance/aml.js';
import type { AmlMonitor } from './compliance/amlMonitor.js';
import { createAuditLog, type AuditLog } from './audit/auditLog.js';
import { createLedgerSeals, type LedgerSeals } from './integrity/ledgerSeals.js';
import { createDemoAccounts, type DemoAccounts } from './demo/demoAccounts.js';
import { createDebtService, type DebtService } from './funding/debts.js';
import type { KycService } from './compliance/kyc.js';
import type { LimitsService } from './compliance/limits.js';
import type { OutboxPublisher } from './events/outbox.js';
import type { PubSub } from './events/pubsub.js';
import type { FundingService } from './funding/funding.js';
import type { HistoryService } from './history/history.js';
import type { InsightsService } from './insights/insights.js';
import type { Ledger } from './ledger/ledger.js';
import type { MerchantPaymentService } from './merchants/merchantPayments.js';
import type { MerchantService } from './merchants/merchants.js';
import type { MerchantWebhookService } from './merchants/merchantWebhooks.js';
import type { PaymentRequestService } from './merchants/paymentRequests.js';
import type { Currencies } from './money/currencies.js';
import type { ApiKeyService } from './partners/apiKeys.js';
import type { TrustedDocumentService } from './partners/trustedDocuments.js';
import type { PaymentMethodService } from './paymentMethods/paymentMethods.js';
import type { ProcessShares } from './ratelimit/processShares.js';
import type { TokenBucket } from './ratelimit/tokenBucket.js';
import type { RiskReviewService } from './risk/riskReviews.js';
import type { StatementService } from './statements/statements.js';
import { noServiceMetrics, type ServiceMetrics } from './telemetry.js';
import type { TransferService } from './transfers/transfers.js';
import type { VaultKeys } from './vault/vault.js';
import { createSealedValues } from './vault/sealedValues.js';
import { createPhones, type Phones } from './accounts/phones.js';
import type { WalletService } from './wallets/wallets.js';
import { accountSettings, wireAccounts } from './wiring/accounts.js';
import { complianceSettings, wireCompliance } from './wiring/compliance.js';
import { eventSettings, wireEvents } from './wiring/events.js';
import { gatewaySettings, wireGateways, type SandboxControl, type WebhookSecrets } from './wiring/gateways.js';
import { ledgerSettings, wireLedger } from './wiring/ledger.js';
import { merchantSettings, wireMerchants } from './wiring/merchants.js';
import { moneySettings, wireMoney } from './wiring/money.js';
import { notificationSettings, wireNotifications } from './wiring/notifications.js';
import { partnerSettings, wirePartners } from './wiring/partners.js';
import { paymentSettings, wirePayments } from './wiring/payments.js';
import { riskSettings, wireRisk } from './wiring/risk.js';
import { statementSettings, wireStatements } from './wiring/statements.js';
import type { SharedDeps } from './wiring/shared.js';
import type { PrivacyService } from './privacy/privacy.js';
import type { Retention } from './privacy/retention.js';
import { privacySettings, wirePrivacy } from './wiring/privacy.js';

export type { SandboxControl, WebhookSecrets } from './wiring/gateways.js';

export interface Services {
  accessTokens: AccessTokens;
  sessions: SessionService;
  accounts: AccountService;
  /** TOTP MFA and the step-up check of risky actions. */
  mfa: MfaService;
  /** Verified email and phone (codes sent through the notifier). */
  contactVerification: ContactVerificationService;
  /** Step-up of users without MFA: a code sent to a verified contact. */
  stepUpCodes: StepUpCodeService;
  /** Password reset by an emailed link. */
  passwordReset: PasswordResetService;
  /** Email and SMS, written in the transaction of what they report and delivered after commit. */
  notifier: Notifier;
  /** What the sandbox email and SMS providers received (GET /sandbox/messages outside production). */
  sandboxInbox: SandboxInbox;
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
  /** Request rate limits (token buckets) per signed-in user and per API key, and the processes sharing them. */
  rateLimits: { user: TokenBucket; apiKey: TokenBucket; shares: ProcessShares };
  /** The in-process sandbox processors: where to deliver their webhooks, and stopping them. */
  sandbox: SandboxControl;
  /** Per processor, newest first: the webhook endpoint accepts any of them. */
  webhookSecrets: WebhookSecrets;
  /** The tamper-evident audit log of security and admin events. */
  audit: AuditLog;
  /** The ledger's integrity proof: entries sealed by a job, verified by npm run ledger:verify. */
  ledgerSeals: LedgerSeals;
  /** What users owe after reversals of spent money (Wallet.amountOwed). */
  debts: DebtService;
  /** The demo accounts of `npm run seed` and SEED_DEMO (development only). */
  demoAccounts: DemoAccounts;
  /** The user's data: export and erasure (GDPR). */
  privacy: PrivacyService;
  /** Deletes what is kept only for a while (RETENTION_SCHEDULE). */
  retention: Retention;
  /** Statements for any period, monthly ones made by a job, and their CSV/PDF downloads. */
  statements: StatementService;
  /** Monthly spending insights by category and counterparty. */
  insights: InsightsService;
  /** In-app notifications, their preferences and push devices, fanned out to email, SMS and push. */
  notifications: NotificationService;
  /** Users' phone numbers sealed at rest and found by keyed hash; seals numbers from before at start. */
  phones: Phones;
}

export interface ServiceDeps extends Omit<SharedDeps, 'metrics'> {
  config: Config;
  /** Where services report counts and timings (the server's /metrics); none by default. */
  metrics?: ServiceMetrics;
  jwtSecret: string;
  vaultKeys: VaultKeys;
  webhookSecrets: WebhookSecrets;
}

export async function createServices({ config, jwtSecret, vaultKeys, webhookSecrets, ...connections }: ServiceDeps): Promise<Services> {
  const { prisma, sql, pubsub, redis, log, metrics = noServiceMetrics } = connections;
  const shared: SharedDeps = { prisma, sql, pubsub, redis, log, metrics };
  const { currencies } = await wireMoney(shared, moneySettings(config));
  const { outbox } = wireEvents(shared, eventSettings(config));
  const audit = createAuditLog({ prisma, fingerprintKey: vaultKeys.fingerprintKey });
  const deps = { ...shared, outbox, audit };
  const gateways = wireGateways(shared, gatewaySettings(config), { vaultKeys, webhookSecrets });
  const { vault, cards, banks, sandbox } = gateways;
  const compliance = await wireCompliance(deps, complianceSettings(config), { currencies, vault, kycProvider: gateways.kycProvider });
  const { limits, aml } = compliance;
  // Personal values sealed in their rows (a user's phone, what a sender typed): decision 63.
  const sealed = createSealedValues(vaultKeys);
  const phones = createPhones({ prisma, sql, sealed, fingerprintKey: vaultKeys.fingerprintKey, log });
  const { notifier, notifications, sandboxInbox } = wireNotifications(shared, notificationSettings(config), {
    fingerprintKey: vaultKeys.fingerprintKey,
    outbox,
    phoneOf: (row) => phones.of(row),
  });
  const accounts = wireAccounts(deps, accountSettings(config), {
    jwtSecret,
    aml,
    vault,
    fingerprintKey: vaultKeys.fingerprintKey,
    notifier,
    phones,
  });
  const { ledger, wallets, history } = wireLedger(deps, ledgerSettings(config), { currencies, sealed });
  const { risk, riskReviews } = wireRisk(deps, riskSettings(config), { fromBase: compliance.limitsFile.fromBase, ledger });
  const payments = wirePayments(deps, paymentSettings(config), {
    ledger,
    currencies,
    risk,
    limits,
    aml,
    vault,
    cards,
    banks,
    phones,
    sealed,
  });
  const merchants = wireMerchants(deps, merchantSettings(config), { ledger, currencies, risk, vault });
  const partners = await wirePartners(deps, partnerSettings(config), { merchants: merchants.merchants });
  const { privacy, retention } = wirePrivacy(deps, privacySettings(config), {
    jwtSecret,
    accounts: accounts.accounts,
    sessions: accounts.sessions,
    kyc: compliance.kyc,
    sandboxInbox,
    phones,
    sealed,
  });
  const statements = wireStatements(deps, statementSettings(config), { jwtSecret });
  return {
    ...accounts,
    notifier,
    notifications,
    sandboxInbox,
    privacy,
    retention,
    pubsub,
    currencies,
    outbox,
    ledger,
    wallets,
    history,
    ...payments,
    sandbox,
    limits,
    aml,
    amlMonitor: compliance.amlMonitor,
    kyc: compliance.kyc,
    ...merchants,
    ...partners,
    riskReviews,
    webhookSecrets,
    audit,
    ledgerSeals: createLedgerSeals({ prisma, fingerprintKey: vaultKeys.fingerprintKey }),
    debts: createDebtService({ prisma }),
    phones,
    demoAccounts: createDemoAccounts({ prisma, accounts: accounts.accounts, ledger, currencies, currency: config.DEFAULT_CURRENCY }),
    ...statements,
  };
}
