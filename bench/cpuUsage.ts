// CPU accounting around a measured run, from /proc (Linux): how busy the server process,
// PostgreSQL, Redis and the whole machine were. On a 2-core box shared by server, PostgreSQL,
// Redis and the load generator, these say which of them was the limit, and how noisy the machine was.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ; 100 on every mainstream Linux). */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  at: number;
  /** utime + stime of the process, in seconds; undefined when unreadable. */
  processSeconds?: number;
  /** Busy and total jiffies of the whole machine. */
  machine?: { busy: number; total: number };
  /** CPU seconds of every postgres and redis-server process on this machine (with their reaped children). */
  database?: number;
  redis?: number;
}

function processSeconds(pid: number | undefined, withChildren = false): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime; cutime, cstime hold the children it reaped (a postmaster's ended backends).
    const own = Number(fields[11]) + Number(fields[12]);
    return (own + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0)) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The pids of the programs with this exact name (PostgreSQL's postmaster and backends, Redis). */
export function pidsOf(name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** CPU seconds of every process with this exact name, or undefined when none runs here. */
function programSeconds(name: string): number | undefined {
  const pids = pidsOf(name);
  return pids.length ? pids.reduce((sum, pid) => sum + (processSeconds(pid, true) ?? 0), 0) : undefined;
}

function machineTimes(): CpuSnapshot['machine'] {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** `servers`: also count PostgreSQL's and Redis's processes (not on the embedded database, where they are not the target). */
export function cpuSnapshot(pid?: number, { servers = false }: { servers?: boolean } = {}): CpuSnapshot {
  return {
    at: performance.now(),
    processSeconds: processSeconds(pid),
    machine: machineTimes(),
    database: servers ? programSeconds('postgres') : undefined,
    redis: servers ? programSeconds('redis-server') : undefined,
  };
}

/** The server's CPU (% of one core, µs per op) and the machine's busy share between two snapshots. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, operations: number) {
  const seconds = (after.at - before.at) / 1000;
  const server =
    before.processSeconds !== undefined && after.processSeconds !== undefined ? after.processSeconds - before.processSeconds : undefined;
  const machine =
    before.machine && after.machine && after.machine.total > before.machine.total
      ? (100 * (after.machine.busy - before.machine.busy)) / (after.machine.total - before.machine.total)
      : undefined;
  const perOp = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || operations <= 0 ? undefined : ((b - a) * 1e6) / operations;
  return {
    serverPercent: server === undefined || seconds <= 0 ? undefined : (100 * server) / seconds,
    serverMicrosPerOp: server === undefined || operations <= 0 ? undefined : (server * 1e6) / operations,
    databaseMicrosPerOp: perOp(before.database, after.database),
    redisMicrosPerOp: perOp(before.redis, after.redis),
    machineBusyPercent: machine,
  };
}
