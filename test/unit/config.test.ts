// Proves loadConfig (src/config.ts): the defaults, that each bad setting stops start-up with
// exactly one line naming the variable, that secrets are never echoed in that line, that empty
// strings count as unset, and that INTROSPECTION defaults to off in production only.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { tracesUrl } from '../../src/server/tracing.js';

const SECRET = 'a-perfectly-good-secret-of-40-characters!';
const KEY32 = Buffer.alloc(32, 7).toString('base64');
const WHSEC = 'whsec-0123456789abcdef0123456789abcdef';
/** The other keys production requires besides JWT_SECRET. */
const VAULT = {
  VAULT_KEYS: `k1:${KEY32}`,
  VAULT_FINGERPRINT_KEY: KEY32,
  WEBHOOK_SECRET_CARD: WHSEC,
  WEBHOOK_SECRET_BANK: WHSEC,
  WEBHOOK_SECRET_KYC: WHSEC,
  METRICS_TOKEN: 'metrics-token-0123456789',
  NOTIFY_SANDBOX_IN_PRODUCTION: 'true',
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      PORT: 4000,
      LOG_LEVEL: 'info',
      DATA_DIR: './.data',
      DB_POOL_SIZE: 10,
      MIGRATE_ON_START: true,
      REDIS_PREFIX: 'wallet:',
      INTROSPECTION: true,
      ALLOW_BATCHING: false,
      TRUST_PROXY: false,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 30 * 24 * 3600,
    });
    // Unset means: embedded database, in-memory pub/sub, generated JWT secret, no bootstrap admin.
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.JWT_SECRET).toBeUndefined();
    expect(config.BOOTSTRAP_ADMIN_EMAIL).toBeUndefined();
    expect(config.BOOTSTRAP_ADMIN_PASSWORD).toBeUndefined();
  });

  it('parses good values into their types', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://wallet:pw@db:5432/wallet',
      REDIS_URL: 'rediss://cache:6380',
      MIGRATE_ON_START: 'no',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgres://wallet:pw@db:5432/wallet',
      REDIS_URL: 'rediss://cache:6380',
      MIGRATE_ON_START: false,
      TRUST_PROXY: true,
      LOG_LEVEL: 'debug',
    });
  });

  it.each([
    { env: { PORT: 'abc' }, variable: 'PORT' },
    { env: { PORT: '70000' }, variable: 'PORT' },
    { env: { PORT: '-1' }, variable: 'PORT' },
    { env: { DATABASE_URL: 'mysql://x' }, variable: 'DATABASE_URL' },
    { env: { REDIS_URL: 'http://x' }, variable: 'REDIS_URL' },
    { env: { LOG_LEVEL: 'loud' }, variable: 'LOG_LEVEL' },
    { env: { MIGRATE_ON_START: 'maybe' }, variable: 'MIGRATE_ON_START' },
    { env: { NODE_ENV: 'staging' }, variable: 'NODE_ENV' },
    { env: { NODE_ENV: 'production', ...VAULT }, variable: 'JWT_SECRET' },
    { env: { NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, VAULT_KEYS: undefined }, variable: 'VAULT_KEYS' },
    { env: { NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, WEBHOOK_SECRET_BANK: undefined }, variable: 'WEBHOOK_SECRET_BANK' },
    { env: { WEBHOOK_SECRET_CARD: 'short' }, variable: 'WEBHOOK_SECRET_CARD' },
    { env: { CARD_DEPOSIT_FEE: '2.9%' }, variable: 'CARD_DEPOSIT_FEE' },
    { env: { VAULT_KEYS: 'k1:short' }, variable: 'VAULT_KEYS' },
    { env: { VAULT_KEYS: `k1:${KEY32},k1:${KEY32}` }, variable: 'VAULT_KEYS' },
    { env: { VAULT_FINGERPRINT_KEY: 'c2hvcnQ=' }, variable: 'VAULT_FINGERPRINT_KEY' },
    { env: { JWT_SECRET: 'too-short' }, variable: 'JWT_SECRET' },
    { env: { BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com' }, variable: 'BOOTSTRAP_ADMIN_PASSWORD' },
    { env: { BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password' }, variable: 'BOOTSTRAP_ADMIN_EMAIL' },
    { env: { WEB_CONCURRENCY: '2' }, variable: 'WEB_CONCURRENCY' },
    { env: { WEB_CONCURRENCY: '2', DATABASE_URL: 'postgresql://db/wallet' }, variable: 'WEB_CONCURRENCY' },
    { env: { LEDGER_BATCH_MAX: '0' }, variable: 'LEDGER_BATCH_MAX' },
    { env: { RISK_BATCH_MAX: '0' }, variable: 'RISK_BATCH_MAX' },
  ])('rejects $env with one line naming $variable', ({ env, variable }) => {
    const { message } = configError(env);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${variable} \\S`));
  });

  it('says what is wrong and shows a harmless bad value', () => {
    expect(configError({ PORT: '70000' }).message).toContain('(got "70000")');
    expect(configError({ MIGRATE_ON_START: 'maybe' }).message).toBe(
      'Invalid configuration: MIGRATE_ON_START expected true or false (got "maybe")',
    );
    expect(configError({ NODE_ENV: 'production', ...VAULT }).message).toBe(
      'Invalid configuration: JWT_SECRET is required when NODE_ENV=production',
    );
    // Keys are never echoed back, even when malformed.
    expect(configError({ VAULT_KEYS: 'k1:not-a-key' }).message).not.toContain('not-a-key');
    expect(configError({ JWT_SECRET: 'too-short' }).message).toContain('at least 32 characters');
    expect(configError({ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com' }).message).toContain(
      'BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together',
    );
  });

  it('reports every bad variable, one line each', () => {
    const lines = configError({ PORT: 'abc', LOG_LEVEL: 'loud' }).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.split(' ')[2]).sort()).toEqual(['LOG_LEVEL', 'PORT']);
  });

  it.each([
    { name: 'DATABASE_URL', env: { DATABASE_URL: 'mysql://wallet:hunter2@db.example/wallet' }, secret: 'hunter2' },
    { name: 'REDIS_URL', env: { REDIS_URL: 'http://:hunter2@cache.example' }, secret: 'hunter2' },
    { name: 'JWT_SECRET', env: { JWT_SECRET: 'hunter2-but-short' }, secret: 'hunter2' },
    {
      name: 'BOOTSTRAP_ADMIN_PASSWORD',
      env: { BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'hunter2' },
      secret: 'hunter2',
    },
  ])('does not echo the value of $name', ({ name, env, secret }) => {
    const { message } = configError(env);
    expect(message).toContain(name);
    expect(message).not.toContain(secret);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', REDIS_URL: '', JWT_SECRET: '', LOG_LEVEL: '', BOOTSTRAP_ADMIN_EMAIL: '' });
    expect(config.PORT).toBe(4000);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.JWT_SECRET).toBeUndefined();
    // An empty secret is a missing secret, not a short one.
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: '', ...VAULT }).message).toBe(
      'Invalid configuration: JWT_SECRET is required when NODE_ENV=production',
    );
  });

  it('turns INTROSPECTION off by default in production only', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT }).INTROSPECTION).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).INTROSPECTION).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).INTROSPECTION).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, INTROSPECTION: 'true' }).INTROSPECTION).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', INTROSPECTION: 'false' }).INTROSPECTION).toBe(false);
  });

  it('creates the demo accounts by default only for the embedded database outside production, and refuses them in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgresql://localhost/x' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgresql://localhost/x', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT }).SEED_DEMO).toBe(false);
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, SEED_DEMO: 'true' }).message).toBe(
      'Invalid configuration: SEED_DEMO is refused when NODE_ENV=production: demo accounts have a published password (got "true")',
    );
  });

  it('serves the sandbox inbox (every code sent) by default outside production only, and refuses it in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).SANDBOX_INBOX).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', SANDBOX_INBOX: 'false' }).SANDBOX_INBOX).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT }).SANDBOX_INBOX).toBe(false);
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, SANDBOX_INBOX: 'true' }).message).toBe(
      'Invalid configuration: SANDBOX_INBOX is refused when NODE_ENV=production: it shows every one-time code and reset link sent (got "true")',
    );
  });

  it('refuses production with the sandbox email and SMS providers unless NOTIFY_SANDBOX_IN_PRODUCTION allows them', () => {
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, NOTIFY_SANDBOX_IN_PRODUCTION: undefined }).message).toMatch(
      /^Invalid configuration: NOTIFY_SANDBOX_IN_PRODUCTION must be true when NODE_ENV=production: the only email and SMS providers are the sandbox ones, .* sandbox\.messages\./,
    );
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, NOTIFY_SANDBOX_IN_PRODUCTION: 'false' }).message).toContain(
      'NOTIFY_SANDBOX_IN_PRODUCTION must be true',
    );
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT }).NOTIFY_SANDBOX_IN_PRODUCTION).toBe(true);
    // Outside production the sandbox is what runs, unasked.
    expect(loadConfig({ NODE_ENV: 'development' }).NOTIFY_SANDBOX_IN_PRODUCTION).toBe(false);
  });

  it('refuses production with /metrics unprotected: METRICS_TOKEN or METRICS_PORT', () => {
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, METRICS_TOKEN: undefined }).message).toBe(
      'Invalid configuration: METRICS_TOKEN is required when NODE_ENV=production, unless METRICS_PORT serves /metrics on a port of its own: ' +
        'set METRICS_TOKEN (16+ random characters, sent by Prometheus as a bearer token) or METRICS_PORT (a port the load balancer does not expose)',
    );
    const ownPort = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...VAULT, METRICS_TOKEN: undefined, METRICS_PORT: '9464' });
    expect(ownPort.METRICS_PORT).toBe(9464);
    expect(ownPort.METRICS_TOKEN).toBeUndefined();
    // Outside production /metrics may be open (development, tests).
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    // A bad token is named, never echoed.
    const short = configError({ METRICS_TOKEN: 'short-token' }).message;
    expect(short).toBe('Invalid configuration: METRICS_TOKEN must be at least 16 characters');
  });

  it('reads the standard OTEL_* variables: traces off by default, OTLP over HTTP with JSON when on', () => {
    expect(tracesUrl(loadConfig({}))).toBeNull();
    expect(tracesUrl(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }))).toBe('http://collector:4318/v1/traces');
    expect(
      tracesUrl(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:1/x' })),
    ).toBe('http://t:1/x');
    expect(tracesUrl(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }))).toBe('http://localhost:4318/v1/traces');
    expect(tracesUrl(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toBeNull();
    expect(tracesUrl(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%3D1, x-team = wallet' }).OTEL_EXPORTER_OTLP_HEADERS).toEqual({
      'api-key': 'abc=1',
      'x-team': 'wallet',
    });
    expect(configError({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).message).toBe(
      'Invalid configuration: OTEL_EXPORTER_OTLP_PROTOCOL must be http/json: traces are exported as OTLP over HTTP with JSON bodies (collectors accept it on port 4318) (got "http/protobuf")',
    );
    // Collector headers often carry an API key: named, never echoed.
    expect(configError({ OTEL_EXPORTER_OTLP_HEADERS: 'secret-without-a-name' }).message).toBe(
      'Invalid configuration: OTEL_EXPORTER_OTLP_HEADERS must be "name=value,name2=value2"',
    );
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      ...VAULT,
      BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password',
    });
    expect(config).toMatchObject({ NODE_ENV: 'production', JWT_SECRET: SECRET, BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com' });
  });
});
