// Wires the whole server: database, pub/sub, services, Apollo, HTTP and WebSocket on one port,
// and the graceful shutdown that undoes it in reverse order.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { connectRedis, type RedisConnections } from '../db/redis.js';
import type { Logger } from '../logger.js';
import { schema } from '../graphqlSchema.js';
import { createMemoryPubSub, createRedisPubSub, type PubSub } from '../services/events/pubsub.js';
import { createServices, type Services } from '../services/index.js';
import { DEMO_PASSWORD } from '../services/demo/demoAccounts.js';
import { createApollo } from './apollo.js';
import { createMetricsRequestListener, createRequestListener, type Readiness } from './http.js';
import { resolveJwtSecret, resolveVaultKeys, resolveWebhookSecrets } from './secrets.js';
import { operationLimits } from './operationLimits.js';
import { attachWebSocketServer } from './websocket.js';
import { startJobs } from './jobs.js';
import { createMetrics } from './metrics.js';
import { countingUserErrors, operationTelemetry } from './operationTelemetry.js';
import { startTracing, tracedServices, type Tracing } from './tracing.js';

/** How many demo accounts SEED_DEMO keeps (alice … erin); `npm run seed -- --users N` makes more. */
const DEMO_ACCOUNTS = 5;

export interface RunningServer {
  url: string;
  port: number;
  httpServer: Server | HttpsServer;
  /** The METRICS_PORT listener's port, when /metrics has a port of its own. */
  metricsPort?: number;
  services: Services;
  db: Database;
  pubsub: PubSub;
  /** Graceful stop: refuse new work, finish in-flight requests, close sockets (1001), DB and Redis. */
  stop(): Promise<void>;
}

/** The certificate chain and key (PEM) for HTTPS, read at start so a bad path fails at once. */
function tlsFiles(config: Config): { cert: Buffer; key: Buffer } | null {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return null;
  const read = (setting: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(
        `Cannot read ${setting} (${file}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Point it at a readable PEM file.`,
      );
    }
  };
  const files = { cert: read('TLS_CERT_FILE', config.TLS_CERT_FILE), key: read('TLS_KEY_FILE', config.TLS_KEY_FILE) };
  try {
    createSecureContext(files);
  } catch (err) {
    throw new Error(
      `TLS_CERT_FILE and TLS_KEY_FILE do not make a usable certificate: ${(err as Error).message}. Check that the key belongs to the certificate.`,
    );
  }
  return files;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const tls = tlsFiles(config);
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    role: 'application',
    dataDir: config.DATA_DIR,
    poolSize: config.DB_POOL_SIZE,
    migrateOnStart: config.MIGRATE_ON_START,
    log,
  });
  let redis: RedisConnections | undefined;
  try {
    redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, log) : undefined;
  } catch (err) {
    await db.close();
    throw err;
  }
  const pubsub = redis ? createRedisPubSub(redis.client, redis.subscriber, config.REDIS_PREFIX, redis) : createMemoryPubSub();
  // Only the database is required: without Redis the server is ready, degraded.
  const readiness: Readiness = {
    async check() {
      const database = await db.ping(2000).then(
        () => 'ok',
        (err: Error) => `unreachable: ${err.message}`,
      );
      const up: Record<string, boolean> = { database: database === 'ok', ...(redis ? { redis: redis.isUp() } : {}) };
      const checks: Record<string, string> = { database };
      if (redis) checks.redis = up.redis ? 'ok' : 'degraded: unreachable (rate limits in process, events wait in the outbox)';
      return { ready: up.database!, degraded: !Object.values(up).every(Boolean), up, checks };
    },
  };
  let ws: ReturnType<typeof attachWebSocketServer> | undefined;
  const metrics = createMetrics(
    {
      dependencies: async () => (await readiness.check()).up,
      outboxBacklog: () => services.outbox.backlog().catch(() => null),
      webSocketConnections: () => ws?.connectionCount() ?? 0,
      databasePool: () => db.poolStats(),
    },
    { maxOperationNames: config.METRICS_MAX_OPERATION_NAMES },
  );
  // The schema as served: each mutation's userErrors counted at its root field.
  const served = countingUserErrors(schema, metrics.userErrors);

  let services: Services;
  let apollo: ReturnType<typeof createApollo>;
  const limits = operationLimits(config);
  try {
    services = await createServices({
      config,
      jwtSecret: resolveJwtSecret(config),
      vaultKeys: resolveVaultKeys(config),
      webhookSecrets: resolveWebhookSecrets(config),
      prisma: db.prisma,
      sql: db.sql,
      pubsub,
      redis,
      log,
      metrics: metrics.service,
    });
    if (config.BOOTSTRAP_ADMIN_EMAIL && config.BOOTSTRAP_ADMIN_PASSWORD) {
      const admin = await services.accounts.ensureAdmin(config.BOOTSTRAP_ADMIN_EMAIL, config.BOOTSTRAP_ADMIN_PASSWORD);
      log.info({ userId: admin.id }, 'bootstrap admin ready');
    }
    if (config.SEED_DEMO) {
      const demo = await services.demoAccounts.ensure(DEMO_ACCOUNTS);
      log.info(
        { accounts: demo.map((a) => a.email), password: DEMO_PASSWORD, created: demo.filter((a) => a.created).length },
        'demo accounts ready (SEED_DEMO=false to skip)',
      );
    }
    apollo = createApollo(served, config, limits, {
      redis: redis?.client,
      onUnavailable: () => metrics.unavailable.inc({ dependency: 'database' }),
      plugins: [operationTelemetry(metrics)],
    });
    await apollo.start();
  } catch (err) {
    await redis?.close();
    await db.close();
    throw err;
  }
  const stopOutboxRelay = services.outbox.startRelay();
  // Merchant webhooks go out from their own table, with retries over days (not the outbox's pub/sub).
  const stopWebhooks = config.MERCHANT_WEBHOOK_POLL_MS > 0 ? services.merchantWebhooks.start() : async () => {};
  // Email and SMS likewise, from notification_messages (docs/security.md, the notifier).
  const stopNotifier = services.notifier.start();
  // In-app notifications fan out to those channels after commit (woken by the outbox; a timer catches up).
  const stopDispatcher = services.notifications.dispatcher.start();
  // Phone numbers from before they were sealed (decision 63): one indexed read when there are none.
  const stopPhoneSealing = await services.phones.sealLegacyInBackground();
  const stopRelay = async () => {
    // Reset requests answered before the listener closed are handled before the loop stops.
    await services.passwordReset.settled();
    await Promise.all([stopOutboxRelay(), stopWebhooks(), stopDispatcher(), stopNotifier(), stopPhoneSealing()]);
  };
  const stopJobs = startJobs({ services, config, log });
  const stopRateLimitShares = await services.rateLimits.shares.start();
  const stopSessionRevocations = await services.sessions.listenForRevocations();
  const stopKeyRevocations = await services.apiKeys.listen();
  const stopWalletCache = await services.wallets.listen();
  const stopRevocations = async () => {
    await Promise.all([stopSessionRevocations(), stopKeyRevocations(), stopRateLimitShares(), stopWalletCache()]);
  };

  let draining = false;

  // Off unless configured (nothing of the SDK loaded); when on, the API layer's service calls are spans.
  let tracing: Tracing | null = null;
  try {
    tracing = await startTracing(config, log);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'tracing could not start; serving without it');
  }
  const apiServices = tracing ? tracedServices(services) : services;

  const listener = createRequestListener({
    apollo,
    services: apiServices,
    config,
    log,
    readiness,
    metrics,
    tracing,
    isDraining: () => draining,
  });
  const timeouts = { requestTimeout: 30_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 };
  // HTTPS directly when TLS_CERT_FILE/TLS_KEY_FILE say so (read before anything opened: see tlsFiles).
  const httpServer = tls ? createHttpsServer({ ...timeouts, ...tls }, listener) : createServer(timeouts, listener);
  // A client error on the socket (malformed HTTP) gets a 400 and a warn line, never a crash.
  httpServer.on('clientError', (err, socket) => {
    log.warn({ err: err.message }, 'malformed HTTP request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  // /metrics on a port of its own, when METRICS_PORT says so (one the load balancer does not expose).
  const metricsServer =
    config.METRICS_PORT === undefined ? undefined : createServer(createMetricsRequestListener({ config, metrics, log }));
  const metricsHost = config.METRICS_HOST ?? config.HOST;
  const listening = (server: Server, port: number, host: string, settings: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new Error(`Cannot listen on ${host}:${port}: ${err.message}. Set ${settings} to a free one.`)));
      server.listen(port, host, () => resolve());
    });
  try {
    await listening(httpServer, config.PORT, config.HOST, 'PORT (or HOST)');
    if (metricsServer) await listening(metricsServer, config.METRICS_PORT!, metricsHost, 'METRICS_PORT (or METRICS_HOST)');
  } catch (err) {
    httpServer.close();
    await tracing?.shutdown();
    await stopJobs();
    await stopRelay();
    await stopRevocations();
    await apollo.stop();
    await redis?.close();
    await db.close();
    throw err;
  }
  // Attached once listening, so a failed listen is reported once, by us.
  ws = attachWebSocketServer({ httpServer, schema: served, services: apiServices, config, log, limits, metrics });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://${host}:${port}/graphql`;
  // The in-process sandbox processors deliver their webhooks to this server.
  services.sandbox.setWebhookTarget(`${scheme}://${host === 'localhost' ? '127.0.0.1' : host}:${port}`);
  // Payment links, QR codes and password-reset links point here unless PUBLIC_URL says where users reach us.
  if (!config.PUBLIC_URL) {
    services.paymentRequests.setPublicOrigin(`${scheme}://${host}:${port}`);
    services.passwordReset.setPublicOrigin(`${scheme}://${host}:${port}`);
    services.privacy.setPublicOrigin(`${scheme}://${host}:${port}`);
  }
  // Statement download links likewise.
  if (!config.PUBLIC_URL) services.statements.setPublicOrigin(`${scheme}://${host}:${port}`);
  log.info({ url, database: db.kind, pubsub: pubsub.kind }, 'server listening');

  let stopping: Promise<void> | undefined;
  async function shutdown() {
    draining = true;
    log.info('shutting down: finishing in-flight requests');
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await ws?.close();
    const forced = setTimeout(() => {
      log.warn('shutdown timeout: closing remaining connections');
      httpServer.closeAllConnections();
    }, config.SHUTDOWN_TIMEOUT_MS);
    // Keep-alive connections become idle after their last response; close them as they do.
    const sweep = setInterval(() => httpServer.closeIdleConnections(), 100);
    await closed;
    clearTimeout(forced);
    clearInterval(sweep);
    await apollo.stop();
    services.sandbox.stop();
    await stopJobs();
    await stopRelay();
    await stopRevocations();
    await services.outbox.drain();
    // Subscriptions of the closed sockets unsubscribe as their sockets finish closing; let them,
    // so nothing is sent to Redis after it is closed.
    for (let waited = 0; pubsub.subscriptionCount() > 0 && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await pubsub.close();
    await redis?.close();
    await db.close();
    metricsServer?.closeAllConnections();
    await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(undefined)));
    // The spans of the requests finished above are sent before the process ends.
    await tracing?.shutdown();
    log.info('shutdown complete');
  }

  return {
    url,
    port,
    httpServer,
    metricsPort: metricsServer ? (metricsServer.address() as AddressInfo).port : undefined,
    services,
    db,
    pubsub,
    stop: () => (stopping ??= shutdown()),
  };
}
