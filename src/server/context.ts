// Builds the per-request GraphQL context: caller, client info, logger and fresh DataLoaders.
import DataLoader from 'dataloader';
import type { GraphQLContext, Loaders } from '../schema/context.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { Authentication } from './authenticate.js';

/** The request's DataLoaders, each made on first use: most operations need one of them or none. */
export function createLoaders(services: Services): Loaders {
  let user: Loaders['user'] | undefined;
  let wallet: Loaders['wallet'] | undefined;
  let walletsOfUser: Loaders['walletsOfUser'] | undefined;
  let amountOwed: Loaders['amountOwed'] | undefined;
  let kycIdentity: Loaders['kycIdentity'] | undefined;
  return {
    get user() {
      user ??= new DataLoader((ids) => services.accounts.getUsers(ids), { maxBatchSize: 500 });
      return user;
    },
    get wallet() {
      wallet ??= new DataLoader((ids) => services.wallets.getMany(ids), { maxBatchSize: 500 });
      return wallet;
    },
    get walletsOfUser() {
      walletsOfUser ??= new DataLoader((ids) => services.wallets.listForUsers(ids), { maxBatchSize: 100 });
      return walletsOfUser;
    },
    get amountOwed() {
      amountOwed ??= new DataLoader((ids) => services.debts.amountOwed(ids), { maxBatchSize: 500 });
      return amountOwed;
    },
    get kycIdentity() {
      kycIdentity ??= new DataLoader((cases) => services.kyc.identities(cases), { maxBatchSize: 200, cacheKeyFn: (c) => c.id });
      return kycIdentity;
    },
  };
}

/** A device id as sent (X-Device-Id header or the deviceId connection parameter): 1–128 visible ASCII characters, else none. */
export function deviceIdOf(value: unknown): string | null {
  return typeof value === 'string' && /^[\x21-\x7e]{1,128}$/.test(value) ? value : null;
}

export function createContext(args: {
  services: Services;
  auth: Authentication;
  requestId: string;
  log: Logger;
  ip: string;
  userAgent?: string;
  deviceId?: string | null;
}): GraphQLContext {
  return {
    requestId: args.requestId,
    log: args.log,
    viewer: args.auth.viewer,
    apiKey: args.auth.apiKey ?? null,
    authProblem: args.auth.problem,
    client: { ip: args.ip, userAgent: args.userAgent, deviceId: args.deviceId ?? null },
    services: args.services,
    loaders: createLoaders(args.services),
  };
}
