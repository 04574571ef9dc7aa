// The load generator process, started by bench/run.ts (never run by hand). It takes one command
// at a time over its IPC channel (an HTTP run, open/close WebSocket subscribers, a notify run),
// talks to the server over loopback only, and answers with the figures. It exits when the
// orchestrator goes away, so no load is ever left running.
import { closePools, probe, runHttp } from './httpLoad.js';
import type { LoadMessage, LoadRequest } from './protocol.js';
import { httpScenario } from './scenarios/index.js';
import type { HttpWorkload } from './scenarios/types.js';
import { notify, subscribeAll, unsubscribeAll } from './subscriptionLoad.js';

const send = (message: LoadMessage) => process.send?.(message);

if (!process.send) {
  console.error('bench/load.ts is the load process of `npm run bench`; start the benchmark with `npm run bench` instead.');
  process.exit(2);
}

async function execute({ id, command }: LoadRequest): Promise<unknown> {
  const onProgress = (p: { elapsedS: number; completed: number; ok: number }) => send({ kind: 'progress', id, ...p });
  switch (command.type) {
    case 'http': {
      const scenario = httpScenario(command.scenario);
      const next = scenario.requests(command.workload as HttpWorkload);
      return runHttp(command, next, command.progress ? { onProgress } : {});
    }
    case 'probe': {
      const scenario = httpScenario(command.scenario);
      return probe(command.origin, scenario.requests(command.workload as HttpWorkload)());
    }
    case 'subscribe':
      return subscribeAll(command, onProgress);
    case 'notify':
      return notify(command, onProgress);
    case 'unsubscribe':
      return unsubscribeAll();
  }
}

// One command at a time, in order.
let queue = Promise.resolve();
process.on('message', (raw) => {
  const request = raw as LoadRequest;
  queue = queue.then(async () => {
    try {
      send({ kind: 'result', id: request.id, result: await execute(request) });
    } catch (err) {
      send({ kind: 'error', id: request.id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
});

process.on('disconnect', () => {
  void Promise.allSettled([unsubscribeAll(), closePools()]).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
});

send({ kind: 'ready' });
