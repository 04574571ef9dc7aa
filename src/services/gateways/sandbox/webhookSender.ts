// How the sandbox processors deliver results: signed POSTs to the server's /webhooks/<provider>,
// retried with exponential backoff until a 2xx, as real processors do. With `chaos` on, every
// event of a movement is delivered a second time after the last one, in reverse order: the
// receiver sees duplicates, and earlier events (a "pending") arriving after later ones.
import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../../../logger.js';
import { signPayload } from '../../webhooks/signature.js';
import type { KycWebhookEvent, WebhookEvent } from '../gateways.js';

export interface WebhookSenderSettings {
  provider: 'card' | 'bank' | 'kyc';
  /** Signs with the first (newest) secret. */
  secrets: string[];
  chaos: boolean;
  /**
   * Where the server listens, e.g. http://127.0.0.1:4000; known only once it does. An https://
   * target is this server's own TLS listener (TLS_CERT_FILE) on a loopback address, whose
   * certificate names the public host: it is posted to without checking the certificate.
   */
  target: () => string | null;
  log: Logger;
}

export interface WebhookSender {
  /** Sends the events of one movement, each `afterMs` after the previous one (then, under chaos, all again in reverse). */
  send(events: { type: string; data: WebhookEvent['data'] | KycWebhookEvent['data']; afterMs: number }[]): void;
  /** Cancels everything not yet delivered (server shutdown). */
  stop(): void;
}

const MAX_ATTEMPTS = 10;

/** POSTs to this server's own TLS listener on loopback (see `target`); resolves with the status. */
function postToOwnTls(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', headers, rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export function createWebhookSender(settings: WebhookSenderSettings): WebhookSender {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function later(ms: number, run: () => void) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    timers.add(timer);
  }

  async function deliver(event: WebhookEvent | KycWebhookEvent, attempt: number) {
    const base = settings.target();
    const body = JSON.stringify(event);
    let status = 0;
    if (base) {
      try {
        const url = `${base}/webhooks/${settings.provider}`;
        const headers = {
          'content-type': 'application/json',
          signature: signPayload(settings.secrets[0]!, body, Math.floor(Date.now() / 1000)),
        };
        if (url.startsWith('https:')) status = await postToOwnTls(url, headers, body);
        else {
          const res = await fetch(url, { method: 'POST', headers, body });
          status = res.status;
          await res.arrayBuffer();
        }
      } catch {
        status = 0;
      }
    }
    if (status >= 200 && status < 300) return;
    if (attempt >= MAX_ATTEMPTS) {
      settings.log.warn(
        { provider: settings.provider, eventId: event.id, type: event.type, status },
        'sandbox gave up delivering a webhook',
      );
      return;
    }
    // 50 ms, 100 ms, 200 ms … capped at 5 s: a real processor's schedule, compressed.
    later(Math.min(5_000, 50 * 2 ** (attempt - 1)), () => void deliver(event, attempt + 1));
  }

  return {
    send(events) {
      let at = 0;
      const scheduled = events.map((e) => {
        at += e.afterMs;
        const event: WebhookEvent | KycWebhookEvent = {
          id: `evt_${randomBytes(12).toString('hex')}`,
          type: e.type,
          created: Math.floor(Date.now() / 1000),
          data: e.data,
        };
        later(at, () => void deliver(event, 1));
        return event;
      });
      if (settings.chaos) scheduled.reverse().forEach((event, i) => later(at + 10 * (i + 1), () => void deliver(event, 1)));
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
