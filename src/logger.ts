// Structured JSON logs (readable lines on a terminal, through pino-pretty). Secrets are redacted
// by path so that no code path can log them by accident: passwords, tokens, API keys and webhook
// secrets, authorization headers, card and account numbers.
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

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
  'mfaCode',
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

/** Whether logs should be readable lines: LOG_FORMAT, or for `auto` whether stdout is a terminal. */
export const prettyLogs = (format: 'auto' | 'json' | 'pretty', stdoutIsTty = Boolean(process.stdout.isTTY)) =>
  format === 'pretty' || (format === 'auto' && stdoutIsTty);

export function createLogger(options: { level: string; name?: string; destination?: DestinationStream; pretty?: boolean }): Logger {
  const settings = {
    name: options.name ?? 'wallet',
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  // Redaction happens before either format is written.
  const destination = options.pretty
    ? pretty({
        colorize: !options.destination,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name',
        ...(options.destination ? { destination: options.destination, sync: true } : {}),
      })
    : options.destination;
  return destination ? pino(settings, destination) : pino(settings);
}
