// The suite's own services, each on its own port (the asked-for one, or a free one if taken):
// PostgreSQL, Redis, the proxy in front of PostgreSQL, and the server behind the proxy, started
// and ready. Each is registered for clean-up as soon as it exists.
import path from 'node:path';
import type { ChaosSettings } from './options.js';
import { choosePort } from '../scripts/ports.js';
import { startPostgres, type PostgresCluster } from './postgres.js';
import { startProxy, type FaultProxy } from './proxy.js';
import { startRedis, type RedisServer } from './redis.js';
import { createServerProcess, serverSettings, type ServerProcess } from './server.js';

export interface Services {
  postgres: PostgresCluster;
  redis: RedisServer;
  proxy: FaultProxy;
  server: ServerProcess;
  /** The server's settings as started. */
  env: Record<string, string>;
}

export async function startServices(options: {
  settings: ChaosSettings;
  /** The run's temporary folder (cluster, sockets, logs). */
  dir: string;
  repoRoot: string;
  onCleanup(fn: () => unknown): void;
  /** Called with the server's log file before it starts, so a failed start can show it. */
  onServerLog(file: string): void;
  say(text: string): void;
}): Promise<Services> {
  const { settings, dir, say } = options;
  const pgPort = await choosePort(settings.pgPort);
  const redisPort = await choosePort(settings.redisPort, [pgPort]);
  const proxyPort = await choosePort(settings.proxyPort, [pgPort, redisPort]);
  const serverPort = await choosePort(0, [pgPort, redisPort, proxyPort]);

  const postgres = await startPostgres({ dir, port: pgPort, say });
  options.onCleanup(() => postgres.stop());
  const redis = await startRedis({ dir, port: redisPort, say });
  options.onCleanup(() => redis.kill());
  const proxy = await startProxy({ port: proxyPort, targetPort: pgPort });
  options.onCleanup(() => proxy.close());
  say(`  proxy 127.0.0.1:${proxyPort} → PostgreSQL 127.0.0.1:${pgPort}`);

  const env = serverSettings({
    port: serverPort,
    databaseUrl: postgres.urlVia(proxyPort),
    redisUrl: redis.url,
    redisPrefix: 'chaos:',
    extra: settings.serverEnv,
  });
  const server = createServerProcess({ repoRoot: options.repoRoot, env, logFile: path.join(dir, 'server.log') });
  options.onServerLog(server.logFile);
  options.onCleanup(() => server.kill());
  say(`  starting the server on 127.0.0.1:${serverPort}: ${server.command}`);
  const { readyMs } = await server.start();
  say(`  server ready in ${(readyMs / 1000).toFixed(1)} s`);
  return { postgres, redis, proxy, server, env };
}
