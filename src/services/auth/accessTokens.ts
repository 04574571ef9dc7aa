// Short-lived access tokens: HS256 JWTs naming the user, their roles and their session.
import { createSecretKey } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export type Role = 'USER' | 'ADMIN';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  roles: Role[];
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

const ISSUER = 'wallet-server';
const AUDIENCE = 'wallet-api';

export interface AccessTokens {
  issue(claims: Omit<AccessClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: Date }>;
  /** Returns the claims, or null for a token that is malformed, tampered with or expired. */
  verify(token: string): Promise<AccessClaims | null>;
}

/** Verified tokens remembered per process, so a client's repeated requests skip the HMAC check. */
const VERIFIED_CACHE_LIMIT = 100_000;

export function createAccessTokens(secret: string, ttlSeconds: number): AccessTokens {
  // A KeyObject is imported once; a raw byte key would be re-imported on every verification.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = new Map<string, AccessClaims>();
  return {
    async issue({ userId, sessionId, roles }) {
      const expiresAt = Math.floor(Date.now() / 1000) + ttlSeconds;
      const token = await new SignJWT({ sid: sessionId, roles })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
    async verify(token) {
      if (token.length > 4096) return null;
      const known = verified.get(token);
      // The same string always carries the same claims; only expiry has to be checked again.
      if (known) {
        if (known.expiresAt * 1000 > Date.now()) return known;
        verified.delete(token);
        return null;
      }
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        const roles = Array.isArray(payload.roles) ? (payload.roles.filter((r) => r === 'USER' || r === 'ADMIN') as Role[]) : [];
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
        const claims = { userId: payload.sub, sessionId: payload.sid, roles, expiresAt: payload.exp };
        if (verified.size >= VERIFIED_CACHE_LIMIT) verified.delete(verified.keys().next().value!);
        verified.set(token, claims);
        return claims;
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },
  };
}
