// GraphQL over HTTP as a frontend sends it, and what the suite makes of each answer: data, or a
// failure labelled by what a client could see — a GraphQL error code (with the HTTP status when
// it is not 200), an HTTP status without a GraphQL body, a network error's code, or TIMEOUT when
// nothing came back in time. The operations the suite sends are here too, in one place.

export const SIGN_UP = `mutation ChaosSignUp($input: SignUpInput!) {
  signUp(input: $input) {
    user { id wallets { id currency } }
    tokens { accessToken accessTokenExpiresAt refreshToken }
    userErrors { code message }
  }
}`;

export const SIGN_IN = `mutation ChaosSignIn($input: SignInInput!) {
  signIn(input: $input) { tokens { accessToken accessTokenExpiresAt refreshToken } userErrors { code message } }
}`;

export const REFRESH = `mutation ChaosRefresh($input: RefreshSessionInput!) {
  refreshSession(input: $input) { tokens { accessToken accessTokenExpiresAt refreshToken } userErrors { code message } }
}`;

export const ADJUST = `mutation ChaosAdjust($input: AdminAdjustBalanceInput!) {
  adminAdjustBalance(input: $input) { transaction { id } userErrors { code message } }
}`;

export const SEND_MONEY = `mutation ChaosSendMoney($input: SendMoneyInput!) {
  sendMoney(input: $input) {
    transfer { id status }
    userErrors { code message }
  }
}`;

export const READ_BALANCES = `query ChaosBalances {
  me { wallets { balance { available { amount } posted { amount } } } }
}`;

export const WALLET_UPDATED = `subscription ChaosWalletUpdated($walletId: ID!, $afterSequence: BigInt) {
  walletUpdated(walletId: $walletId, afterSequence: $afterSequence) {
    sequence
    transaction { id }
  }
}`;

export interface Success {
  ok: true;
  status: number;
  data: Record<string, unknown>;
  ms: number;
}

export interface Failure {
  ok: false;
  /** e.g. "SERVICE_UNAVAILABLE" (HTTP 200), "HTTP 503 SERVICE_UNAVAILABLE", "HTTP 502", "ECONNREFUSED", "TIMEOUT". */
  code: string;
  /** The GraphQL extensions.code, when the answer had one. */
  graphqlCode?: string;
  /** HTTP status; null when there was no answer. */
  status: number | null;
  retryAfterSeconds?: number;
  message: string;
  ms: number;
}

export type Answer = Success | Failure;

/** The network error's code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, …) from a fetch rejection. */
function networkCode(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string; cause?: { code?: string } } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TIMEOUT';
  return e.cause?.code ?? e.cause?.cause?.code ?? e.code ?? e.cause?.name ?? e.name ?? 'NETWORK_ERROR';
}

/** POSTs one operation; never throws. */
export async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  options: { token?: string; timeoutMs: number },
): Promise<Answer> {
  const started = Date.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    return { ok: false, code: networkCode(err), status: null, message: (err as Error).message, ms: Date.now() - started };
  }
  const ms = Date.now() - started;
  let body: { data?: Record<string, unknown> | null; errors?: { message?: string; extensions?: Record<string, unknown> }[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headerRetry = Number(res.headers.get('retry-after'));
  const first = body?.errors?.[0];
  if (first) {
    const graphqlCode = typeof first.extensions?.code === 'string' ? first.extensions.code : 'NO_CODE';
    const hint = Number(first.extensions?.retryAfterSeconds);
    return {
      ok: false,
      code: res.status === 200 ? graphqlCode : `HTTP ${res.status} ${graphqlCode}`,
      graphqlCode,
      status: res.status,
      retryAfterSeconds:
        Number.isFinite(hint) && hint > 0 ? hint : Number.isFinite(headerRetry) && headerRetry > 0 ? headerRetry : undefined,
      message: String(first.message ?? ''),
      ms,
    };
  }
  if (res.status !== 200 || !body?.data) {
    return {
      ok: false,
      code: `HTTP ${res.status}`,
      status: res.status,
      retryAfterSeconds: Number.isFinite(headerRetry) && headerRetry > 0 ? headerRetry : undefined,
      message: text.slice(0, 200),
      ms,
    };
  }
  return { ok: true, status: res.status, data: body.data, ms };
}

/** Like post, but throws on anything but data (setup steps, where nothing is being injected). */
export async function mustPost<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const answer = await post(url, query, variables, { token, timeoutMs: 30_000 });
  if (!answer.ok) throw new Error(`${query.match(/(mutation|query) (\w+)/)?.[2] ?? 'request'} failed: ${answer.code} ${answer.message}`);
  return answer.data as T;
}

/** The uuid inside one of the API's global ids (base64 of "Type:uuid"). */
export function uuidOf(globalId: string): string {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** Cents as the API's decimal string ("12.05"). */
export function usd(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
