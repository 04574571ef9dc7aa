// The faults, each injected while the workload runs: what is done, and when it began and ended
// (the ends are what the report measures recovery from).
import { sleep } from './api.js';
import type { ChaosSettings, FaultName } from './options.js';
import type { PostgresCluster, RestartMode } from './postgres.js';
import type { FaultProxy } from './proxy.js';
import type { RedisServer } from './redis.js';
import type { ServerProcess } from './server.js';

export interface FaultContext {
  settings: ChaosSettings;
  postgres: PostgresCluster;
  redis: RedisServer;
  proxy: FaultProxy;
  server: ServerProcess;
  say(text: string): void;
}

export interface FaultRun {
  /** What was injected, in words, with the measured durations. */
  injected: string;
  injectedAt: number;
  /** When the dependency was back (Redis answering, PostgreSQL accepting, the server ready, the proxy forwarding). */
  liftedAt: number;
}

export interface Fault {
  name: FaultName;
  title: string;
  inject(ctx: FaultContext): Promise<FaultRun>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A PostgreSQL restart in `mode` (fast: a clean restart; immediate: a crash), with what to say about it. */
function postgresRestart(
  name: FaultName,
  title: string,
  mode: RestartMode,
  words: { doing: string; done: string; injected: (took: string) => string },
): Fault {
  return {
    name,
    title,
    async inject({ postgres, say }) {
      const injectedAt = Date.now();
      say(`  ✂ ${words.doing}`);
      await postgres.restart(mode);
      const liftedAt = Date.now();
      say(`  ✓ ${words.done} after ${seconds(liftedAt - injectedAt)}`);
      return { injected: words.injected(seconds(liftedAt - injectedAt)), injectedAt, liftedAt };
    },
  };
}

export const FAULTS: Record<FaultName, Fault> = {
  redis: {
    name: 'redis',
    title: 'Redis down',
    async inject({ redis, settings, say }) {
      const injectedAt = Date.now();
      await redis.kill();
      say(`  ✂ Redis killed (SIGKILL); restarting it in ${seconds(settings.redisDownMs)}`);
      await sleep(settings.redisDownMs);
      await redis.start();
      const liftedAt = Date.now();
      say(`  ✓ Redis back (empty) after ${seconds(liftedAt - injectedAt)}`);
      return { injected: `redis-server SIGKILLed, restarted empty after ${seconds(liftedAt - injectedAt)}`, injectedAt, liftedAt };
    },
  },
  'postgres-restart': postgresRestart('postgres-restart', 'PostgreSQL restart', 'fast', {
    doing: 'pg_ctl restart -m fast',
    done: 'PostgreSQL accepting connections again',
    injected: (took) => `pg_ctl restart -m fast (${took} until it accepted connections)`,
  }),
  'postgres-crash': postgresRestart('postgres-crash', 'PostgreSQL crash', 'immediate', {
    doing: 'pg_ctl restart -m immediate (a crash: no checkpoint, WAL recovery on start)',
    done: 'PostgreSQL recovered and accepting connections',
    injected: (took) => `pg_ctl restart -m immediate: crash + WAL recovery (${took})`,
  }),
  'server-kill': {
    name: 'server-kill',
    title: 'server SIGKILL',
    async inject({ server, say }) {
      const injectedAt = Date.now();
      await server.kill();
      say('  ✂ server killed (SIGKILL); starting it again on the same port and database');
      const { readyMs } = await server.start();
      const liftedAt = Date.now();
      say(`  ✓ server ready again after ${seconds(liftedAt - injectedAt)} (start ${seconds(readyMs)})`);
      return { injected: `server SIGKILLed, restarted at once (ready after ${seconds(liftedAt - injectedAt)})`, injectedAt, liftedAt };
    },
  },
  proxy: {
    name: 'proxy',
    title: 'network to PostgreSQL',
    async inject({ proxy, settings, say }) {
      const injectedAt = Date.now();
      proxy.setLatency({ minMs: settings.latencyMinMs, maxMs: settings.latencyMaxMs });
      say(`  ✂ proxy: ${settings.latencyMinMs}–${settings.latencyMaxMs} ms latency per chunk for ${seconds(settings.latencyMs)}`);
      await sleep(settings.latencyMs);
      proxy.setLatency(null);
      await proxy.refuse();
      const dropped = proxy.dropAll();
      const dropAt = Date.now();
      say(`  ✂ proxy: ${dropped} connection(s) reset; refusing new ones for ${seconds(settings.refuseMs)}`);
      await sleep(settings.refuseMs);
      await proxy.accept();
      const liftedAt = Date.now();
      say('  ✓ proxy forwarding again');
      return {
        injected: `${settings.latencyMinMs}–${settings.latencyMaxMs} ms latency per chunk for ${seconds(dropAt - injectedAt)}, then ${dropped} connection(s) reset and new ones refused for ${seconds(liftedAt - dropAt)}`,
        injectedAt,
        liftedAt,
      };
    },
  },
};
