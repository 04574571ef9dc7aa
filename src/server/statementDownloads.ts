// GET /statements/download?token=…: a statement as CSV or PDF, from a link Statement.downloadUrl
// made. The link is checked (signature, audience, expiry: src/services/statements/downloadLinks.ts),
// then who it was made for is checked again as things stand now: their session must still be
// signed in, and they must still see the wallet (an owner, or an admin). The document is streamed:
// the ledger is read a page at a time as the client takes the bytes, so a slow or huge download
// holds no more than a page in memory, and a client that goes away stops the reading. Each
// download takes a request token from the user's rate limit, and a user has at most
// MAX_DOWNLOADS_PER_USER running in this process: a statement can be long, and a link can be
// opened many times while it lasts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { StatementStreamClosed } from '../services/statements/statementDocument.js';
import { STATEMENT_DOWNLOAD_PATH, type StatementLink } from '../services/statements/downloadLinks.js';

export const STATEMENT_PATH = STATEMENT_DOWNLOAD_PATH;

export interface DownloadProblem {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

const MAX_DOWNLOADS_PER_USER = 2;

const CONTENT_TYPES = { CSV: 'text/csv; charset=utf-8; header=present', PDF: 'application/pdf' } as const;

/** The route's handler; it counts each user's downloads in progress (one per server's request listener). */
export function createStatementDownloads(services: Services) {
  const running = new Map<string, number>();
  /** Serves the download, or answers the problem for the caller to send (nothing was written then). */
  return async function serveStatementDownload(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    log: Logger,
  ): Promise<DownloadProblem | null> {
    const token = url.searchParams.get('token');
    if (!token)
      return { status: 400, code: 'BAD_REQUEST', message: 'A statement download needs its token: use the url of Statement.downloadUrl.' };
    const link = await services.statements.verifyDownload(token);
    if (!link) {
      return {
        status: 403,
        code: 'LINK_EXPIRED',
        message: 'This download link is invalid or has expired: ask for a new one (Statement.downloadUrl).',
      };
    }
    const principal = await services.sessions.principal(link.sessionId);
    if (!principal?.active || principal.userId !== link.userId) {
      return {
        status: 403,
        code: 'LINK_EXPIRED',
        message: 'The session this link was made for has been signed out: sign in and ask for a new one.',
      };
    }
    const wallet = await services.wallets.getVisible({ userId: link.userId, isAdmin: principal.roles.includes('ADMIN') }, link.walletId, {
      fromDatabase: true,
    });
    if (!wallet) return { status: 404, code: 'NOT_FOUND', message: 'Wallet not found.' };
    const wait = services.rateLimits.user.take(link.userId);
    if (wait !== null)
      return { status: 429, code: 'RATE_LIMITED', message: `Too many requests: retry in ${wait} seconds.`, retryAfterSeconds: wait };
    const mine = running.get(link.userId) ?? 0;
    if (mine >= MAX_DOWNLOADS_PER_USER) {
      return {
        status: 429,
        code: 'RATE_LIMITED',
        message: `At most ${MAX_DOWNLOADS_PER_USER} statement downloads at a time: wait for one to finish.`,
        retryAfterSeconds: 5,
      };
    }
    running.set(link.userId, mine + 1);
    try {
      return await stream(link, req, res, log);
    } finally {
      const left = (running.get(link.userId) ?? 1) - 1;
      if (left > 0) running.set(link.userId, left);
      else running.delete(link.userId);
    }
  };

  async function stream(link: StatementLink, req: IncomingMessage, res: ServerResponse, log: Logger): Promise<null> {
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[link.format],
      'content-disposition': `attachment; filename="${services.statements.downloadFileName(link)}"`,
      // A statement is personal: no shared cache keeps it, and the link is not sent on as a referrer.
      'cache-control': 'private, no-store',
      'referrer-policy': 'no-referrer',
    });
    if (req.method === 'HEAD') {
      res.end();
      return null;
    }
    try {
      const totals = await services.statements.writeDownload(link, res);
      res.end();
      log.info({ walletId: link.walletId, format: link.format, lines: totals.lines }, 'statement downloaded');
    } catch (err) {
      if (err instanceof StatementStreamClosed) {
        log.info({ walletId: link.walletId, format: link.format }, 'statement download closed by the client');
        return null;
      }
      // Headers are gone: the client sees a cut-off download, never a document that looks complete.
      log.error({ err, walletId: link.walletId }, 'statement download failed');
      res.destroy();
    }
    return null;
  }
}
