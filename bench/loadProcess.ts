// The orchestrator's handle on the load generator (bench/load.ts): starts it as a separate
// process with an IPC channel, sends it one command at a time and waits for the answer. Keeping
// load generation out of the orchestrator's and the server's processes means neither one's
// event loop or garbage collector colours the other's figures.
import { spawn, type ChildProcess } from 'node:child_process';
import type { LoadCommand, LoadMessage, LoadRequest } from './protocol.js';

export interface LoadProcess {
  pid: number;
  /** Runs one command; onProgress hears about it about once a second while it runs. */
  run<T>(command: LoadCommand, onProgress?: (p: { elapsedS: number; completed: number; ok: number }) => void): Promise<T>;
  stop(): Promise<void>;
}

export async function startLoadProcess(repoRoot: string): Promise<LoadProcess> {
  // Through sh so it may open as many sockets as the hard file-descriptor limit allows; the
  // IPC channel (fd 3, NODE_CHANNEL_FD) survives the exec.
  const child: ChildProcess = spawn(
    'sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, '--import', 'tsx', 'bench/load.ts'],
    { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env },
  );
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; onProgress?: (p: never) => void }>();
  let exited = false;

  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      exited = true;
      const err = new Error(`The load process exited (code ${code}, signal ${signal}).`);
      reject(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    child.on('message', (raw) => {
      const message = raw as LoadMessage;
      if (message.kind === 'ready') return resolve();
      const waiter = pending.get(message.id);
      if (!waiter) return;
      if (message.kind === 'progress') {
        waiter.onProgress?.(message as never);
        return;
      }
      pending.delete(message.id);
      if (message.kind === 'result') waiter.resolve(message.result);
      else waiter.reject(new Error(`load process: ${message.message}`));
    });
  });
  await ready;

  return {
    pid: child.pid!,
    run<T>(command: LoadCommand, onProgress?: (p: { elapsedS: number; completed: number; ok: number }) => void) {
      if (exited) return Promise.reject(new Error('The load process is not running.'));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: onProgress as never });
        child.send({ id, command } satisfies LoadRequest);
      });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.disconnect(); // the load process exits when its channel closes
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(forced);
    },
  };
}
