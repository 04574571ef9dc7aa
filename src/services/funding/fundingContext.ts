// What the parts of the funding service share: their dependencies, the processor call behind an
// operation, and telling the user that an operation changed.
import type { PrismaClient } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { PubSub } from '../events/pubsub.js';
import { topics, type FundingChanged } from '../events/topics.js';
import { GatewayTimeoutError, type BankGateway, type CardGateway } from '../gateways/gateways.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Currencies } from '../money/currencies.js';
import type { FeeRule } from '../money/fees.js';
import type { PaymentMethodService } from '../paymentMethods/paymentMethods.js';
import type { FundingRecord, Provider } from './fundingModel.js';

export interface FundingDeps {
  prisma: PrismaClient;
  ledger: Ledger;
  /** Sanctions screening of the payee's name before a payout; true on a hit (wallets now frozen). */
  screenName: (userId: string, name: string) => Promise<boolean>;
  currencies: Currencies;
  paymentMethods: PaymentMethodService;
  cards: CardGateway;
  banks: BankGateway;
  pubsub: PubSub;
  log: Logger;
  fees: Record<Provider, FeeRule>;
  gatewayTimeoutMs: number;
}

export type FundingContext = ReturnType<typeof createFundingContext>;

export function createFundingContext(deps: FundingDeps) {
  const { prisma, log } = deps;

  /** The processor call for an operation, its lookup, and the prefix of its webhook events. */
  function gatewayOf(op: Pick<FundingRecord, 'id' | 'provider' | 'kind' | 'amount' | 'currency' | 'refundOfId'>) {
    const movement = { amount: op.amount, currency: op.currency, reference: op.id };
    if (op.provider === 'card') {
      return op.kind === 'DEPOSIT'
        ? { request: (vaultToken: string) => deps.cards.charge({ ...movement, vaultToken }), lookup: deps.cards.lookup, events: 'charge' }
        : {
            request: () => deps.cards.refund({ ...movement, chargeReference: op.refundOfId! }),
            lookup: deps.cards.lookup,
            events: 'refund',
          };
    }
    return op.kind === 'DEPOSIT'
      ? { request: (vaultToken: string) => deps.banks.debit({ ...movement, vaultToken }), lookup: deps.banks.lookup, events: 'debit' }
      : { request: (vaultToken: string) => deps.banks.credit({ ...movement, vaultToken }), lookup: deps.banks.lookup, events: 'credit' };
  }

  /** Asks the processor for the money; on no answer the deposit stays PENDING for reconciliation. */
  async function submit(op: FundingRecord, vaultToken: string) {
    const gateway = gatewayOf(op);
    let timer: NodeJS.Timeout | undefined;
    try {
      const { providerRef } = await Promise.race([
        gateway.request(vaultToken),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new GatewayTimeoutError(`No answer from the ${op.provider} processor within ${deps.gatewayTimeoutMs} ms.`)),
            deps.gatewayTimeoutMs,
          );
        }),
      ]);
      await prisma.fundingOperation.updateMany({ where: { id: op.id, providerRef: null }, data: { providerRef, updatedAt: new Date() } });
    } catch (err) {
      log.warn(
        { fundingId: op.id, err: (err as Error).message },
        'processor did not take the operation yet; it stays pending for reconciliation',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tells the user the operation changed (its money events are published by the ledger). */
  function notify(op: Pick<FundingRecord, 'id' | 'userId' | 'status'>) {
    deps.pubsub
      .publish(topics.funding(op.userId), { fundingId: op.id, status: op.status } satisfies FundingChanged)
      .catch((err) => log.warn({ err: (err as Error).message }, 'publishing a funding update failed'));
  }

  return { ...deps, gatewayOf, submit, notify };
}
