// What "a device" is, for the new-device sign-in notice. A client that keeps an id of its own and
// sends it (X-Device-Id, or the deviceId connection parameter) is that id; any other is its user
// agent on its network (the /24 of an IPv4 address, the /48 of an IPv6 one). The key stored on the
// session is a keyed hash of that (HMAC-SHA256, key derived from VAULT_FINGERPRINT_KEY), so it
// neither repeats the device id nor tells anything about the user agent or network.
//
// Without a device id the rule errs toward telling the user: the same browser on a new network
// (another Wi-Fi, a mobile carrier's range) counts as new. Apps that want fewer notices send a
// stable X-Device-Id (the risk rules use it too).
import { createHmac, hkdfSync } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** What a sign-in says about its client (sessions.ts's ClientInfo). */
export interface DeviceClient {
  ip: string;
  userAgent?: string;
  deviceId?: string | null;
}

/** The network an address belongs to, as far as devices go: a.b.c.0/24, or the first 48 bits of an IPv6 address. */
export function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(address)) {
    const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
    const left = head ? head.split(':') : [];
    const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
    const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
    return `${groups
      .slice(0, 3)
      .map((g) => g.replace(/^0+(?=.)/, ''))
      .join(':')}::/48`;
  }
  return address;
}

export interface DeviceKeys {
  /** The device of a sign-in, as stored on its session. */
  keyOf(client: DeviceClient): string;
}

export function createDeviceKeys(fingerprintKey: Buffer): DeviceKeys {
  const key = Buffer.from(hkdfSync('sha256', fingerprintKey, Buffer.alloc(0), 'wallet device keys v1', 32));
  const hmac = (text: string) => createHmac('sha256', key).update(text).digest('base64url').slice(0, 32);
  return {
    keyOf(client) {
      if (client.deviceId) return `id:${hmac(`id:${client.deviceId}`)}`;
      return `ua:${hmac(`ua:${client.userAgent ?? ''}|${networkOf(client.ip)}`)}`;
    },
  };
}

/** How a notice names the device: its user agent (what the client says it is), or that it is an app. */
export function describeDevice(client: DeviceClient): string {
  const agent = client.userAgent?.trim();
  if (agent) return agent.slice(0, 160);
  return client.deviceId ? 'An app on a device you have not used before' : 'An unidentified client';
}
