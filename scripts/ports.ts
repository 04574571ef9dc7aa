// Loopback ports for what scripts, tests, the bench and the fault suite start: the one asked for
// when it is free, else one the OS picks. Checked by binding, the only test that does not race
// with itself.
import { createServer } from 'node:net';

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(null));
    probe.listen(port, '127.0.0.1', () => {
      const bound = (probe.address() as { port: number }).port;
      probe.close(() => resolve(bound));
    });
  });
}

/** `wanted` if nobody listens there (any free port for 0), else a free port; never one of `taken`. */
export async function choosePort(wanted: number, taken: number[] = []): Promise<number> {
  if (wanted > 0 && !taken.includes(wanted) && (await tryListen(wanted)) !== null) return wanted;
  for (;;) {
    const port = await tryListen(0);
    if (port !== null && !taken.includes(port)) return port;
  }
}

/** A loopback port nobody listens on right now (for a server, a proxy or a Redis a script or test starts). */
export const freePort = (): Promise<number> => choosePort(0);
