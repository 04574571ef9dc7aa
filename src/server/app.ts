// Wires the whole server: database, pub/sub, services, Apollo, HTTP and WebSocket on one port,
// and the graceful shutdown that undoes it in reverse order.
import { createServer, type Server } from 'node:http';
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
import { createRequestListener, type Readiness } from './http.js';
import { resolveJwtSecret, resolveVaultKeys, resolveWebhookSecrets } from './secrets.js';
import { operationLimits } from './operationLimits.js';
import { attachWebSocketServer } from './websocket.js';
import { startJobs } from './jobs.js';
import { createMetrics } from './metrics.js';

/** How many demo accounts SEED_DEMO keeps (alice … erin); `npm run seed -- --users N` makes more. */
const DEMO_ACCOUNTS = 5;

export interface RunningServer {
  url: string;
  port: number;
  httpServer: Server;
  services: Services;
  db: Database;
  pubsub: PubSub;
  /** Graceful stop: refuse new work, finish in-flight requests, close sockets (1001), DB and Redis. */
  stop(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
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
  const metrics = createMetrics({
    dependencies: async () => (await readiness.check()).up,
    outboxPending: () => services.outbox.pending().catch(() => null),
    webSocketConnections: () => ws?.connectionCount() ?? 0,
  });

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
    apollo = createApollo(schema, config, limits, {
      redis: redis?.client,
      onUnavailable: () => metrics.unavailable.inc({ dependency: 'database' }),
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
  const stopRelay = async () => {
    await Promise.all([stopOutboxRelay(), stopWebhooks()]);
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

  const httpServer = createServer(
    { requestTimeout: 30_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 },
    createRequestListener({ apollo, services, config, log, readiness, metrics, isDraining: () => draining }),
  );
  // A client error on the socket (malformed HTTP) gets a 400 and a warn line, never a crash.
  httpServer.on('clientError', (err, socket) => {
    log.warn({ err: err.message }, 'malformed HTTP request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (err) {
    await stopJobs();
    await stopRelay();
    await stopRevocations();
    await apollo.stop();
    await redis?.close();
    await db.close();
    throw new Error(`Cannot listen on ${config.HOST}:${config.PORT}: ${(err as Error).message}. Set PORT (or HOST) to a free one.`);
  }
  // Attached once listening, so a failed listen is reported once, by us.
  ws = attachWebSocketServer({ httpServer, schema, services, config, log, limits });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${port}/graphql`;
  // The in-process sandbox processors deliver their webhooks to this server.
  services.sandbox.setWebhookTarget(`http://${host === 'localhost' ? '127.0.0.1' : host}:${port}`);
  // Payment links and QR codes point here unless PUBLIC_URL says where payers reach us.
  if (!config.PUBLIC_URL) services.paymentRequests.setPublicOrigin(`http://${host}:${port}`);
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
    log.info('shutdown complete');
  }

  return {
    url,
    port,
    httpServer,
    services,
    db,
    pubsub,
    stop: () => (stopping ??= shutdown()),
  };
}
