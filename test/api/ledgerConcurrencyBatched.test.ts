// The same concurrency suite with group commit forced wide open: a 5 ms window, up to 500
// transfers per posting call and 4 calls in flight, so concurrent requests really share calls
// (the suite asserts every guarantee per transfer, whoever its neighbours were).
import { expect, it } from 'vitest';
import { ledgerConcurrencySuite } from '../helpers/ledgerConcurrencySuite.js';

ledgerConcurrencySuite({ LEDGER_BATCH_WINDOW_MS: '5', LEDGER_BATCH_MAX: '500', LEDGER_BATCH_IN_FLIGHT: '4' }, { expectSharedCalls: true });

it('the settings above are accepted (a typo would silently test the default)', async () => {
  const { loadConfig } = await import('../../src/config.js');
  const config = loadConfig({ LEDGER_BATCH_WINDOW_MS: '5', LEDGER_BATCH_MAX: '500', LEDGER_BATCH_IN_FLIGHT: '4' });
  expect([config.LEDGER_BATCH_WINDOW_MS, config.LEDGER_BATCH_MAX, config.LEDGER_BATCH_IN_FLIGHT]).toEqual([5, 500, 4]);
});
