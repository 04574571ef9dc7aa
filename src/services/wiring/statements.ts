// Statements and spending insights wiring: both read the ledger and keep what a closed month
// produced. `onStatementReady` is where the notifier tells a user their monthly statement is ready
// (written in the statement's own transaction); nothing is told until one is given here.
import type { Config } from '../../config.js';
import { createInsightsService } from '../insights/insights.js';
import { createStatementService, type StatementReadyHook } from '../statements/statements.js';
import type { SharedDeps } from './shared.js';

export const statementSettings = (config: Config) => ({
  maxDays: config.STATEMENT_MAX_DAYS,
  delayMinutes: config.STATEMENT_DELAY_MINUTES,
  catchUpMonths: config.STATEMENT_CATCH_UP_MONTHS,
  linkSeconds: config.STATEMENT_LINK_SECONDS,
  publicOrigin: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
});

export function wireStatements(
  { prisma, sql, log }: SharedDeps,
  settings: ReturnType<typeof statementSettings>,
  needs: { jwtSecret: string; onStatementReady?: StatementReadyHook },
) {
  const statements = createStatementService({
    prisma,
    sql,
    jwtSecret: needs.jwtSecret,
    settings,
    onStatementReady: needs.onStatementReady,
    log,
  });
  const insights = createInsightsService({ sql, delayMinutes: settings.delayMinutes });
  return { statements, insights };
}
