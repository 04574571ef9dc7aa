// Every scenario by name, in the order a full run measures them (pgbench first, so each later
// transfer figure has its reference).
import type { ScenarioName } from '../options.js';
import { deepHistory } from './deepHistory.js';
import { hotWalletIn, hotWalletOut } from './hotWallet.js';
import { p2pUniform } from './p2pUniform.js';
import { pgbench } from './pgbench.js';
import { reads } from './reads.js';
import { statement } from './statement.js';
import { subscriptions } from './subscriptions.js';
import type { HttpScenario, Scenario } from './types.js';

export const scenarios: Record<ScenarioName, Scenario<unknown>> = {
  pgbench: pgbench,
  'p2p-uniform': p2pUniform,
  'hot-wallet-in': hotWalletIn,
  'hot-wallet-out': hotWalletOut,
  reads: reads,
  'deep-history': deepHistory,
  statement: statement,
  subscriptions: subscriptions,
};

const httpScenarios: Record<string, HttpScenario<unknown>> = {
  'p2p-uniform': p2pUniform,
  'hot-wallet-in': hotWalletIn,
  'hot-wallet-out': hotWalletOut,
  reads: reads,
  'deep-history': deepHistory,
};

/** The HTTP scenario of that name (the load process builds its requests). */
export function httpScenario(name: string): HttpScenario<unknown> {
  const scenario = httpScenarios[name];
  if (!scenario) throw new Error(`no HTTP scenario named "${name}"`);
  return scenario;
}
