// What the figures were measured on and with which code: cores, memory, Node, the database's and
// Redis's versions, and the git commit (with a flag when the work tree had uncommitted changes).
// A figure without these cannot be compared with another.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { Redis } from 'ioredis';
import type { BenchTarget } from './target.js';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  /** SELECT version() of the benchmark's database (PGlite's on the embedded database). */
  database: string | null;
  redis: string | null;
  /** 1, 5 and 15 minute load averages when the run started: how busy the machine already was. */
  loadAverageAtStart: number[];
}

export interface GitInfo {
  commit: string | null;
  /** Uncommitted changes in the work tree when the run started. */
  dirty: boolean | null;
  branch: string | null;
}

export async function describeMachine(target: BenchTarget): Promise<MachineInfo> {
  const database = await target
    .withSql(async (sql) => (await sql.query<{ version: string }>('SELECT version()')).rows[0]!.version)
    .catch(() => null);
  let redis: string | null = null;
  if (target.redis) {
    const client = new Redis(target.redis.url, { maxRetriesPerRequest: 1 });
    try {
      const info = await client.info('server');
      redis = /redis_version:(\S+)/.exec(info)?.[1] ?? null;
    } catch {
      redis = null;
    } finally {
      client.disconnect();
    }
  }
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    database,
    redis,
    loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

export function describeGit(repoRoot: string): GitInfo {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const status = git('status', '--porcelain');
  return {
    commit: git('rev-parse', 'HEAD'),
    dirty: status === null ? null : status.length > 0,
    branch: git('rev-parse', '--abbrev-ref', 'HEAD'),
  };
}
