// Payments wiring: sendMoney (transfers), cards and bank accounts (payment methods), and funding
// (top-ups and withdrawals through the processors).
import type { Config } from '../../config.js';
import type { AmlService } from '../compliance/aml.js';
import type { LimitsService } from '../compliance/limits.js';
import { createFundingService } from '../funding/funding.js';
import type { BankGateway, CardGateway } from '../gateways/gateways.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Currencies } from '../money/currencies.js';
import { createPaymentMethodService } from '../paymentMethods/paymentMethods.js';
import type { RiskEngine } from '../risk/riskEngine.js';
import { createTransferService } from '../transfers/transfers.js';
import type { Vault } from '../vault/vault.js';
import type { Phones } from '../accounts/phones.js';
import type { SealedValues } from '../vault/sealedValues.js';
import type { SharedWithOutbox } from './shared.js';

export const paymentSettings = (config: Config) => ({
  fees: { card: config.CARD_DEPOSIT_FEE, bank: config.BANK_DEPOSIT_FEE },
  gatewayTimeoutMs: config.GATEWAY_TIMEOUT_MS,
});

export function wirePayments(
  { prisma, pubsub, audit, log }: SharedWithOutbox,
  settings: ReturnType<typeof paymentSettings>,
  needs: {
    ledger: Ledger;
    currencies: Currencies;
    risk: RiskEngine;
    limits: LimitsService;
    aml: AmlService;
    vault: Vault;
    cards: CardGateway;
    banks: BankGateway;
    phones: Phones;
    sealed: SealedValues;
  },
) {
  const { currencies, vault, cards, banks } = needs;
  const transfers = createTransferService({
    ledger: needs.ledger,
    currencies,
    risk: needs.risk,
    limits: needs.limits,
    audit,
    phones: needs.phones,
    sealed: needs.sealed,
  });
  const paymentMethods = createPaymentMethodService({
    prisma,
    vault: { store: vault.store, fingerprint: vault.fingerprint, discard: vault.discard },
    cards,
    banks,
    log,
  });
  const funding = createFundingService({
    prisma,
    ledger: needs.ledger,
    screenName: (userId, name) => needs.aml.screen(userId, name, 'PAYOUT'),
    currencies,
    paymentMethods,
    cards,
    banks,
    pubsub,
    log,
    fees: settings.fees,
    gatewayTimeoutMs: settings.gatewayTimeoutMs,
  });
  return { transfers, paymentMethods, funding };
}
