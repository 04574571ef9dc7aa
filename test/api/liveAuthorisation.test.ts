// Whatever authorised a WebSocket connection also ends it: a sign-out, a revoked session, a
// password change, a reused refresh token, a change of the user's roles, an expired access token
// and a frozen wallet each end the running subscriptions at once (close codes 4401 / 4403, or the
// subscription's FORBIDDEN error), on this process and on every other one sharing the database
// and Redis. Access tokens are bound to their session's user, and roles are read from the user.
import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { graphql } from '../gql/index.js';
import { decodeId, encodeId } from '../helpers/globalIds.js';
import { credit, signInAdmin, signUpUser, type TestUser } from '../helpers/people.js';
import { usingPostgres, usingRedis } from '../helpers/testDatabase.js';
import { STRONG_PASSWORD, startTestServer, TEST_JWT_SECRET, testEnv, type TestServer } from '../helpers/testServer.js';
import { connectWs, type TestWsClient } from '../helpers/wsClient.js';

const ADMIN = { email: 'live.admin@example.com', password: 'Live-Admin-2026!' };
const WAIT_MS = 5_000;

const LaSignIn = graphql(`
  mutation LaSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken refreshToken } userErrors { code } } }
`);
const LaSignOut = graphql(`mutation LaSignOut { signOut(input: { allSessions: false }) { revokedSessionCount } }`);
const LaRevoke = graphql(`mutation LaRevoke($input: RevokeSessionInput!) { revokeSession(input: $input) { userErrors { code } } }`);
const LaChangePassword = graphql(`
  mutation LaChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessionCount userErrors { code } } }
`);
const LaRefresh = graphql(`
  mutation LaRefresh($input: RefreshSessionInput!) { refreshSession(input: $input) { tokens { accessToken } userErrors { code } } }
`);
const LaSetRoles = graphql(`
  mutation LaSetRoles($input: AdminSetUserRolesInput!) { adminSetUserRoles(input: $input) { user { roles } userErrors { code message } } }
`);
const LaSetWalletStatus = graphql(`
  mutation LaSetWalletStatus($input: AdminSetWalletStatusInput!) { adminSetWalletStatus(input: $input) { wallet { status } userErrors { code } } }
`);
const LaUsers = graphql(`query LaUsers { users(first: 1) { edges { node { id } } } }`);
const LaMe = graphql(`query LaMe { me { id } }`);
const LaCurrentSession = graphql(`query LaCurrentSession { me { sessions(first: 20) { edges { node { id current } } } } }`);
const LaWalletUpdated = graphql(`
  subscription LaWalletUpdated($walletId: ID!, $after: BigInt) {
    walletUpdated(walletId: $walletId, afterSequence: $after) { sequence balanceAfter { amount } }
  }
`);

let t: TestServer;
let adminToken: string;

beforeAll(async () => {
  t = await startTestServer({ BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  adminToken = await signInAdmin(t, ADMIN);
});
afterAll(async () => t?.stop());

/** Another session of the same user. */
async function signIn(server: { query: TestServer['query'] }, user: TestUser) {
  const { signIn } = await server.query(LaSignIn, { input: { email: user.email, password: STRONG_PASSWORD } });
  expect(signIn.userErrors).toEqual([]);
  return signIn.tokens!;
}

/** A connection with a live walletUpdated subscription on the user's wallet (proved by a credit arriving). */
async function watching(wsUrl: string, user: TestUser, token = user.token) {
  const ws = connectWs(wsUrl, `Bearer ${token}`);
  await ws.connected;
  // From the start of the wallet's feed: the credit's event arrives even if the subscription is
  // set up after the credit commits (on a loaded machine it can be).
  const sub = ws.subscribe(LaWalletUpdated, { walletId: user.walletId, after: '0' });
  await credit(t, adminToken, user.walletId, '1.00');
  await sub.next((d) => d.walletUpdated.balanceAfter.amount !== '0.00', WAIT_MS);
  return { ws, sub };
}

const closedWithin = (ws: TestWsClient, ms = WAIT_MS) =>
  Promise.race([ws.closed, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);

describe('ending what a session authorised', () => {
  it("sign-out closes the session's sockets with 4401", async () => {
    const user = await signUpUser(t);
    const { ws } = await watching(t.wsUrl, user);
    await t.query(LaSignOut, {}, { token: user.token });
    expect(await closedWithin(ws)).toEqual({ code: 4401, reason: 'Session ended: sign in again' });
  });

  it("revoking a session from another device closes that session's sockets only", async () => {
    const user = await signUpUser(t);
    const other = await signIn(t, user);
    const revoked = await watching(t.wsUrl, user, other.accessToken);
    const kept = await watching(t.wsUrl, user);
    const sessions = (await t.query(LaCurrentSession, {}, { token: other.accessToken })).me.sessions.edges;
    const sessionId = sessions.find((e) => e.node.current)!.node.id;
    const { revokeSession } = await t.query(LaRevoke, { input: { sessionId } }, { token: user.token });
    expect(revokeSession.userErrors).toEqual([]);
    expect(await closedWithin(revoked.ws)).toEqual({ code: 4401, reason: 'Session ended: sign in again' });
    expect(await closedWithin(kept.ws, 300)).toBe('still open');
    await kept.ws.dispose();
  });

  it("a password change closes the other sessions' sockets", async () => {
    // A password change needs a recent second factor: the email's code gives one.
    const user = await signUpUser(t, { steppedUp: true });
    const other = await signIn(t, user);
    const { ws } = await watching(t.wsUrl, user, other.accessToken);
    const { changePassword } = await t.query(
      LaChangePassword,
      { input: { currentPassword: STRONG_PASSWORD, newPassword: 'another-Strong-pass-77' } },
      { token: user.token },
    );
    expect(changePassword.revokedSessionCount).toBe(1);
    expect(((await closedWithin(ws)) as { code: number }).code).toBe(4401);
  });

  it('a reused refresh token ends the session and closes its sockets', async () => {
    const user = await signUpUser(t);
    const session = await signIn(t, user);
    const { ws } = await watching(t.wsUrl, user, session.accessToken);
    expect((await t.query(LaRefresh, { input: { refreshToken: session.refreshToken } })).refreshSession.userErrors).toEqual([]);
    // The same refresh token again: it was copied, so the whole session is revoked.
    expect((await t.query(LaRefresh, { input: { refreshToken: session.refreshToken } })).refreshSession.userErrors[0]?.code).toBe(
      'INVALID_REFRESH_TOKEN',
    );
    expect(((await closedWithin(ws)) as { code: number }).code).toBe(4401);
  });

  it('freezing a wallet ends its live updates with FORBIDDEN (WALLET_FROZEN) and refuses new ones', async () => {
    const user = await signUpUser(t);
    const { ws, sub } = await watching(t.wsUrl, user);
    const { adminSetWalletStatus } = await t.query(
      LaSetWalletStatus,
      { input: { walletId: user.walletId, status: 'FROZEN' } },
      { token: adminToken },
    );
    expect(adminSetWalletStatus.wallet?.status).toBe('FROZEN');
    const [error] = await sub.errors(WAIT_MS);
    expect(error).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'WALLET_FROZEN' } });
    expect(error!.message).toContain('frozen');
    // Refused when it starts (an execution result with the error, as for any refused subscription).
    const again = ws.subscribe(LaWalletUpdated, { walletId: user.walletId });
    await vi.waitFor(
      () => expect(again.results[0]?.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'WALLET_FROZEN' } }),
      {
        timeout: WAIT_MS,
      },
    );
    // The connection itself stays: the session is still good.
    expect(await closedWithin(ws, 200)).toBe('still open');
    await ws.dispose();
  });
});

describe('tokens bound to their session, roles read from the user', () => {
  it('a token whose session belongs to another user is refused', async () => {
    const alice = await signUpUser(t);
    const bob = await signUpUser(t);
    const aliceSession = decodeId((await t.query(LaCurrentSession, {}, { token: alice.token })).me.sessions.edges[0]!.node.id, 'Session');
    // Signed with the server's own key: only the pairing of subject and session is wrong.
    const forged = await new SignJWT({ sid: aliceSession, roles: ['USER', 'ADMIN'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(bob.userId)
      .setIssuer('wallet-server')
      .setAudience('wallet-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(createSecretKey(Buffer.from(TEST_JWT_SECRET, 'utf8')));
    const answer = await t.request(LaMe, {}, { token: forged });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const ws = connectWs(t.wsUrl, `Bearer ${forged}`);
    expect((await ws.closed).code).toBe(4403);
  });

  it('removing a role takes effect on the next request with the same token, and closes its sockets', async () => {
    const deputy = await signUpUser(t, { label: 'deputy' });
    const deputyId = encodeId('User', deputy.userId);
    const granted = await t.query(LaSetRoles, { input: { userId: deputyId, roles: ['ADMIN'] } }, { token: adminToken });
    expect(granted.adminSetUserRoles.user?.roles).toEqual(['USER', 'ADMIN']);
    // Granted at once, with the token issued before (it names USER only).
    expect((await t.request(LaUsers, {}, { token: deputy.token })).body.errors).toBeUndefined();
    const ws = connectWs(t.wsUrl, `Bearer ${deputy.token}`);
    await ws.connected;

    const removed = await t.query(LaSetRoles, { input: { userId: deputyId, roles: [] } }, { token: adminToken });
    expect(removed.adminSetUserRoles.user?.roles).toEqual(['USER']);
    const refused = await t.request(LaUsers, {}, { token: deputy.token });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await closedWithin(ws)).toEqual({ code: 4403, reason: 'Your roles changed: reconnect' });
  });

  it('an admin cannot remove their own ADMIN role, and only admins set roles', async () => {
    const me = (await t.query(LaMe, {}, { token: adminToken })).me.id;
    const own = await t.query(LaSetRoles, { input: { userId: me, roles: [] } }, { token: adminToken });
    expect(own.adminSetUserRoles.userErrors[0]?.code).toBe('INVALID_INPUT');
    const user = await signUpUser(t);
    const byUser = await t.request(
      LaSetRoles,
      { input: { userId: encodeId('User', user.userId), roles: ['ADMIN'] } },
      { token: user.token },
    );
    expect(byUser.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('an access token that expires on an open socket', () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: '5' });
  });
  afterAll(async () => short?.stop());

  it('closes the socket with 4403 when the token expires, so the client reconnects with a fresh one', async () => {
    const user = await signUpUser(short);
    const ws = connectWs(short.wsUrl, `Bearer ${user.token}`);
    await ws.connected;
    const started = Date.now();
    expect(await closedWithin(ws, 10_000)).toEqual({ code: 4403, reason: 'Access token expired: reconnect with a fresh token' });
    expect(Date.now() - started).toBeLessThan(6_500);
  });
});

describe.runIf(usingPostgres && usingRedis)('on every process', () => {
  let second: RunningServer;
  beforeAll(async () => {
    // A second server process on the same database and Redis (same key prefix).
    const config = loadConfig(testEnv({ ...t.db.env, REDIS_PREFIX: t.config.REDIS_PREFIX, MIGRATE_ON_START: 'false' }));
    second = await startServer(config, createLogger({ level: config.LOG_LEVEL }));
  });
  afterAll(async () => second?.stop());

  it("a sign-out on one process closes the session's sockets on another at once", async () => {
    const user = await signUpUser(t);
    const { ws } = await watching(`ws://127.0.0.1:${second.port}/graphql`, user);
    await t.query(LaSignOut, {}, { token: user.token });
    expect(await closedWithin(ws)).toEqual({ code: 4401, reason: 'Session ended: sign in again' });
  });

  it('a role removed on one process is refused on another on the next request', async () => {
    const deputy = await signUpUser(t, { label: 'deputy2' });
    const deputyId = encodeId('User', deputy.userId);
    await t.query(LaSetRoles, { input: { userId: deputyId, roles: ['ADMIN'] } }, { token: adminToken });
    const onSecond = async () =>
      (await fetch(`http://127.0.0.1:${second.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deputy.token}` },
        body: JSON.stringify({ query: '{ users(first: 1) { edges { node { id } } } }' }),
      }).then((r) => r.json())) as { errors?: { extensions: { code: string } }[] };
    expect((await onSecond()).errors).toBeUndefined(); // cached there now
    await t.query(LaSetRoles, { input: { userId: deputyId, roles: [] } }, { token: adminToken });
    let code: string | undefined;
    for (let i = 0; i < 50 && code !== 'FORBIDDEN'; i++) {
      code = (await onSecond()).errors?.[0]?.extensions.code;
      if (code !== 'FORBIDDEN') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(code).toBe('FORBIDDEN');
  });
});
