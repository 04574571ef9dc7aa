// The one configuration module. Every setting comes from the environment, is validated here
// at start-up, and a bad one stops the process with a single line naming the variable.
import { Cron } from 'croner';
import { z } from 'zod';

function isCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const webhookSecrets = z
  .string()
  .refine((v) => v.split(',').every((s) => s.length >= 32), 'must be one or more comma-separated secrets of at least 32 characters');

const fee = z
  .string()
  .regex(/^\d{1,4}\+\d{1,12}$/, 'must be "<basis points>+<fixed minor units>", e.g. "290+30"')
  .transform((v) => {
    const [bps, fixed] = v.split('+');
    return { bps: Number(bps), fixed: BigInt(fixed!) };
  });

/** "<tokens per second>/<burst>", e.g. "20/40". */
const bucket = z
  .string()
  .regex(/^\d{1,6}(\.\d{1,3})?\/\d{1,7}$/, 'must be "<per second>/<burst>", e.g. "20/40"')
  .transform((v) => {
    const [perSecond, burst] = v.split('/');
    return { perSecond: Number(perSecond), burst: Number(burst) };
  })
  .refine((b) => b.perSecond > 0 && b.burst >= 1, 'needs a rate above 0 and a burst of at least 1');

/** OTLP over HTTP with JSON bodies is what this server exports (@opentelemetry/exporter-trace-otlp-http). */
const otlpProtocol = z.literal('http/json', {
  message: 'must be http/json: traces are exported as OTLP over HTTP with JSON bodies (collectors accept it on port 4318)',
});

/** W3C Baggage-style "name=value,name2=value2" (the OTEL_EXPORTER_OTLP_HEADERS format), values URL-encoded. */
const otlpHeaders = z
  .string()
  .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, 'must be "name=value,name2=value2"')
  .transform((v) =>
    Object.fromEntries(
      v.split(',').map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())];
      }),
    ),
  );

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: int(0, 65535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise (log collectors). */
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),

    /** PostgreSQL URL. Unset: the embedded PGlite database in DATA_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'expected postgresql://…' }).optional(),
    /** Redis URL for pub/sub and shared rate limits. Unset: in-memory (single process only). */
    REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'expected redis://…' }).optional(),
    /** Prefix for every Redis key and channel, so several deployments can share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{0,40}$/, 'may use letters, digits, ":", "_" and "-" (at most 40)')
      .default('wallet:'),
    DATA_DIR: z.string().min(1).default('./.data'),
    DB_POOL_SIZE: int(1, 200).default(10),
    /** Server processes sharing the port (node:cluster). More than 1 needs DATABASE_URL and REDIS_URL. */
    WEB_CONCURRENCY: int(1, 64).default(1),
    MIGRATE_ON_START: bool.default(true),

    /** HMAC key for access tokens (≥ 32 chars). Unset outside production: generated once into DATA_DIR. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Token-vault data keys, "id:base64,id:base64" (each 32 bytes), oldest first: the last one
     * encrypts, all decrypt. Unset outside production: one generated once into DATA_DIR.
     */
    VAULT_KEYS: z
      .string()
      .refine(
        (v) =>
          v.split(',').every((e) => /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/.test(e)) &&
          new Set(v.split(',').map((e) => e.split(':')[0])).size === v.split(',').length,
        'must be "id:key,id:key" with distinct ids and each key 32 bytes in base64 (openssl rand -base64 32)',
      )
      .optional(),
    /** HMAC key (base64, ≥ 32 bytes) for fingerprints of vaulted numbers. Never rotated: fingerprints would change. */
    VAULT_FINGERPRINT_KEY: z
      .string()
      .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes in base64')
      .optional(),
    /**
     * Webhook signing secrets per processor, newest first ("new,old" while a secret is rolled).
     * The sandbox processors sign with the first. Unset outside production: generated into DATA_DIR.
     */
    WEBHOOK_SECRET_CARD: webhookSecrets.optional(),
    WEBHOOK_SECRET_BANK: webhookSecrets.optional(),
    WEBHOOK_SECRET_KYC: webhookSecrets.optional(),
    /** Webhooks whose signed timestamp is further than this from now are refused (replays, clock skew). */
    WEBHOOK_TOLERANCE_SECONDS: int(30, 3600).default(300),
    /** Deposit fees per method kind: "<basis points>+<fixed minor units>", e.g. "290+30" = 2.90 % + 0.30. */
    CARD_DEPOSIT_FEE: fee.prefault('0+0'),
    BANK_DEPOSIT_FEE: fee.prefault('0+0'),
    /** Merchant payments: the merchant's fee, same format, taken from each payment into FEES (never more than the payment). */
    MERCHANT_FEE: fee.prefault('290+30'),
    /** Where payers open payment links (/pay/<code>) and what QR codes point to; default http://localhost:<the port listened on>. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Outgoing merchant webhooks: the first retry after this long, each later one twice as long (≤ 1 h), for 3 days. */
    MERCHANT_WEBHOOK_RETRY_BASE_MS: int(10, 3_600_000).default(10_000),
    MERCHANT_WEBHOOK_RETRY_FOR_HOURS: int(1, 24 * 30).default(72),
    /** How often due merchant webhooks are looked for (new ones go out at once anyway); 0 disables the loop. */
    MERCHANT_WEBHOOK_POLL_MS: int(0, 600_000).default(1_000),
    MERCHANT_WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
    /** Accept http and loopback/private webhook URLs (default: everywhere but production). */
    MERCHANT_WEBHOOK_ALLOW_LOCAL: bool.optional(),
    /** When open payment requests past their expiry are marked EXPIRED (cron, UTC; "off" to disable). */
    PAYMENT_REQUEST_EXPIRY_SCHEDULE: z
      .string()
      .refine((v) => v === 'off' || isCron(v), 'must be a cron expression like "* * * * *", or "off"')
      .default('* * * * *'),
    /** How long a processor call may take before it counts as timed out (the operation stays pending). */
    GATEWAY_TIMEOUT_MS: int(100, 120_000).default(10_000),
    /** When the reconciliation job runs (cron, UTC; "off" to disable): settles stuck operations, compares settlement reports. */
    RECONCILE_SCHEDULE: z
      .string()
      .refine((v) => v === 'off' || isCron(v), 'must be a cron expression like "*/5 * * * *", or "off"')
      .default('*/5 * * * *'),
    /** When ledger entries are sealed for the integrity proof (cron with seconds allowed, UTC; "off"): docs/security.md. */
    LEDGER_SEAL_SCHEDULE: z
      .string()
      .refine((v) => v === 'off' || isCron(v), 'must be a cron expression like "*/15 * * * * *", or "off"')
      .default('*/15 * * * * *'),
    /**
     * When the monthly statements job runs (cron, UTC; "off" to disable). Months end at a different
     * UTC hour in each time zone, so it runs hourly; a run with nothing due reads one row per wallet.
     */
    STATEMENT_SCHEDULE: z
      .string()
      .refine((v) => v === 'off' || isCron(v), 'must be a cron expression like "17 * * * *", or "off"')
      .default('17 * * * *'),
    /** A month's statement (and its kept insights) is made this long after the month ends: entries still in flight land first. */
    STATEMENT_DELAY_MINUTES: int(1, 7 * 24 * 60).default(60),
    /** The most past months one run makes for a wallet (its first statements, or after downtime). */
    STATEMENT_CATCH_UP_MONTHS: int(1, 120).default(12),
    /** The longest date range a statement may be asked for, in days. */
    STATEMENT_MAX_DAYS: int(1, 3660).default(366),
    /** How long a statement's download link works. */
    STATEMENT_LINK_SECONDS: int(10, 3600).default(300),
    /** Entries are sealed once this old (seconds): longer than any transaction that writes them lasts. */
    LEDGER_SEAL_AFTER_SECONDS: int(5, 86_400).default(60),
    /** Operations pending longer than this are looked up at the processor by reconciliation. */
    RECONCILE_PENDING_AFTER_SECONDS: int(0, 30 * 86_400).default(900),
    /** Sandbox KYC provider: delay before its decision webhook. */
    SANDBOX_KYC_DELAY_MS: int(0, 86_400_000).default(1_000),
    /** Sandbox processors: delay before a result webhook, before a chargeback, before a bank settlement. */
    SANDBOX_WEBHOOK_DELAY_MS: int(0, 600_000).default(300),
    SANDBOX_DISPUTE_DELAY_MS: int(0, 86_400_000).default(5_000),
    SANDBOX_BANK_SETTLE_MS: int(0, 86_400_000).default(2_000),
    /** Sandbox processors send every event twice and out of order, as real ones sometimes do. */
    SANDBOX_WEBHOOK_CHAOS: bool.default(false),
    ACCESS_TOKEN_TTL_SECONDS: int(5, 3600).default(900),
    REFRESH_TOKEN_TTL_SECONDS: int(300, 365 * 24 * 3600).default(30 * 24 * 3600),
    /**
     * How long a process may trust a session it checked without asking the database again.
     * Revocations are also broadcast to every process at once; this bounds a lost broadcast.
     */
    SESSION_CACHE_SECONDS: int(0, 3600).default(300),
    /**
     * How long a process may serve a user's wallets (balances, holds, status) from its cache.
     * Every change drops the cached copy at once (the ledger's events); this bounds a lost one. 0: off.
     */
    WALLET_CACHE_SECONDS: int(0, 3600).default(60),

    /** When the AML monitor scans recent activity (cron, UTC, or "off"). */
    AML_SCHEDULE: z
      .string()
      .refine((v) => v === 'off' || isCron(v), 'must be a cron expression like "* * * * *", or "off"')
      .default('* * * * *'),
    /** The cash-reporting threshold structuring hides under (major units of the deposit's currency). */
    AML_REPORTING_THRESHOLD: int(1, 1_000_000_000).default(10_000),
    /** Structuring: this many deposits each within 20 % under the threshold, within the window. */
    AML_STRUCTURING_COUNT: int(2, 1000).default(3),
    AML_STRUCTURING_WINDOW_HOURS: int(1, 24 * 30).default(24),
    /** Rapid in-and-out: at least this much deposited (major units) and 80 % of it withdrawn within the window. */
    AML_RAPID_MIN: int(1, 1_000_000_000).default(1_000),
    AML_RAPID_WINDOW_HOURS: int(1, 24 * 7).default(6),
    /** Fan-in / fan-out: this many distinct counterparties paying one wallet (or paid by it) within the window. */
    AML_FAN_COUNT: int(2, 10_000).default(10),
    AML_FAN_WINDOW_HOURS: int(1, 24 * 7).default(1),
    /** Names screened at sign-up, KYC and payout (one per line; see config/sanctions.txt). */
    SANCTIONS_LIST_FILE: z.string().min(1).default('config/sanctions.txt'),
    /** How long a data export link (exportMyData) works. */
    DATA_EXPORT_LINK_SECONDS: int(60, 3600).default(600),
    /**
     * After an account is erased, how long the identity its KYC cases hold is kept, sealed, before
     * it is destroyed: anti-money-laundering rules keep it five years after the relationship ends.
     */
    KYC_RETENTION_DAYS: int(0, 36_500).default(1825),
    /** When the retention job deletes what is kept only for a while (docs/privacy.md). */
    RETENTION_SCHEDULE: z
      .string()
      .refine((v) => v === 'off' || isCron(v), 'must be a cron expression like "17 * * * *", or "off"')
      .default('17 * * * *'),
    /** Sessions ended (signed out or expired) this many days ago are deleted, with their IPs and devices. */
    SESSION_RETENTION_DAYS: int(1, 36_500).default(400),
    /** Sent or abandoned email and SMS messages (and the sandbox providers' copies) are deleted after this many days. */
    MESSAGE_RETENTION_DAYS: int(1, 36_500).default(90),
    /** In-app notifications (and their read state) are deleted after this many days. */
    NOTIFICATION_RETENTION_DAYS: int(7, 36_500).default(400),
    /** Receipts of processors' webhooks (kept to recognise a redelivery) are deleted after this many days. */
    WEBHOOK_EVENT_RETENTION_DAYS: int(7, 36_500).default(400),
    /** Failed payment-method additions (a fraud signal the risk rules count) are deleted after this many days. */
    FRAUD_SIGNAL_RETENTION_DAYS: int(2, 36_500).default(90),
    /** Limits per KYC tier (see config/kyc-limits.json for the shape). */
    KYC_LIMITS_FILE: z.string().min(1).default('config/kyc-limits.json'),
    /**
     * Risk rules on every user-initiated send (docs/compliance.md). Amounts are major units of the
     * limits file's base currency, converted with its factors.
     */
    RISK_RULES: bool.default(true),
    /** More sends than this in a minute are blocked; in an hour, reviewed. */
    RISK_VELOCITY_PER_MINUTE: int(1, 1_000_000_000).default(10),
    RISK_VELOCITY_PER_HOUR: int(1, 1_000_000_000).default(60),
    /**
     * A send of at least this much (major units of the limits file's base currency) to someone the
     * sender never paid needs a second factor within STEP_UP_MINUTES (with RISK_RULES); 0: never.
     */
    STEP_UP_NEW_RECIPIENT_AMOUNT: int(0, 1_000_000_000).default(200),
    /** "Large" for a first-time recipient or a new device (reviewed at or above). */
    RISK_LARGE_AMOUNT: int(0, 1_000_000_000).default(500),
    /** Reviewed above this many times the largest of the user's recent sends, and above the floor. */
    RISK_HISTORY_MULTIPLIER: int(1, 1000).default(5),
    RISK_HISTORY_FLOOR: int(0, 1_000_000_000).default(1_000),
    /** A device first seen (signed in) less than this long ago is new. */
    RISK_NEW_DEVICE_HOURS: int(0, 24 * 365).default(24),
    /** Sends above the amount within this long of a password or email change are reviewed. */
    RISK_CREDENTIAL_CHANGE_HOURS: int(0, 24 * 365).default(24),
    RISK_CREDENTIAL_CHANGE_AMOUNT: int(0, 1_000_000_000).default(100),
    /** Failed card or bank-account additions in 24 h that get sends reviewed, or blocked. */
    RISK_FAILED_METHODS_REVIEW: int(1, 1000).default(3),
    RISK_FAILED_METHODS_BLOCK: int(1, 1000).default(6),
    /**
     * The risk engine reads a send's facts together with those of the sends beside it: sends
     * arriving within this window share one query, up to RISK_BATCH_MAX, with RISK_BATCH_IN_FLIGHT
     * queries at once. The defaults equal the ledger's LEDGER_BATCH_* ones.
     */
    RISK_BATCH_WINDOW_MS: z.coerce.number().min(0).max(50).default(1),
    RISK_BATCH_MAX: int(1, 1000).default(100),
    RISK_BATCH_IN_FLIGHT: int(1, 32).default(2),
    /** Currency of the wallet every user gets at sign-up. */
    DEFAULT_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD')
      .default('USD'),
    /** Largest single transfer, in major units, for every currency without its own entry below. */
    MAX_TRANSFER_AMOUNT: z
      .string()
      .regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a decimal amount like 10000')
      .default('10000'),
    /** Per-currency overrides of MAX_TRANSFER_AMOUNT, e.g. "JPY:1500000,KWD:3000". */
    MAX_TRANSFER_AMOUNTS: z
      .string()
      .regex(/^([A-Z]{3}:\d{1,15}(\.\d{1,4})?)(,[A-Z]{3}:\d{1,15}(\.\d{1,4})?)*$/, 'must look like "JPY:1500000,KWD:3000"')
      .optional(),
    /** Group commit: transfers arriving within this window share one posting call (0 = one call each). */
    LEDGER_BATCH_WINDOW_MS: z.coerce.number().min(0).max(50).default(1),
    /** Most transfers per posting call. */
    LEDGER_BATCH_MAX: int(1, 1000).default(100),
    /** Posting calls in flight at once; new transfers gather meanwhile. */
    LEDGER_BATCH_IN_FLIGHT: int(1, 32).default(2),
    /** How long an idempotency key's answer is kept (at least 24 h). */
    IDEMPOTENCY_TTL_HOURS: int(24, 24 * 365).default(168),
    /** The outbox relay republishes events not published this long after commit (a crashed publisher). */
    OUTBOX_RELAY_INTERVAL_MS: int(50, 60_000).default(1000),
    OUTBOX_RELAY_DELAY_MS: int(0, 600_000).default(2000),

    BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
    BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),

    /**
     * Create the demo accounts (alice@demo.wallet … erin@demo.wallet, funded, TIER_1) at start.
     * Default: on for the embedded database outside production (the quick start), off otherwise.
     */
    SEED_DEMO: bool.optional(),
    INTROSPECTION: bool.optional(),
    ALLOW_BATCHING: bool.default(false),
    /**
     * Origins whose browser pages may call the API (CORS), comma-separated, each exactly as the
     * browser sends it ("https://shop.example.com"). None by default: the wallet app and the IDE
     * are served from this origin.
     */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const origins = v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean);
        for (const o of origins) {
          let parsed: URL | null = null;
          try {
            parsed = new URL(o);
          } catch {}
          if (!parsed || parsed.origin !== o || !/^https?:$/.test(parsed.protocol)) {
            ctx.addIssue({ code: 'custom', message: `"${o}" is not an origin: write scheme://host[:port], no path or trailing slash` });
          }
        }
        return origins;
      }),
    /** Serve HTTPS directly with this certificate chain and key (PEM files); unset: plain HTTP (put a TLS proxy in front). */
    TLS_CERT_FILE: z.string().min(1).optional(),
    TLS_KEY_FILE: z.string().min(1).optional(),
    TRUST_PROXY: bool.default(false),
    MAX_BODY_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
    MAX_QUERY_DEPTH: int(2, 100).default(12),
    MAX_QUERY_ALIASES: int(0, 1000).default(15),
    MAX_QUERY_TOKENS: int(100, 100_000).default(2000),
    MAX_QUERY_DIRECTIVES: int(0, 1000).default(20),
    MAX_QUERY_COST: int(100, 1_000_000).default(5000),
    /** Concurrent subscriptions one WebSocket connection may hold. */
    MAX_SUBSCRIPTIONS_PER_CONNECTION: int(1, 10_000).default(100),
    SHUTDOWN_TIMEOUT_MS: int(0, 120_000).default(10_000),
    /**
     * Bearer token required by GET /metrics (Prometheus). In production it is required unless
     * METRICS_PORT serves /metrics on a port of its own (docs/operations.md).
     */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Serve /metrics on this port (and not on PORT): one the load balancer does not expose. */
    METRICS_PORT: int(0, 65535).optional(),
    /** The interface the METRICS_PORT listener binds to. Default: HOST. */
    METRICS_HOST: z.string().min(1).optional(),
    /** Operation names kept as labels of wallet_graphql_operation_duration_seconds; later new names count as "other". */
    METRICS_MAX_OPERATION_NAMES: int(1, 10_000).default(200),

    // OpenTelemetry traces (docs/operations.md): off unless an OTLP endpoint is set or
    // OTEL_TRACES_EXPORTER=otlp; the standard variables, exported as OTLP over HTTP with JSON.
    OTEL_SDK_DISABLED: bool.default(false),
    OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { message: 'must be otlp or none' }).optional(),
    /** The collector's base URL (traces go to <url>/v1/traces), e.g. http://otel-collector:4318. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, message: 'expected http(s)://…' }).optional(),
    /** The full URL for traces (overrides OTEL_EXPORTER_OTLP_ENDPOINT). */
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, message: 'expected http(s)://…' }).optional(),
    OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.optional(),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
    /** Headers for the collector (e.g. its API key): "name=value,name2=value2". */
    OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: otlpHeaders.optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('wallet-server'),

    /** Failed sign-ins per email (and per IP) within SIGNIN_WINDOW_SECONDS before RATE_LIMITED. */
    SIGNIN_MAX_FAILURES_PER_EMAIL: int(1, 1_000_000).default(10),
    SIGNIN_MAX_FAILURES_PER_IP: int(1, 1_000_000).default(100),
    SIGNIN_WINDOW_SECONDS: int(1, 86_400).default(900),
    /** Failures after which each further attempt is slowed (before the hard limit). */
    SIGNIN_SLOWDOWN_AFTER: int(0, 1_000_000).default(3),
    SIGNIN_SLOWDOWN_MS: int(0, 10_000).default(500),
    /**
     * How long a session's proven second factor (sign-in with MFA, verifyMfa, stepUp) lets a user
     * with MFA do the risky actions (withdraw, payment methods, API keys, credentials, admin money).
     */
    STEP_UP_MINUTES: int(1, 1440).default(10),
    /** Admin money actions (adminAdjustBalance, adminRefundDeposit) refused to admins without MFA. */
    ADMIN_MFA_REQUIRED: bool.default(true),
    /** How long an emailed or texted code (verifyEmail, verifyPhone, step-up without MFA) works. */
    ONE_TIME_CODE_MINUTES: int(1, 60).default(10),
    /** How long a password-reset link works. */
    PASSWORD_RESET_MINUTES: int(5, 24 * 60).default(30),
    /** Codes and reset links sent to one address, and asked for from one IP, within CODE_SEND_WINDOW_SECONDS. */
    CODE_SENDS_PER_ADDRESS: int(1, 1_000_000).default(5),
    CODE_SENDS_PER_IP: int(1, 1_000_000).default(50),
    CODE_SEND_WINDOW_SECONDS: int(60, 86_400).default(3600),
    /** The notifier's delivery loop: how often it looks for due email and SMS (0: only when a commit wakes it). */
    NOTIFY_POLL_MS: int(0, 600_000).default(1000),
    /** First retry of a message after this long, doubling (at most an hour) until it is given up. */
    NOTIFY_RETRY_BASE_MS: int(10, 3_600_000).default(5000),
    /** How long a notice is retried (a code's message gives up when the code expires). */
    NOTIFY_RETRY_FOR_HOURS: int(1, 24 * 30).default(24),
    /** A provider not answering within this long counts as a failed attempt. */
    NOTIFY_TIMEOUT_MS: int(100, 120_000).default(10_000),
    /**
     * Serve GET /sandbox/messages: what the sandbox email and SMS providers received, codes
     * included. Default: on outside production; refused in production.
     */
    SANDBOX_INBOX: bool.optional(),
    /**
     * The email and SMS providers are the sandbox ones (the only ones there are): they deliver
     * nothing and keep every message, codes and reset links included, in sandbox.messages. So the
     * server refuses to start with NODE_ENV=production unless this is true (a staging system that
     * wants exactly that). Ignored outside production.
     */
    NOTIFY_SANDBOX_IN_PRODUCTION: bool.default(false),
    SIGNUP_MAX_PER_IP: int(1, 1_000_000).default(20),
    SIGNUP_WINDOW_SECONDS: int(1, 86_400).default(3600),
    /** Requests (HTTP operations, WebSocket subscriptions) per signed-in user and per API key: a token bucket. */
    RATE_LIMIT_USER: bucket.prefault('20/40'),
    RATE_LIMIT_API_KEY: bucket.prefault('50/100'),
    /** Partner clients' trusted documents: <dir>/<client>/persisted-documents.json, registered at start. */
    PARTNER_DOCUMENTS_DIR: z.string().min(1).default('partners'),
    /** The client whose trusted documents a new API key runs unless it names another. */
    DEFAULT_PARTNER_CLIENT: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,49}$/)
      .default('example'),
  })
  .superRefine((c, ctx) => {
    for (const name of [
      'JWT_SECRET',
      'VAULT_KEYS',
      'VAULT_FINGERPRINT_KEY',
      'WEBHOOK_SECRET_CARD',
      'WEBHOOK_SECRET_BANK',
      'WEBHOOK_SECRET_KYC',
    ] as const) {
      if (c.NODE_ENV === 'production' && !c[name])
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required when NODE_ENV=production' });
    }
    if (c.NODE_ENV === 'production' && !c.METRICS_TOKEN && c.METRICS_PORT === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_TOKEN'],
        message:
          'is required when NODE_ENV=production, unless METRICS_PORT serves /metrics on a port of its own: set METRICS_TOKEN ' +
          '(16+ random characters, sent by Prometheus as a bearer token) or METRICS_PORT (a port the load balancer does not expose)',
      });
    }
    if (c.WEB_CONCURRENCY > 1 && (!c.DATABASE_URL || !c.REDIS_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_CONCURRENCY'],
        message: 'above 1 needs DATABASE_URL and REDIS_URL (the embedded database and in-memory pub/sub are single-process)',
      });
    }
    if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'],
        message: 'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
      });
    }
    if (c.NODE_ENV === 'production' && c.SANDBOX_INBOX) {
      ctx.addIssue({
        code: 'custom',
        path: ['SANDBOX_INBOX'],
        message: 'is refused when NODE_ENV=production: it shows every one-time code and reset link sent',
      });
    }
    if (c.NODE_ENV === 'production' && !c.NOTIFY_SANDBOX_IN_PRODUCTION) {
      ctx.addIssue({
        code: 'custom',
        path: ['NOTIFY_SANDBOX_IN_PRODUCTION'],
        message:
          'must be true when NODE_ENV=production: the only email and SMS providers are the sandbox ones, which deliver nothing ' +
          'and keep every message (one-time codes and reset links included) in the database table sandbox.messages. ' +
          'Set NOTIFY_SANDBOX_IN_PRODUCTION=true only for a system where that is wanted (staging, a demo)',
      });
    }
    if (c.NODE_ENV === 'production' && c.SEED_DEMO) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_DEMO'],
        message: 'is refused when NODE_ENV=production: demo accounts have a published password',
      });
    }
    if (Boolean(c.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(c.BOOTSTRAP_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.BOOTSTRAP_ADMIN_EMAIL ? 'BOOTSTRAP_ADMIN_PASSWORD' : 'BOOTSTRAP_ADMIN_EMAIL'],
        message: 'BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together',
      });
    }
  })
  .transform((c) => ({
    ...c,
    INTROSPECTION: c.INTROSPECTION ?? c.NODE_ENV !== 'production',
    SEED_DEMO: c.SEED_DEMO ?? (c.NODE_ENV !== 'production' && !c.DATABASE_URL),
    SANDBOX_INBOX: c.SANDBOX_INBOX ?? c.NODE_ENV !== 'production',
    MERCHANT_WEBHOOK_ALLOW_LOCAL: c.MERCHANT_WEBHOOK_ALLOW_LOCAL ?? c.NODE_ENV !== 'production',
  }));

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses settings from an environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (as docker-compose and shells often pass them).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'config');
    const value = cleaned[name];
    const shown = value === undefined || /SECRET|PASSWORD|URL|KEY|TOKEN|HEADERS/.test(name) ? '' : ` (got "${value}")`;
    return `Invalid configuration: ${name} ${issue.message}${shown}`;
  });
  throw new ConfigError(lines.join('\n'));
}
