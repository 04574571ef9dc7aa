// Process entry point: load config, start the server, stop gracefully on SIGTERM/SIGINT.
// With WEB_CONCURRENCY > 1 this process becomes a supervisor: it migrates the database once,
// then runs that many server processes sharing the port (node:cluster), restarts one that dies,
// and passes SIGTERM/SIGINT on, exiting when all have finished their in-flight work.
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrate } from './db/migrate.js';
import { createLogger, prettyLogs, type Logger } from './logger.js';
import { startServer } from './server/app.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const log = createLogger({ level: config.LOG_LEVEL, pretty: prettyLogs(config.LOG_FORMAT) });
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

async function runServer(log: Logger) {
  try {
    const server = await startServer(config, log);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        log.info({ signal }, 'signal received');
        server.stop().then(
          () => process.exit(0),
          (err) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  } catch (err) {
    log.fatal({ err: err instanceof Error ? err.message : err }, 'server failed to start');
    process.exit(1);
  }
}

async function supervise(log: Logger) {
  try {
    const applied = config.MIGRATE_ON_START ? await migrate(config.DATABASE_URL!, { log }) : [];
    if (applied.length) log.info({ applied }, 'migrations applied');
  } catch (err) {
    log.fatal({ err: err instanceof Error ? err.message : err }, 'migration failed');
    process.exit(1);
  }
  let stopping = false;
  const fork = () => cluster.fork({ MIGRATE_ON_START: 'false' });
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'server process died; starting another');
    setTimeout(fork, 1000);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      log.info({ signal, workers: config.WEB_CONCURRENCY }, 'signal received; stopping server processes');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  }
}

if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) await supervise(log);
else await runServer(cluster.isWorker ? log.child({ worker: cluster.worker?.id }) : log);
