// A TCP proxy (in this process) between the server and PostgreSQL, so the network between them
// can misbehave on demand: latency added to every chunk in both directions (order kept), every
// open connection dropped at once (reset, as a failed load balancer or a network partition
// would), and new connections refused for a while (the listener closed: ECONNREFUSED).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Latency {
  minMs: number;
  maxMs: number;
}

export interface FaultProxy {
  port: number;
  /** Adds a random delay in [minMs, maxMs] to each chunk (null: none). */
  setLatency(latency: Latency | null): void;
  /** Resets every open connection; returns how many there were. */
  dropAll(): number;
  /** Stops accepting: new connections are refused until accept(). */
  refuse(): Promise<void>;
  accept(): Promise<void>;
  stats(): { accepted: number; open: number; dropped: number };
  close(): Promise<void>;
}

/** Forwards `from` to `to`, each chunk delayed by `delay()` ms but never overtaking an earlier one. */
function forward(from: Socket, to: Socket, delay: () => number) {
  const queue: { at: number; chunk: Buffer }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const flush = () => {
    timer = null;
    const now = Date.now();
    while (queue.length && queue[0]!.at <= now) {
      const { chunk } = queue.shift()!;
      if (!to.destroyed) to.write(chunk);
    }
    if (queue.length) timer = setTimeout(flush, queue[0]!.at - now);
    else if (ended && !to.destroyed) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    const ms = delay();
    if (ms <= 0 && !queue.length) {
      if (!to.destroyed) to.write(chunk);
      return;
    }
    const last = queue.length ? queue[queue.length - 1]!.at : 0;
    queue.push({ at: Math.max(Date.now() + ms, last), chunk });
    if (!timer) timer = setTimeout(flush, Math.max(0, queue[0]!.at - Date.now()));
  });
  from.on('end', () => {
    ended = true;
    if (!queue.length && !to.destroyed) to.end();
  });
  from.on('close', () => {
    // Anything still queued is lost with the connection, as on a real network.
    if (timer) clearTimeout(timer);
    queue.length = 0;
  });
}

export async function startProxy(options: { port: number; targetPort: number }): Promise<FaultProxy> {
  let latency: Latency | null = null;
  const delay = () => (latency ? latency.minMs + Math.random() * (latency.maxMs - latency.minMs) : 0);
  const pairs = new Set<[Socket, Socket]>();
  let accepted = 0;
  let dropped = 0;
  let server: Server | null = null;

  const onConnection = (client: Socket) => {
    accepted += 1;
    const upstream = connect(options.targetPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    forward(client, upstream, delay);
    forward(upstream, client, delay);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer({ noDelay: true }, onConnection);
      s.once('error', reject);
      s.listen(options.port, '127.0.0.1', () => {
        s.off('error', reject);
        server = s;
        resolve();
      });
    });
  await listen();

  return {
    port: options.port,
    setLatency(next) {
      latency = next;
    },
    dropAll() {
      const n = pairs.size;
      for (const pair of [...pairs]) {
        const [client, upstream] = pair;
        // A reset (RST) towards the server, as a dead network path looks; PostgreSQL just sees its client go.
        if (!client.destroyed) client.resetAndDestroy();
        upstream.destroy();
        pairs.delete(pair);
      }
      dropped += n;
      return n;
    },
    async refuse() {
      const s = server;
      server = null;
      // close() stops accepting at once; its callback waits for open connections, which we do not.
      s?.close();
    },
    async accept() {
      if (!server) await listen();
    },
    stats: () => ({ accepted, open: pairs.size, dropped }),
    async close() {
      const s = server;
      server = null;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
