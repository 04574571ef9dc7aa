// Builds the per-request GraphQL context: caller, client info, logger and fresh DataLoaders.
import DataLoader from 'dataloader';
import type { GraphQLContext, Loaders } from '../schema/context.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { Authentication } from './authenticate.js';

export function createLoaders(services: Services): Loaders {
  return {
    user: new DataLoader((ids) => services.accounts.getUsers(ids), { maxBatchSize: 500 }),
    wallet: new DataLoader((ids) => services.wallets.getMany(ids), { maxBatchSize: 500 }),
    walletsOfUser: new DataLoader((ids) => services.wallets.listForUsers(ids), { maxBatchSize: 100 }),
  };
}

export function createContext(args: {
  services: Services;
  auth: Authentication;
  requestId: string;
  log: Logger;
  ip: string;
  userAgent?: string;
}): GraphQLContext {
  return {
    requestId: args.requestId,
    log: args.log,
    viewer: args.auth.viewer,
    authProblem: args.auth.problem,
    client: { ip: args.ip, userAgent: args.userAgent },
    services: args.services,
    loaders: createLoaders(args.services),
  };
}
