// The hosted payment page: /pay/<code> renders what the payer is asked to pay (server-side HTML,
// no script), with the QR code; /pay/<code>.png and .svg are the QR code itself. Everything shown
// is escaped; the page's Content-Security-Policy allows nothing but its own images and styles.
import type { ServerResponse } from 'node:http';
import type { Services } from '../services/index.js';
import type { PaymentRequestRecord } from '../services/merchants/paymentRequests.js';
import { qrPng, qrSvg } from '../services/merchants/qrCodes.js';
import { formatAmount } from '../services/money/money.js';

export const PAY_PATH = /^\/pay\/([A-Za-z0-9]{1,64})(\.png|\.svg)?$/;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STATUS_TEXT: Record<PaymentRequestRecord['status'], string> = {
  OPEN: 'Waiting for payment',
  PAID: 'Paid',
  EXPIRED: 'Expired',
  CANCELLED: 'Cancelled',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 420px; margin: 40px auto; background: #fff; border-radius: 12px; padding: 28px; box-shadow: 0 2px 12px rgba(0,0,0,.08); text-align: center; }
  h1 { font-size: 1.3rem; margin: 0 0 4px; }
  .amount { font-size: 2.2rem; font-weight: 700; margin: 16px 0 4px; }
  .status { display: inline-block; padding: 4px 10px; border-radius: 999px; background: #e8eefc; font-size: .85rem; }
  .status.closed { background: #f3e3e3; }
  img { width: 240px; height: 240px; margin: 20px auto 8px; display: block; }
  .code { font-family: ui-monospace, monospace; letter-spacing: .08em; }
  p { margin: 6px 0; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function renderRequest(r: PaymentRequestRecord, url: string): string {
  const amount = r.amount === null ? 'Amount entered by you' : `${formatAmount(r.amount, r.currency)} ${r.currency}`;
  const open = r.status === 'OPEN';
  return page(
    `Pay ${r.merchantName}`,
    `<h1 data-testid="merchant">${escapeHtml(r.merchantName)}</h1>
${r.description ? `<p data-testid="description">${escapeHtml(r.description)}</p>` : ''}
<div class="amount" data-testid="amount">${escapeHtml(amount)}</div>
<span class="status${open ? '' : ' closed'}" data-testid="status">${STATUS_TEXT[r.status]}</span>
${
  open
    ? `<img src="/pay/${r.code}.svg" alt="QR code to pay ${escapeHtml(r.merchantName)}" data-testid="qr">
<p>Scan with your wallet app, or open this page on your phone.</p>
<p>Code <span class="code" data-testid="code">${r.code}</span></p>
${r.expiresAt ? `<p data-testid="expires">Expires ${escapeHtml(r.expiresAt.toISOString().replace('T', ' ').slice(0, 16))} UTC</p>` : ''}
<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`
    : '<p>This payment request cannot be paid.</p>'
}`,
  );
}

const HEADERS = {
  'content-security-policy':
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Serves GET /pay/<code>[.png|.svg]. */
export async function servePayPage(services: Services, res: ServerResponse, code: string, format: string | undefined): Promise<void> {
  const request = await services.paymentRequests.byCode(code);
  if (!request) {
    res.writeHead(404, { ...HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      page('Payment request not found', '<h1>Payment request not found</h1><p>Check the link, or ask the merchant for a new one.</p>'),
    );
    return;
  }
  const url = services.paymentRequests.urlOf(request.code);
  if (format === '.png') {
    const png = await qrPng(url);
    res.writeHead(200, { ...HEADERS, 'content-type': 'image/png', 'cache-control': 'public, max-age=86400', 'content-length': png.length });
    res.end(png);
  } else if (format === '.svg') {
    const svg = await qrSvg(url);
    res.writeHead(200, { ...HEADERS, 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
    res.end(svg);
  } else {
    // The status changes (paid, expired): never cached.
    res.writeHead(200, { ...HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(renderRequest(request, url));
  }
}
