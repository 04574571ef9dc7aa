// Payment requests as both sides of a checkout see them (the payer's Pay screen, the merchant's
// request screen): their status in words, and where their QR code image is.
import type { PaymentRequestStatus } from '../gql/graphql';

export const REQUEST_STATUS_WORDS: Record<PaymentRequestStatus, string> = {
  OPEN: 'Waiting for payment',
  PAID: 'Paid',
  EXPIRED: 'Expired',
  CANCELLED: 'Cancelled',
};

/**
 * The QR code as an SVG from this server (the page's CSP allows images from this origin only). It
 * encodes the request's URL, PUBLIC_URL's /pay/<code>, so a phone's camera opens the payment page.
 */
export const qrCodePath = (code: string) => `/pay/${encodeURIComponent(code)}.svg`;
