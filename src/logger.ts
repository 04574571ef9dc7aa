// Structured JSON logs. Secrets are redacted by path so that no code path can log them by
// accident: passwords, tokens, API keys and webhook secrets, authorization headers, card and
// account numbers.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'webhookSecret',
  'secretHash',
  'authorization',
  'cookie',
  'number',
  'cardNumber',
  'pan',
  'cvc',
  'cvv',
  'accountNumber',
  'iban',
  'routingNumber',
];

/** Redaction paths: each secret key at the top level and up to four levels deep. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
  `*.*.*.*.${key}`,
  `req.headers["${key}"]`,
]).concat(['req.headers["x-api-key"]', 'connectionParams.authorization']);

export function createLogger(options: { level: string; name?: string; destination?: DestinationStream }): Logger {
  const settings = {
    name: options.name ?? 'wallet',
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
