// The hosted payment page: /pay/<code> renders what the payer is asked to pay (server-side HTML,
// no script), with the QR code and a "Pay with wallet" link into the web app (/app/pay/<code>,
// where the payer signs in and pays); /pay/<code>.png and .svg are the QR code itself. Everything shown
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

/** What a closed request's page says: a paid one is a success, not a refusal. */
function closedText(r: PaymentRequestRecord): string {
  const merchant = escapeHtml(r.merchantName);
  switch (r.status) {
    case 'PAID':
      return `<p class="done" data-testid="outcome">Paid. Thank you! ${merchant} has received the payment.</p>`;
    case 'EXPIRED':
      return `<p data-testid="outcome">This payment request has expired. Ask ${merchant} for a new one.</p>`;
    default:
      return `<p data-testid="outcome">${merchant} cancelled this payment request. Ask them for a new one if you still want to pay.</p>`;
  }
}

/** "in 14 minutes (at 12:30 UTC)": the wait is the same in every time zone; the clock time is UTC's. */
function expiresText(at: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.round((at.getTime() - now.getTime()) / 60_000));
  const wait =
    minutes < 90
      ? `${minutes} minute${minutes === 1 ? '' : 's'}`
      : minutes < 48 * 60
        ? `${Math.round(minutes / 60)} hours`
        : `${Math.round(minutes / 1440)} days`;
  const clock = at
    .toISOString()
    .slice(minutes < 24 * 60 ? 11 : 0, 16)
    .replace('T', ' ');
  return `Expires in ${wait} (at ${clock} UTC)`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; padding: 16px; background: #f4f5f7; color: #1d2330; }
  main { max-width: 420px; margin: 24px auto; background: #fff; border-radius: 12px; padding: 24px; box-shadow: 0 2px 12px rgba(0,0,0,.08); text-align: center; overflow-wrap: anywhere; }
  h1 { font-size: 1.3rem; margin: 0 0 4px; }
  .amount { font-size: 2.2rem; font-weight: 700; margin: 16px 0 8px; }
  .amount.entered { font-size: 1.15rem; font-weight: 600; }
  .status { display: inline-block; padding: 4px 10px; border-radius: 999px; background: #e8eefc; color: #1d3a8a; font-size: .85rem; }
  .status.paid { background: #e2f4e8; color: #14532d; }
  .status.closed { background: #eceef1; color: #3b4250; }
  .done { font-size: 1.1rem; font-weight: 600; color: #14532d; }
  .pay { display: block; margin: 20px 0 4px; padding: 14px; border-radius: 10px; background: #1d4ed8; color: #fff; font-weight: 600; text-decoration: none; font-size: 1.05rem; }
  .pay:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  img { width: 220px; height: 220px; max-width: 100%; margin: 16px auto 8px; display: block; }
  .code { font-family: ui-monospace, monospace; letter-spacing: .08em; }
  .hint { color: #4b5563; font-size: .9rem; }
  p { margin: 6px 0; }
  a { color: #1d4ed8; }
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
  const open = r.status === 'OPEN';
  const amount =
    r.amount === null
      ? '<div class="amount entered" data-testid="amount">You choose the amount</div>'
      : `<div class="amount" data-testid="amount">${escapeHtml(`${formatAmount(r.amount, r.currency)} ${r.currency}`)}</div>`;
  const statusClass = open ? '' : r.status === 'PAID' ? ' paid' : ' closed';
  return page(
    `Pay ${r.merchantName}`,
    `<h1 data-testid="merchant">${escapeHtml(r.merchantName)}</h1>
${r.description ? `<p data-testid="description">${escapeHtml(r.description)}</p>` : ''}
${amount}
<span class="status${statusClass}" data-testid="status">${STATUS_TEXT[r.status]}</span>
${
  open
    ? `<a class="pay" href="/app/pay/${r.code}" data-testid="pay-with-wallet">Pay with wallet</a>
<img src="/pay/${r.code}.svg" alt="QR code to pay ${escapeHtml(r.merchantName)}" data-testid="qr">
<p class="hint">Or scan this code with your phone's camera to pay there.</p>
<p class="hint">Code <span class="code" data-testid="code">${r.code}</span></p>
${r.expiresAt ? `<p class="hint" data-testid="expires">${escapeHtml(expiresText(r.expiresAt))}</p>` : ''}
<p class="hint"><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`
    : closedText(r)
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
