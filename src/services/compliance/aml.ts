// AML cases for the compliance team. Sanctions screening: a name screened at sign-up, KYC or
// payout that hits the sanctions list freezes the user's wallets (WALLET_FROZEN on every movement)
// and opens a SANCTIONS case, until an admin clears it (wallets unfrozen) or confirms it (they stay
// frozen). The transaction-pattern checks (amlMonitor.ts) open their cases here too.
import type { AuditLog } from '../audit/auditLog.js';
import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { failure, reasonProblem, success, type Outcome } from '../errors.js';
import { QUEUE_ORDER, queueWhere, toQueuePage, type Page, type PageRequest } from '../pagination.js';
import type { OutboxPublisher } from '../events/outbox.js';
import { changeWalletStatus } from '../wallets/wallets.js';
import type { SanctionsScreen } from './sanctions.js';
import { isUuid } from '../ids.js';

export type AmlCaseRecord = Prisma.AmlCaseGetPayload<object>;
export type ScreeningPoint = 'SIGN_UP' | 'KYC' | 'PAYOUT';

export interface AmlService {
  /** Screens a person's name; on a hit freezes their wallets, opens a case, and returns true. */
  screen(userId: string, name: string, at: ScreeningPoint): Promise<boolean>;
  list(filter: { status?: 'OPEN' | 'CLEARED' | 'CONFIRMED' | null }, page: PageRequest): Promise<Page<AmlCaseRecord>>;
  get(caseId: string): Promise<AmlCaseRecord | null>;
  transactionIds(caseId: string): Promise<string[]>;
  decide(adminId: string, input: { caseId: string; decision: 'CLEAR' | 'CONFIRM'; reason: string }): Promise<Outcome<AmlCaseRecord>>;
}

export function createAmlService(deps: {
  prisma: PrismaClient;
  audit: AuditLog;
  outbox: OutboxPublisher;
  sanctions: SanctionsScreen;
  log: Logger;
}): AmlService {
  const { prisma, log } = deps;
  return {
    async screen(userId, name, at) {
      const hit = deps.sanctions.screen(name);
      if (!hit) return false;
      const frozen = await prisma.$transaction(async (tx) => {
        const frozen = await changeWalletStatus(tx, { userId, status: 'ACTIVE' }, 'FROZEN');
        // One open case per user and kind: a second hit while one is open adds nothing new to decide.
        await tx.$executeRaw`
          INSERT INTO aml_cases (user_id, kind, details)
          VALUES (${userId}::uuid, 'SANCTIONS', ${JSON.stringify({ screenedName: name, matchedEntry: hit.entry, score: Math.round(hit.score * 1000) / 1000, screenedAt: at })}::jsonb)
          ON CONFLICT (user_id, kind) WHERE status = 'OPEN' DO NOTHING`;
        return frozen;
      });
      await deps.outbox.publishCommitted(frozen.events);
      // The names stay out of the log: the case holds them.
      log.warn({ userId, at }, 'sanctions screening hit: wallets frozen, AML case opened');
      return true;
    },

    async list({ status }, page) {
      const rows = await prisma.amlCase.findMany({
        where: { ...(status ? { status } : {}), ...queueWhere(page) },
        orderBy: QUEUE_ORDER,
        take: page.limit + 1,
      });
      return toQueuePage(rows, page);
    },

    get: (caseId) => (isUuid(caseId) ? prisma.amlCase.findUnique({ where: { id: caseId } }) : Promise.resolve(null)),

    async transactionIds(caseId) {
      return (await prisma.amlCaseTransaction.findMany({ where: { caseId }, select: { transactionId: true } })).map((r) => r.transactionId);
    },

    async decide(adminId, { caseId, decision, reason }) {
      const why = reason.trim();
      const refused = reasonProblem(why);
      if (refused) return { ok: false, errors: [refused] };
      if (!isUuid(caseId)) return failure('NOT_FOUND', 'No AML case has that id.', 'caseId');
      const decided = await prisma.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM aml_cases WHERE id = ${caseId}::uuid FOR UPDATE`;
        if (!locked) return { outcome: failure('NOT_FOUND', 'No AML case has that id.', 'caseId'), events: [] };
        const c = await tx.amlCase.findUniqueOrThrow({ where: { id: caseId } });
        if (c.status !== 'OPEN')
          return { outcome: failure('INVALID_INPUT', `This case was already ${c.status.toLowerCase()}.`, 'caseId'), events: [] };
        const decided = await tx.amlCase.update({
          where: { id: caseId },
          data: {
            status: decision === 'CLEAR' ? 'CLEARED' : 'CONFIRMED',
            decidedBy: adminId,
            reason: why,
            decidedAt: new Date(),
            updatedAt: new Date(),
          },
        });
        await deps.audit.append(tx, [
          { kind: 'aml.case_decided', actorId: adminId, subjectId: c.userId, details: { caseId, kind: c.kind, decision } },
        ]);
        // Cleared: the wallets the hit froze are unfrozen, unless another sanctions case is still open.
        const stillOpen = await tx.amlCase.count({ where: { userId: c.userId, kind: 'SANCTIONS', status: 'OPEN' } });
        const unfrozen =
          decision === 'CLEAR' && c.kind === 'SANCTIONS' && stillOpen === 0
            ? await changeWalletStatus(tx, { userId: c.userId, status: 'FROZEN' }, 'ACTIVE')
            : { events: [] };
        return { outcome: success(decided), events: unfrozen.events };
      });
      await deps.outbox.publishCommitted(decided.events);
      return decided.outcome;
    },
  };
}
