// Money wiring: the supported currencies (from the database) and the default one checked among them.
import type { Config } from '../../config.js';
import { loadCurrencies, type Currencies } from '../money/currencies.js';
import type { SharedDeps } from './shared.js';

export const moneySettings = (config: Config) => ({
  defaultCurrency: config.DEFAULT_CURRENCY,
  maxTransferAmount: config.MAX_TRANSFER_AMOUNT,
  maxTransferAmounts: config.MAX_TRANSFER_AMOUNTS,
});

export async function wireMoney({ prisma }: SharedDeps, settings: ReturnType<typeof moneySettings>): Promise<{ currencies: Currencies }> {
  const currencies = await loadCurrencies(prisma, { defaultMax: settings.maxTransferAmount, overrides: settings.maxTransferAmounts });
  if (!currencies.get(settings.defaultCurrency)) {
    throw new Error(
      `DEFAULT_CURRENCY ${settings.defaultCurrency} is not a supported currency (${currencies
        .list()
        .map((c) => c.code)
        .join(', ')}).`,
    );
  }
  return { currencies };
}
