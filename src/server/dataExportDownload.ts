// GET /downloads/my-data?token=…: the user's data as one JSON document (issue 18, GDPR), from a
// link exportMyData made. The link is checked (signature, purpose, expiry), then again as things
// stand now: the session it was made for must still be signed in. The archive is written as it is
// read, a page of rows at a time, at the pace the client takes it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

export interface DownloadProblem {
  status: number;
  code: string;
  message: string;
}

const expired = (message: string): DownloadProblem => ({ status: 403, code: 'LINK_EXPIRED', message });

/** Serves the download, or answers the problem for the caller to send (nothing was written then). */
export async function serveDataExport(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  log: Logger,
): Promise<DownloadProblem | null> {
  const token = url.searchParams.get('token');
  if (!token)
    return { status: 400, code: 'BAD_REQUEST', message: 'A data download needs its token: use the downloadUrl exportMyData answered.' };
  const grant = await services.privacy.verifyExportLink(token);
  if (!grant) return expired('This download link is invalid or has expired: ask for a new one (exportMyData).');
  const principal = await services.sessions.principal(grant.sessionId);
  if (!principal?.active || principal.userId !== grant.userId)
    return expired('The session this link was made for has been signed out: sign in and ask for a new one.');
  const day = new Date().toISOString().slice(0, 10);
  let started = false;
  const write = async (chunk: string) => {
    if (!started) {
      started = true;
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="wallet-data-${day}.json"`,
        // Personal data: no shared cache keeps it, and the link is not sent on as a referrer.
        'cache-control': 'private, no-store',
        'referrer-policy': 'no-referrer',
      });
    }
    if (res.destroyed) throw new Error('the client went away');
    if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
  };
  if (req.method === 'HEAD') {
    await write('');
    res.end();
    return null;
  }
  try {
    const found = await services.privacy.writeExport(grant.userId, write);
    if (!found) return { status: 404, code: 'NOT_FOUND', message: 'This account no longer exists.' };
    res.end();
    log.info({ userId: grant.userId }, 'data export downloaded');
  } catch (err) {
    if (res.destroyed) {
      log.info({ userId: grant.userId }, 'data export closed by the client');
      return null;
    }
    // Headers may be gone: the client sees a cut-off download, never a document that looks complete.
    log.error({ err, userId: grant.userId }, 'data export failed');
    res.destroy();
  }
  return null;
}
