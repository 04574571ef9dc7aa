// A server logger whose lines a test can read (e.g. to check that nothing was logged at error
// level, which is where internal errors go). At TEST_LOG_LEVEL (default warn); when
// TEST_LOG_LEVEL is set the lines are also echoed to stderr, as the default logger would show them.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export interface LogLine {
  level: string;
  msg?: string;
  [key: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  lines: LogLine[];
  /** Lines at error or fatal level. */
  errors(): LogLine[];
}

export function captureLog(name?: string, level = process.env.TEST_LOG_LEVEL ?? 'warn'): CapturedLog {
  const lines: LogLine[] = [];
  const echo = Boolean(process.env.TEST_LOG_LEVEL);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = chunk.toString();
      if (echo) process.stderr.write(text);
      for (const line of text.split('\n').filter(Boolean)) {
        try {
          lines.push(JSON.parse(line) as LogLine);
        } catch {
          lines.push({ level: 'unparsed', msg: line });
        }
      }
      done();
    },
  });
  const logger = createLogger({ level, name, destination: sink });
  return { logger, lines, errors: () => lines.filter((l) => l.level === 'error' || l.level === 'fatal') };
}
