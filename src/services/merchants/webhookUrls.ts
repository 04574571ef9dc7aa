// Where merchant webhooks may be sent: https, to a public host. With local URLs allowed
// (MERCHANT_WEBHOOK_ALLOW_LOCAL, on outside production) http and loopback or private addresses are
// accepted too, for development and tests. In production a merchant therefore cannot point our
// servers at our own network by an address written in the URL. A public name that resolves to a
// private address (DNS rebinding) is not caught here: send webhooks through an egress proxy that
// refuses private ranges (docs/partners.md).
import { BlockList, isIP } from 'node:net';

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  privateRanges.addSubnet(net, prefix, 'ipv6');

function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return true;
  const family = isIP(host);
  if (family === 4) return privateRanges.check(host, 'ipv4');
  if (family === 6) return privateRanges.check(host, 'ipv6') || (host.startsWith('::ffff:') && privateRanges.check(host.slice(7), 'ipv4'));
  return false;
}

/** Why `url` cannot receive webhooks, or null when it can. */
export function webhookUrlProblem(url: string, allowLocal: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'webhookUrl is not a URL.';
  }
  if (url.length > 500) return 'webhookUrl must be at most 500 characters.';
  if (parsed.username || parsed.password) return 'webhookUrl must not carry credentials.';
  const local = isLocalHost(parsed.hostname);
  if (allowLocal) {
    if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && local)) return null;
    return 'webhookUrl must be https (http only for localhost).';
  }
  if (parsed.protocol !== 'https:') return 'webhookUrl must be https.';
  if (local) return 'webhookUrl must point at a public host, not a loopback or private address.';
  return null;
}
