// Short-lived signed download links: a JWT (HS256, jose) under a key derived from JWT_SECRET with
// HKDF and a label per purpose, with an audience per purpose, so a link is never an access token,
// an access token is never a link, and a link for one purpose never opens another. A link names
// the user and session it was made for; whoever serves it checks them again when it is used (the
// session must still be live), so signing out ends the links a session made as well.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'wallet-server';

export interface DownloadGrant<Claims> {
  userId: string;
  sessionId: string;
  claims: Claims;
}

export interface DownloadLinks<Claims> {
  sign(grant: DownloadGrant<Claims>): Promise<{ token: string; expiresAt: Date }>;
  /** The link's grant, or null when it is not one of ours for this purpose, was altered, or has expired. */
  verify(token: string): Promise<DownloadGrant<Claims> | null>;
}

/**
 * Links for one purpose ("data-export", …). `encode`/`decode` turn the purpose's claims into JSON
 * values and back (short names keep links short).
 */
export function createDownloadLinks<Claims>(deps: {
  jwtSecret: string;
  purpose: string;
  ttlSeconds: number;
  encode: (claims: Claims) => Record<string, unknown>;
  decode: (payload: Record<string, unknown>) => Claims;
}): DownloadLinks<Claims> {
  const key: KeyObject = createSecretKey(
    Buffer.from(hkdfSync('sha256', Buffer.from(deps.jwtSecret, 'utf8'), Buffer.alloc(0), `wallet ${deps.purpose} download v1`, 32)),
  );
  const audience = `wallet-${deps.purpose}-download`;
  return {
    async sign({ userId, sessionId, claims }) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + deps.ttlSeconds;
      const token = await new SignJWT({ sid: sessionId, c: deps.encode(claims) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token) {
      if (token.length > 4096) return null;
      try {
        const { payload } = await jwtVerify(token, key, { audience, issuer: ISSUER, algorithms: ['HS256'] });
        return {
          userId: payload.sub!,
          sessionId: payload.sid as string,
          claims: deps.decode((payload.c ?? {}) as Record<string, unknown>),
        };
      } catch (err) {
        if (err instanceof joseErrors.JOSEError) return null;
        throw err;
      }
    },
  };
}
