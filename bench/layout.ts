// Where the programs run on the machine's cores. `shared` (the default) leaves them to the
// scheduler: PostgreSQL, Redis, the server and the load generator all compete for every core, as
// on a small single machine. `split` pins PostgreSQL and Redis to the first half of the cores and
// this process (and so the server, the load processes and pgbench, which inherit its affinity) to
// the other half, so a reader sees how the figures move when the database has cores of its own,
// as it would on its own machine. Pinning uses taskset (util-linux); the database's affinity is
// given back when the benchmark ends.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { pidsOf } from './cpuUsage.js';
import { UsageError } from './options.js';

export type Layout = 'shared' | 'split';

export interface CoreLayout {
  layout: Layout;
  /** The cores of PostgreSQL and Redis, and of the server, load and pgbench ("0", "1-3"); null when shared. */
  databaseCores: string | null;
  appCores: string | null;
  /** Gives PostgreSQL and Redis every core again. */
  restore(): void;
}

const range = (from: number, to: number) => (from === to ? String(from) : `${from}-${to}`);

function pin(pid: number, cores: string) {
  execFileSync('taskset', ['-a', '-cp', cores, String(pid)], { stdio: 'ignore' });
}

export function applyLayout(layout: Layout, embedded: boolean): CoreLayout {
  if (layout === 'shared') return { layout, databaseCores: null, appCores: null, restore: () => {} };
  if (embedded) throw new UsageError('--layout split needs PostgreSQL: the embedded database runs inside the server process.');
  const cores = os.availableParallelism();
  if (cores < 2) throw new UsageError(`--layout split needs at least 2 cores; this machine has ${cores}.`);
  const half = Math.floor(cores / 2);
  const databaseCores = range(0, half - 1);
  const appCores = range(half, cores - 1);
  const postgres = pidsOf('postgres');
  if (!postgres.length) throw new UsageError('--layout split pins PostgreSQL, but no postgres process runs on this machine.');
  try {
    // Backends started later are forked by the postmaster and inherit its cores.
    for (const pid of [...postgres, ...pidsOf('redis-server')]) pin(pid, databaseCores);
    pin(process.pid, appCores);
  } catch (err) {
    throw new UsageError(
      `--layout split could not pin with taskset (util-linux; pinning other users' processes needs root): ${(err as Error).message}`,
    );
  }
  return {
    layout,
    databaseCores,
    appCores,
    restore() {
      const all = range(0, cores - 1);
      for (const pid of [...pidsOf('postgres'), ...pidsOf('redis-server')]) {
        try {
          pin(pid, all);
        } catch {
          // A backend that ended meanwhile.
        }
      }
    },
  };
}
