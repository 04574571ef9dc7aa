// Short-lived access tokens: HS256 JWTs naming the user, their roles and their session.
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

export function createAccessTokens(secret: string, ttlSeconds: number): AccessTokens {
  const key = new TextEncoder().encode(secret);
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
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        const roles = Array.isArray(payload.roles) ? (payload.roles.filter((r) => r === 'USER' || r === 'ADMIN') as Role[]) : [];
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
        return { userId: payload.sub, sessionId: payload.sid, roles, expiresAt: payload.exp };
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },
  };
}
