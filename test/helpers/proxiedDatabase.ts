// A database the server reaches through a TCP proxy that a test cuts (new connections refused,
// open ones dropped) and restores on the same port, in both modes:
//  - on PostgreSQL: a fresh database of the suite's server;
//  - on the embedded default: an in-memory PGlite behind pglite-socket, with two differences from
//    a real server. A server given DATABASE_URL takes the database for a real
//    PostgreSQL: a pool of DB_POOL_SIZE connections and named prepared statements. But every
//    pglite-socket connection shares PGlite's one session, so (1) concurrent connections
//    interleave their extended-protocol messages (electric-sql/pglite#1046; the server's own
//    embedded mode uses one connection for that reason) and (2) a statement name prepared on a
//    connection that is gone still exists for the next one ("prepared statement ... already
//    exists", 42P05). So here the server gets DB_POOL_SIZE=1, and each new connection starts
//    with the session's prepared statements dropped, as a new PostgreSQL session would.
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { createTestDatabase, usingPostgres } from './testDatabase.js';

/** A TCP proxy that can be cut and restored on the same port. */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Cuts: refuses new connections and drops the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

export interface ProxiedDatabase {
  /** Settings that point a server at the database through the proxy. */
  env: Record<string, string>;
  /** Cuts the database off: new connections refused, open ones dropped. */
  cut(): Promise<void>;
  /** Restores it on the same port (does nothing when it is not cut). */
  restore(): Promise<void>;
  readonly isCut: boolean;
  drop(): Promise<void>;
}

function cuttable(proxy: TcpProxy, env: Record<string, string>, drop: () => Promise<void>): ProxiedDatabase {
  let isCut = false;
  return {
    env,
    get isCut() {
      return isCut;
    },
    async cut() {
      if (isCut) return;
      await proxy.stop();
      isCut = true;
    },
    async restore() {
      if (!isCut) return;
      await proxy.start();
      isCut = false;
    },
    drop,
  };
}

export async function createProxiedDatabase(): Promise<ProxiedDatabase> {
  if (usingPostgres) {
    const target = await createTestDatabase();
    const url = new URL(target.url!);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    return cuttable(proxy, { DATABASE_URL: url.toString() }, async () => {
      await proxy.stop();
      await target.drop();
    });
  }
  const db = await PGlite.create();
  const socket = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
  await socket.start();
  const [host, port] = socket.getServerConn().split(':') as [string, string];

  // Between the cuttable proxy and pglite-socket: a fresh session state for each connection.
  const sockets = new Set<net.Socket>();
  const resetter = net.createServer((client) => {
    client.pause();
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    void (async () => {
      try {
        // The previous connection's transaction is rolled back by pglite-socket when it closes.
        if (!db.isInTransaction()) await db.exec('DEALLOCATE ALL');
      } catch {
        // The next statement will say what is wrong.
      }
      if (client.destroyed) return;
      const upstream = net.connect(Number(port), host);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    })();
  });
  await new Promise<void>((resolve, reject) => {
    resetter.once('error', reject);
    resetter.listen(0, '127.0.0.1', () => resolve());
  });
  const resetterPort = (resetter.address() as net.AddressInfo).port;

  const proxy = new TcpProxy({ host: '127.0.0.1', port: resetterPort });
  await proxy.start();
  return cuttable(proxy, { DATABASE_URL: `postgresql://postgres@127.0.0.1:${proxy.port}/postgres`, DB_POOL_SIZE: '1' }, async () => {
    await proxy.stop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => resetter.close(() => resolve()));
    await socket.stop();
    await db.close();
  });
}
