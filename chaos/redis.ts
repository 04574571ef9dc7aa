// The suite's own Redis: `redis-server` as a child process on its own port, without persistence
// (nothing to keep across the outage: the server must cope with an empty Redis coming back). The
// Redis fault kills it with SIGKILL and starts a new one on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

export interface RedisServer {
  port: number;
  url: string;
  version: string;
  logFile: string;
  running(): boolean;
  /** SIGKILL, as a crash or a lost host would end it. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill). */
  start(): Promise<void>;
}

/** Resolves once a PING on the port is answered with PONG. */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.setTimeout(500);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(options: { dir: string; port: number; say(text: string): void }): Promise<RedisServer> {
  const logFile = path.join(options.dir, 'redis.log');
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();

  const start = async () => {
    const fd = openSync(logFile, 'a');
    try {
      child = spawn(
        'redis-server',
        [
          '--port',
          String(options.port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
          '--dir',
          options.dir,
          '--loglevel',
          'warning',
        ],
        { stdio: ['ignore', fd, fd] },
      );
    } finally {
      closeSync(fd);
    }
    const current = child;
    exited = once(current, 'exit');
    const failed = once(current, 'error').then(([err]) => {
      throw new Error(`redis-server could not be started: ${(err as Error).message} (apt-get install redis-server)`);
    });
    failed.catch(() => {});
    await Promise.race([waitForPong(options.port, 10_000), failed]);
  };

  const started = Date.now();
  await start();
  const version = await new Promise<string>((resolve) => {
    const socket = connect(options.port, '127.0.0.1');
    let text = '';
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve('unknown');
    });
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (d) => {
      text += d.toString();
      const m = /redis_version:(\S+)/.exec(text);
      if (m) {
        socket.destroy();
        resolve(m[1]!);
      }
    });
    socket.once('error', () => resolve('unknown'));
  });
  options.say(`  Redis ${version} on 127.0.0.1:${options.port} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return {
    port: options.port,
    url: `redis://127.0.0.1:${options.port}`,
    version,
    logFile,
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    async kill() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    start,
  };
}
