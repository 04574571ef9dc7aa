// Partners wiring: API keys (a merchant's machine access) and the trusted documents registered at
// start, and the request rate limits per signed-in user and per API key (decided in process, each
// process holding its share: processShares.ts).
import type { Config } from '../../config.js';
import type { MerchantService } from '../merchants/merchants.js';
import { createApiKeyService } from '../partners/apiKeys.js';
import { createTrustedDocumentService } from '../partners/trustedDocuments.js';
import { createProcessShares } from '../ratelimit/processShares.js';
import { createTokenBucket } from '../ratelimit/tokenBucket.js';
import type { SharedWithOutbox } from './shared.js';

export const partnerSettings = (config: Config) => ({
  documentsDir: config.PARTNER_DOCUMENTS_DIR,
  defaultClient: config.DEFAULT_PARTNER_CLIENT,
  redisPrefix: config.REDIS_PREFIX,
  rateLimitUser: config.RATE_LIMIT_USER,
  rateLimitApiKey: config.RATE_LIMIT_API_KEY,
});

export async function wirePartners(
  { prisma, pubsub, redis, outbox, audit, log, metrics }: SharedWithOutbox,
  settings: ReturnType<typeof partnerSettings>,
  needs: { merchants: MerchantService },
) {
  const trustedDocuments = createTrustedDocumentService({ prisma, log });
  await trustedDocuments.registerDirectory(settings.documentsDir);
  const apiKeys = createApiKeyService({
    prisma,
    audit,
    merchants: needs.merchants,
    pubsub,
    outbox,
    defaultClient: settings.defaultClient,
    log,
  });
  const shares = createProcessShares(redis, `${settings.redisPrefix}rate-processes`, log);
  const rateLimits = {
    user: createTokenBucket(settings.rateLimitUser, shares, () => metrics.rateLimited('user')),
    apiKey: createTokenBucket(settings.rateLimitApiKey, shares, () => metrics.rateLimited('api_key')),
    shares,
  };
  return { trustedDocuments, apiKeys, rateLimits };
}
