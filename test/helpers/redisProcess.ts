// A private redis-server for one test file, on a free port, that a test can kill (SIGKILL: the
// abrupt outage a crash or a network cut gives) and start again on the same port. Nothing is
// persisted (--save "" --appendonly no), so it comes back empty, as a Redis that lost its memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/ports.js';

export class RedisProcess {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(readonly port: number) {}

  /** Starts a redis-server on a free port and waits until it accepts connections. */
  static async start(): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** (Re)starts the server on its port; resolves once it is ready for connections. */
  async start(): Promise<void> {
    if (this.child) return;
    this.output = '';
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on ${this.port} not ready after 10 s: ${this.output}`)), 10_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server on ${this.port} exited (${code ?? signal}) before it was ready: ${this.output}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    try {
      await ready;
    } catch (err) {
      this.child = undefined;
      child.kill('SIGKILL');
      throw err;
    }
  }

  /** The outage: SIGKILL, and waits until the process is gone (its port closed). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    }
  }
}
