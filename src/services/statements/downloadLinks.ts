// Short-lived signed links to download a statement: a JWT (HS256, jose) under a key derived from
// JWT_SECRET with HKDF and a label of its own, with its own audience, so it is never an access
// token and an access token is never one of these. It names the user and session it was made for,
// the wallet, the exact ledger range and period of the statement, and the format; it expires after
// STATEMENT_LINK_SECONDS. Whoever opens it is checked again when it is used: the session must still
// be live and its user must still see the wallet (src/server/statementDownloads.ts).
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { StatementPeriod } from './periods.js';

const AUDIENCE = 'wallet-statement-download';
const ISSUER = 'wallet-server';
export const STATEMENT_DOWNLOAD_PATH = '/statements/download';

export type StatementFormat = 'CSV' | 'PDF';

export interface StatementLink {
  userId: string;
  sessionId: string;
  walletId: string;
  format: StatementFormat;
  /** A monthly statement's id, or null for one computed for a period. */
  statementId: string | null;
  openingSequence: bigint;
  closingSequence: bigint;
  period: Pick<StatementPeriod, 'kind' | 'month' | 'from' | 'to' | 'timeZone' | 'startsAt' | 'endsAt'>;
}

export interface StatementLinks {
  sign(link: StatementLink): Promise<{ token: string; expiresAt: Date }>;
  /** The link's contents, or null when it is not one of ours, was altered, or has expired. */
  verify(token: string): Promise<StatementLink | null>;
}

export function createStatementLinks(deps: { jwtSecret: string; ttlSeconds: number }): StatementLinks {
  const key: KeyObject = createSecretKey(
    Buffer.from(hkdfSync('sha256', Buffer.from(deps.jwtSecret, 'utf8'), Buffer.alloc(0), 'wallet statement download v1', 32)),
  );
  return {
    async sign(link) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + deps.ttlSeconds;
      const p = link.period;
      const token = await new SignJWT({
        sid: link.sessionId,
        w: link.walletId,
        f: link.format,
        st: link.statementId,
        o: link.openingSequence.toString(),
        c: link.closingSequence.toString(),
        p: { k: p.kind, m: p.month, f: p.from, t: p.to, z: p.timeZone, s: p.startsAt.toISOString(), e: p.endsAt.toISOString() },
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(link.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token) {
      if (token.length > 4096) return null;
      try {
        const { payload: c } = await jwtVerify(token, key, { audience: AUDIENCE, issuer: ISSUER, algorithms: ['HS256'] });
        const p = c.p as { k: 'MONTH' | 'RANGE'; m: string | null; f: string; t: string; z: string; s: string; e: string };
        return {
          userId: c.sub!,
          sessionId: c.sid as string,
          walletId: c.w as string,
          format: c.f as StatementFormat,
          statementId: (c.st as string | null) ?? null,
          openingSequence: BigInt(c.o as string),
          closingSequence: BigInt(c.c as string),
          period: { kind: p.k, month: p.m, from: p.f, to: p.t, timeZone: p.z, startsAt: new Date(p.s), endsAt: new Date(p.e) },
        };
      } catch (err) {
        if (err instanceof joseErrors.JOSEError) return null;
        throw err;
      }
    },
  };
}
