// The workload's users: signed up through the API, funded by the bootstrap admin's balance
// adjustment (as test/helpers/people.ts does), each holding its own access token. A token is
// renewed when the server says it is no longer good (UNAUTHENTICATED) or shortly before it
// expires: through refreshSession, and by signing in again when the refresh cannot be used — a
// refresh token works once, and under faults its answer may be lost, in which case the server
// has already rotated it.
import { randomBytes, randomUUID } from 'node:crypto';
import { ADJUST, mustPost, post, REFRESH, SIGN_IN, SIGN_UP, sleep, usd, uuidOf } from './api.js';

export const PASSWORD = 'chaos-Wallet-password-2026';

interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

export class Person {
  private tokens: Tokens;
  private renewing: Promise<void> | null = null;
  renewals = 0;

  constructor(
    private readonly url: string,
    readonly index: number,
    readonly email: string,
    readonly userId: string,
    /** The global id of the user's USD wallet. */
    readonly walletId: string,
    tokens: Tokens,
  ) {
    this.tokens = tokens;
    this.setTokens(tokens);
  }

  /** The wallet's uuid, for SQL. */
  get walletUuid(): string {
    return uuidOf(this.walletId);
  }

  /** The current access token (renewed first in the last quarter of its life, at most a minute before it expires). */
  async token(): Promise<string> {
    if (Date.parse(this.tokens.accessTokenExpiresAt) - Date.now() < this.renewBeforeMs) await this.renew();
    return this.tokens.accessToken;
  }

  private renewBeforeMs = 60_000;

  private setTokens(tokens: Tokens): void {
    this.tokens = tokens;
    this.renewBeforeMs = Math.min(60_000, Math.max(0, Date.parse(tokens.accessTokenExpiresAt) - Date.now()) / 4);
  }

  /** The current token as it is, without waiting (for request bodies already being retried). */
  get currentToken(): string {
    return this.tokens.accessToken;
  }

  /** New tokens; concurrent callers share one renewal. */
  renew(): Promise<void> {
    this.renewing ??= this.doRenew().finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async doRenew(): Promise<void> {
    this.renewals += 1;
    const refreshed = await post(this.url, REFRESH, { input: { refreshToken: this.tokens.refreshToken } }, { timeoutMs: 15_000 });
    const fresh = refreshed.ok ? (refreshed.data.refreshSession as { tokens: Tokens | null }).tokens : null;
    if (fresh) {
      this.setTokens(fresh);
      return;
    }
    // Sign in again (a new session), retrying while the server is unavailable.
    for (let attempt = 0; ; attempt++) {
      const answer = await post(this.url, SIGN_IN, { input: { email: this.email, password: PASSWORD } }, { timeoutMs: 15_000 });
      const tokens = answer.ok ? (answer.data.signIn as { tokens: Tokens | null }).tokens : null;
      if (tokens) {
        this.setTokens(tokens);
        return;
      }
      if (attempt >= 60)
        throw new Error(`cannot renew the token of ${this.email}: ${answer.ok ? JSON.stringify(answer.data) : answer.code}`);
      await sleep(500);
    }
  }
}

/** Signs `count` users up, in parallel batches. */
export async function signUpPeople(url: string, count: number): Promise<Person[]> {
  const tag = randomBytes(3).toString('hex');
  const one = async (i: number): Promise<Person> => {
    const email = `chaos.${tag}.${i + 1}@example.com`;
    const { signUp } = await mustPost<{
      signUp: {
        user: { id: string; wallets: { id: string; currency: string }[] } | null;
        tokens: Tokens | null;
        userErrors: { code: string }[];
      };
    }>(url, SIGN_UP, { input: { email, password: PASSWORD, displayName: `Chaos Customer ${i + 1}` } });
    if (!signUp.user || !signUp.tokens) throw new Error(`signUp of ${email} refused: ${JSON.stringify(signUp.userErrors)}`);
    const wallet = signUp.user.wallets.find((w) => w.currency === 'USD');
    if (!wallet) throw new Error(`${email} has no USD wallet`);
    return new Person(url, i, email, uuidOf(signUp.user.id), wallet.id, signUp.tokens);
  };
  const people: Person[] = [];
  for (let from = 0; from < count; from += 4) {
    people.push(...(await Promise.all(Array.from({ length: Math.min(4, count - from) }, (_, k) => one(from + k)))));
  }
  return people;
}

/** The admin's access token. */
export async function signInAdmin(url: string, admin: { email: string; password: string }): Promise<string> {
  const { signIn } = await mustPost<{ signIn: { tokens: Tokens | null; userErrors: unknown[] } }>(url, SIGN_IN, { input: admin });
  if (!signIn.tokens) throw new Error(`the bootstrap admin cannot sign in: ${JSON.stringify(signIn.userErrors)}`);
  return signIn.tokens.accessToken;
}

/** Credits each person's wallet with `cents` through adminAdjustBalance (one key each, retried with it). */
export async function fund(url: string, adminToken: string, people: Person[], cents: number): Promise<void> {
  await Promise.all(
    people.map(async (p) => {
      const input = {
        walletId: p.walletId,
        amount: { amount: usd(cents), currency: 'USD' },
        direction: 'CREDIT',
        reason: 'chaos suite funding',
        idempotencyKey: randomUUID(),
      };
      for (let attempt = 0; ; attempt++) {
        const answer = await post(url, ADJUST, { input }, { token: adminToken, timeoutMs: 15_000 });
        if (answer.ok) {
          const { userErrors } = answer.data.adminAdjustBalance as { userErrors: { code: string; message: string }[] };
          if (userErrors.length) throw new Error(`funding ${p.email} refused: ${JSON.stringify(userErrors)}`);
          return;
        }
        if (attempt >= 20) throw new Error(`funding ${p.email} failed: ${answer.code} ${answer.message}`);
        await sleep(250);
      }
    }),
  );
}
