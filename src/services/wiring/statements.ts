// Statements and spending insights wiring: both read the ledger and keep what a closed month
// produced. `onStatementReady` tells the holder their monthly statement is ready: the notification
// is written in the statement's own transaction and published once it commits.
import type { Config } from '../../config.js';
import type { OutboxPublisher } from '../events/outbox.js';
import { createInsightsService } from '../insights/insights.js';
import { writeNotices } from '../notifications/inbox.js';
import { createStatementService, type StatementReadyHook } from '../statements/statements.js';
import type { SharedWithOutbox } from './shared.js';

export const statementSettings = (config: Config) => ({
  maxDays: config.STATEMENT_MAX_DAYS,
  delayMinutes: config.STATEMENT_DELAY_MINUTES,
  catchUpMonths: config.STATEMENT_CATCH_UP_MONTHS,
  linkSeconds: config.STATEMENT_LINK_SECONDS,
  publicOrigin: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
});

/** The "statement ready" notification, in the statement's transaction; published after it commits. */
export function statementReadyNotice(outbox: Pick<OutboxPublisher, 'publishCommitted'>): StatementReadyHook {
  return async (tx, statement) => {
    if (!statement.id || !statement.period.month) return;
    const events = await writeNotices(tx, [
      {
        userId: statement.userId,
        kind: 'STATEMENT_READY',
        data: { statementId: statement.id, walletId: statement.walletId, month: statement.period.month },
      },
    ]);
    return () => outbox.publishCommitted(events);
  };
}

export function wireStatements(
  { prisma, sql, outbox, log }: SharedWithOutbox,
  settings: ReturnType<typeof statementSettings>,
  needs: { jwtSecret: string },
) {
  const statements = createStatementService({
    prisma,
    sql,
    jwtSecret: needs.jwtSecret,
    settings,
    onStatementReady: statementReadyNotice(outbox),
    log,
  });
  const insights = createInsightsService({ sql, delayMinutes: settings.delayMinutes });
  return { statements, insights };
}
