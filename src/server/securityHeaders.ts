// Headers every response carries, and CORS. Pages (the pay page, the IDE, the wallet app) replace
// the default Content-Security-Policy with their own when they answer; everything else is JSON or
// an image and may run nothing and be framed by nobody. HSTS only when the request came over
// HTTPS: directly (TLS_CERT_FILE) or through a proxy we trust (TRUST_PROXY and X-Forwarded-Proto).
// CORS: browsers on other origins may call the API only from the origins in CORS_ORIGINS (none by
// default; the wallet app and the IDE are served from this origin and need none).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Config } from '../config.js';

const ALWAYS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
} as const;

const HSTS = 'max-age=31536000; includeSubDomains';

export const CORS_ALLOWED_HEADERS = 'authorization, content-type, x-request-id, x-device-id, apollo-require-preflight';

/** Whether this request reached us over HTTPS (directly, or as a trusted proxy says). */
export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trustProxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim() === 'https';
}

/** Sets the headers every response carries; returns whether the request's Origin may use CORS. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, config: Pick<Config, 'TRUST_PROXY' | 'CORS_ORIGINS'>) {
  for (const [name, value] of Object.entries(ALWAYS)) res.setHeader(name, value);
  if (isHttps(req, config.TRUST_PROXY)) res.setHeader('strict-transport-security', HSTS);
  const origin = req.headers.origin;
  res.setHeader('vary', 'origin');
  const allowed = typeof origin === 'string' && config.CORS_ORIGINS.includes(origin);
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
  }
  return allowed;
}
