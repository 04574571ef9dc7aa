// The reconcile job: operations whose webhook never came are settled from the processor's answer
// (or submitted again if the processor never saw them), then the processors' settlement reports
// for a day are compared with what we recorded.
import { isUuid } from '../ids.js';
import type { WebhookEvent } from '../gateways/gateways.js';
import type { FundingContext } from './fundingContext.js';
import type { Mismatch, Provider, ReconcileReport, WebhookOutcome } from './fundingModel.js';

export function createFundingReconciliation(
  ctx: FundingContext,
  /** Applies a processor's answer as the webhook event it stands for (processorEvents.ts). */
  handleWebhook: (provider: Provider, event: WebhookEvent) => Promise<WebhookOutcome>,
) {
  const { prisma } = ctx;

  /**
   * The processors' settlement reports for `day` against our operations: money they moved that we
   * do not know or did not post, amounts that differ, and money we posted that they never moved.
   * (A movement settled within seconds of midnight can show on the two days around it.)
   */
  async function compareSettlements(day: string): Promise<Mismatch[]> {
    const mismatches: Mismatch[] = [];
    for (const provider of ['card', 'bank'] as const) {
      const lines = await (provider === 'card' ? ctx.cards : ctx.banks).settlementReport(day);
      const ids = lines.map((l) => l.reference).filter((r) => isUuid(r));
      const ops = new Map((await prisma.fundingOperation.findMany({ where: { id: { in: ids } } })).map((o) => [o.id, o]));
      for (const line of lines) {
        const op = ops.get(line.reference);
        const money = `${line.amount} ${line.currency} (minor units)`;
        const add = (problem: Mismatch['problem'], detail: string) =>
          mismatches.push({ provider, reference: line.reference, problem, detail });
        if (!op) add('UNKNOWN_TO_LEDGER', `The processor moved ${money} under a reference no operation of ours has.`);
        else if (op.amount !== line.amount || op.currency !== line.currency)
          add('AMOUNT_DIFFERS', `The processor moved ${money}; we recorded ${op.amount} ${op.currency}.`);
        else if (op.status === 'PENDING') add('NOT_YET_POSTED', `The processor moved ${money}; the operation is still pending here.`);
        else if (op.status === 'FAILED') add('LEDGER_SAYS_FAILED', `The processor moved ${money}; the operation failed here.`);
      }
      const reported = new Set(lines.map((l) => l.reference));
      const posted = await prisma.$queryRaw<{ id: string; amount: bigint; currency: string }[]>`
        SELECT f.id::text, f.amount, f.currency FROM funding_operations f JOIN ledger_transactions t ON t.id = f.transaction_id
        WHERE f.provider = ${provider} AND t.created_at >= ${day}::date AND t.created_at < ${day}::date + 1`;
      for (const p of posted) {
        if (!reported.has(p.id)) {
          mismatches.push({
            provider,
            reference: p.id,
            problem: 'NOT_SETTLED_BY_PROCESSOR',
            detail: `We posted ${p.amount} ${p.currency} (minor units) that the processor's report for ${day} does not show.`,
          });
        }
      }
    }
    return mismatches;
  }

  /**
   * Asks the processors about operations pending longer than `olderThanSeconds` and settles what
   * they know, then compares their settlement reports for `day` (default today, UTC) with ours.
   */
  async function reconcile({
    olderThanSeconds,
    day = new Date().toISOString().slice(0, 10),
  }: {
    olderThanSeconds: number;
    day?: string;
  }): Promise<ReconcileReport> {
    const pending = await prisma.fundingOperation.findMany({
      where: { status: 'PENDING', createdAt: { lt: new Date(Date.now() - olderThanSeconds * 1000) } },
      include: { paymentMethod: { select: { vaultToken: true } } },
      orderBy: { createdAt: 'asc' },
      take: 500,
    });
    const report: ReconcileReport = { day, mismatches: [], checked: pending.length, resolved: [], resubmitted: [], stillPending: [] };
    for (const op of pending) {
      const provider = op.provider as Provider;
      const gateway = ctx.gatewayOf(op);
      const known = await gateway.lookup(op.id);
      if (!known) {
        await ctx.submit(op, op.paymentMethod.vaultToken);
        report.resubmitted.push(op.id);
      } else if (known.state === 'pending') {
        report.stillPending.push(op.id);
      } else {
        // Applied exactly like the webhook that never came (a fixed event id, so twice is once).
        await handleWebhook(provider, {
          id: `reconcile:${op.id}:${known.state}`,
          type: `${gateway.events}.${known.state}`,
          created: Math.floor(Date.now() / 1000),
          data: { reference: op.id, providerRef: known.providerRef, amount: known.amount.toString(), currency: known.currency },
        });
        report.resolved.push({ id: op.id, state: known.state });
      }
    }
    report.mismatches = await compareSettlements(day);
    return report;
  }

  return { reconcile };
}
