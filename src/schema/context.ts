// What every resolver receives. Built per HTTP request or per WebSocket operation by src/server.
import type DataLoader from 'dataloader';
import type { Logger } from '../logger.js';
import type { UserRecord } from '../services/accounts/accounts.js';
import type { Role } from '../services/auth/accessTokens.js';
import type { ClientInfo } from '../services/auth/sessions.js';
import type { KycCaseRecord } from '../services/compliance/kyc.js';
import type { KycIdentity } from '../services/compliance/kycIdentity.js';
import type { Services } from '../services/index.js';
import type { ApiKeyPrincipal } from '../services/partners/apiKeys.js';
import type { WalletRecord } from '../services/wallets/wallets.js';

/** The signed-in caller, from a verified access token of a live session. */
export interface Viewer {
  userId: string;
  sessionId: string;
  roles: Role[];
  /** Access-token expiry, seconds since the epoch (long WebSocket connections re-check it). */
  tokenExpiresAt: number;
}

export interface Loaders {
  user: DataLoader<string, UserRecord | null>;
  /** Wallets by id, unscoped: only load ids the viewer was already allowed to see. */
  wallet: DataLoader<string, WalletRecord | null>;
  walletsOfUser: DataLoader<string, WalletRecord[]>;
  /** Per wallet id, what its owner owes in its currency (minor units). */
  amountOwed: DataLoader<string, bigint>;
  /** A KYC case's identity, opened from the vault (one query for every case the operation shows). */
  kycIdentity: DataLoader<KycCaseRecord, KycIdentity>;
}

export interface GraphQLContext {
  requestId: string;
  log: Logger;
  viewer: Viewer | null;
  /** A partner's request, authenticated by a merchant's API key (viewer is then null). */
  apiKey: ApiKeyPrincipal | null;
  /** Why a credential that was sent was not accepted (shown in UNAUTHENTICATED errors). */
  authProblem?: string;
  client: ClientInfo;
  services: Services;
  loaders: Loaders;
}
