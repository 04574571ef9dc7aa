// Accounts and sessions end to end, over real HTTP against a started server.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { startTestServer, STRONG_PASSWORD, TEST_JWT_SECRET, uniqueEmail, type TestServer } from '../helpers/testServer.js';

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user { id email displayName phone roles createdAt }
      tokens { tokenType accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }
      userErrors { field code message }
    }
  }
`);

const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      user { id email }
      tokens { accessToken refreshToken }
      userErrors { field code message }
    }
  }
`);

const Refresh = graphql(`
  mutation Refresh($input: RefreshSessionInput!) {
    refreshSession(input: $input) {
      user { id email }
      tokens { accessToken refreshToken }
      userErrors { field code message }
    }
  }
`);

const SignOut = graphql(`
  mutation SignOut($input: SignOutInput) {
    signOut(input: $input) { revokedSessionCount userErrors { code } }
  }
`);

const Me = graphql(`
  query Me {
    me { id email displayName phone roles createdAt }
  }
`);

const MeWallets = graphql(`
  query MeWallets {
    me { id wallets { currency } }
  }
`);

const MySessions = graphql(`
  query MySessions($first: Int, $after: String, $last: Int, $before: String, $includeRevoked: Boolean) {
    me {
      sessions(first: $first, after: $after, last: $last, before: $before, includeRevoked: $includeRevoked) {
        edges { cursor node { id current revokedAt userAgent } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`);

const UpdateProfile = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { user { displayName phone } userErrors { field code message } }
  }
`);

const RevokeSession = graphql(`
  mutation RevokeSession($input: RevokeSessionInput!) {
    revokeSession(input: $input) { session { id revokedAt } userErrors { field code } }
  }
`);

const NodeQuery = graphql(`
  query NodeById($id: ID!) {
    node(id: $id) { id __typename ... on User { email } }
  }
`);

const Users = graphql(`
  query Users($first: Int) {
    users(first: $first) { edges { node { email roles } } }
  }
`);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: 'Root@Example.com',
    BOOTSTRAP_ADMIN_PASSWORD: 'admin-Password-2026!',
  });
});
afterAll(async () => t?.stop());

async function signUp(overrides: Partial<{ email: string; password: string; displayName: string; phone: string | null }> = {}) {
  const input = { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'Test User', ...overrides };
  const data = await t.query(SignUp, { input });
  return { input, payload: data.signUp };
}

describe('sign up, sign in, me', () => {
  it('creates an account, signs in and reads it back', async () => {
    const email = uniqueEmail('Alice').replace('alice', 'Alice');
    const { payload } = await signUp({ email: `  ${email.toUpperCase()} `, phone: '+44 20 7946 0958', displayName: '  Alice   Liddell ' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.user).toMatchObject({
      email: email.toLowerCase(),
      displayName: 'Alice Liddell',
      phone: '+442079460958',
      roles: ['USER'],
    });
    expect(payload.tokens?.tokenType).toBe('Bearer');
    expect(payload.tokens?.refreshToken).toMatch(/^rt_/);

    const signIn = (await t.query(SignIn, { input: { email: email.toUpperCase(), password: STRONG_PASSWORD } })).signIn;
    expect(signIn.userErrors).toEqual([]);
    expect(signIn.user?.id).toBe(payload.user?.id);

    const me = await t.query(Me, {}, { token: signIn.tokens!.accessToken });
    expect(me.me).toMatchObject({ id: payload.user!.id, email: email.toLowerCase(), displayName: 'Alice Liddell' });
    expect(new Date(me.me.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  // me { wallets } is the hottest read: the session vouches for the user, so the user's row is
  // read only when a profile field is asked for (one query instead of two).
  it('reads the user row for me only when a profile field is asked for', async () => {
    const { payload } = await signUp();
    const token = payload.tokens!.accessToken;
    const accounts = t.server.services.accounts;
    const getUsers = accounts.getUsers;
    const loaded: (readonly string[])[] = [];
    accounts.getUsers = (ids) => {
      loaded.push(ids);
      return getUsers(ids);
    };
    try {
      const wallets = await t.query(MeWallets, {}, { token });
      expect(wallets.me).toEqual({ id: payload.user!.id, wallets: [{ currency: 'USD' }] });
      expect(loaded).toEqual([]);
      const me = await t.query(Me, {}, { token });
      expect(me.me).toMatchObject({ id: payload.user!.id, email: payload.user!.email, roles: ['USER'] });
      // Every profile field from one load of the row.
      expect(loaded).toHaveLength(1);
    } finally {
      accounts.getUsers = getUsers;
    }
  });

  it('refuses a duplicate email in another case, and a duplicate phone', async () => {
    const { input } = await signUp({ phone: '+14155552671' });
    const again = await signUp({ email: input.email.toUpperCase() });
    expect(again.payload.user).toBeNull();
    expect(again.payload.tokens).toBeNull();
    expect(again.payload.userErrors).toEqual([{ field: ['input', 'email'], code: 'EMAIL_TAKEN', message: expect.any(String) }]);
    const phone = await signUp({ phone: '+1 (415) 555-2671' });
    expect(phone.payload.userErrors).toEqual([{ field: ['input', 'phone'], code: 'PHONE_TAKEN', message: expect.any(String) }]);
  });

  it.each([
    ['too short', 'Abc-12'],
    ['common', 'password123'],
    ['too few characters', 'aaaaaaaaaaaaaaaa'],
  ])('refuses a weak password (%s) and creates nothing', async (_label, password) => {
    const email = uniqueEmail();
    const { payload } = await signUp({ email, password });
    expect(payload.user).toBeNull();
    expect(payload.userErrors).toEqual([
      { field: ['input', 'password'], code: 'WEAK_PASSWORD', message: expect.stringMatching(/password/) },
    ]);
    const signIn = await t.query(SignIn, { input: { email, password } });
    expect(signIn.signIn.userErrors[0]?.code).toBe('INVALID_CREDENTIALS');
  });

  it('names each bad field', async () => {
    const { payload } = await signUp({ email: 'not-an-email', phone: '555', displayName: ' ' });
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'email'], 'INVALID_EMAIL'],
      [['input', 'displayName'], 'INVALID_INPUT'],
      [['input', 'phone'], 'INVALID_PHONE'],
    ]);
    const long = await signUp({ displayName: 'x'.repeat(81) });
    expect(long.payload.userErrors[0]).toMatchObject({ field: ['input', 'displayName'], code: 'INVALID_INPUT' });
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const { input } = await signUp();
    const wrong = await t.request(SignIn, { input: { email: input.email, password: 'wrong-Password-123' } });
    const unknown = await t.request(SignIn, { input: { email: uniqueEmail('nobody'), password: 'wrong-Password-123' } });
    expect(wrong.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.data?.signIn).toEqual({
      user: null,
      tokens: null,
      userErrors: [{ field: null, code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect.' }],
    });
  });
});

describe('access tokens', () => {
  it('rejects a missing, tampered or expired token with UNAUTHENTICATED', async () => {
    const { payload } = await signUp();
    const token = payload.tokens!.accessToken;
    const [header, body, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const tamperedBody = Buffer.from(JSON.stringify({ ...claims, roles: ['USER', 'ADMIN'] })).toString('base64url');
    const expired = await new SignJWT({ sid: claims.sid, roles: ['USER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer('wallet-server')
      .setAudience('wallet-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const forged = await new SignJWT({ sid: claims.sid, roles: ['USER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer('wallet-server')
      .setAudience('wallet-api')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));

    for (const bad of [undefined, `${header}.${tamperedBody}.${signature}`, expired, forged, 'garbage']) {
      const res = await t.request(Me, {}, { token: bad });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await t.query(Me, {}, { token })).me.id).toBe(payload.user!.id);
  });
});

describe('refresh tokens', () => {
  it('rotates on every use, and a reused token revokes the whole family', async () => {
    const { payload } = await signUp();
    const first = payload.tokens!;
    const second = (await t.query(Refresh, { input: { refreshToken: first.refreshToken } })).refreshSession;
    expect(second.userErrors).toEqual([]);
    expect(second.user?.id).toBe(payload.user!.id);
    expect(second.tokens!.refreshToken).not.toBe(first.refreshToken);
    const third = (await t.query(Refresh, { input: { refreshToken: second.tokens!.refreshToken } })).refreshSession;
    expect(third.tokens).not.toBeNull();

    // An attacker replays the first token: refused, and the family is revoked.
    const replay = (await t.query(Refresh, { input: { refreshToken: first.refreshToken } })).refreshSession;
    expect(replay.tokens).toBeNull();
    expect(replay.userErrors[0]?.code).toBe('INVALID_REFRESH_TOKEN');

    // The newest refresh token of the family no longer works, nor do its access tokens.
    const after = (await t.query(Refresh, { input: { refreshToken: third.tokens!.refreshToken } })).refreshSession;
    expect(after.userErrors[0]?.code).toBe('INVALID_REFRESH_TOKEN');
    const me = await t.request(Me, {}, { token: third.tokens!.accessToken });
    expect(me.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets exactly one of two concurrent uses of the same token win, then revokes', async () => {
    const { payload } = await signUp();
    const results = await Promise.all([1, 2, 3].map(() => t.query(Refresh, { input: { refreshToken: payload.tokens!.refreshToken } })));
    const winners = results.filter((r) => r.refreshSession.tokens);
    expect(winners.length).toBeLessThanOrEqual(1);
    // Whatever won, a second use was seen, so the family is revoked.
    for (const w of winners) {
      const again = await t.query(Refresh, { input: { refreshToken: w.refreshSession.tokens!.refreshToken } });
      expect(again.refreshSession.userErrors[0]?.code).toBe('INVALID_REFRESH_TOKEN');
    }
  });

  it('refuses garbage without a stack trace', async () => {
    for (const refreshToken of ['', 'rt_nope', 'x'.repeat(5000)]) {
      const res = await t.query(Refresh, { input: { refreshToken } });
      expect(res.refreshSession.userErrors[0]?.code).toBe('INVALID_REFRESH_TOKEN');
    }
  });
});

describe('sessions and sign-out', () => {
  it('lists sessions newest first with bounded keyset pages, and signs out one or all', async () => {
    const { input, payload } = await signUp();
    const tokens = [payload.tokens!];
    for (let i = 0; i < 4; i++) {
      tokens.push((await t.query(SignIn, { input: { email: input.email, password: input.password } })).signIn.tokens! as never);
    }
    const latest = tokens.at(-1)!.accessToken;
    const page1 = (await t.query(MySessions, { first: 2 }, { token: latest })).me.sessions;
    expect(page1.edges).toHaveLength(2);
    expect(page1.edges[0]!.node.current).toBe(true);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = (await t.query(MySessions, { first: 2, after: page1.pageInfo.endCursor }, { token: latest })).me.sessions;
    const page3 = (await t.query(MySessions, { first: 2, after: page2.pageInfo.endCursor }, { token: latest })).me.sessions;
    expect(page3.edges).toHaveLength(1);
    expect(page3.pageInfo.hasNextPage).toBe(false);
    const ids = [...page1.edges, ...page2.edges, ...page3.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(5);
    const back = (await t.query(MySessions, { last: 2, before: page3.pageInfo.startCursor }, { token: latest })).me.sessions;
    expect(back.edges.map((e) => e.node.id)).toEqual(page2.edges.map((e) => e.node.id));
    expect(back.pageInfo.hasPreviousPage).toBe(true);

    for (const [args, argument] of [
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ last: 500 }, 'last'],
      [{ first: 1, after: 'bogus' }, 'after'],
    ] as const) {
      const res = await t.request(MySessions, args, { token: latest });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }

    // Revoke another session by id, then sign out this one, then everything.
    const other = page1.edges[1]!.node.id;
    const revoked = (await t.query(RevokeSession, { input: { sessionId: other } }, { token: latest })).revokeSession;
    expect(revoked.session?.revokedAt).toBeTruthy();
    expect((await t.request(Me, {}, { token: tokens[3]!.accessToken })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const out = (await t.query(SignOut, {}, { token: latest })).signOut;
    expect(out.revokedSessionCount).toBe(1);
    expect((await t.request(Me, {}, { token: latest })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const all = (await t.query(SignOut, { input: { allSessions: true } }, { token: tokens[0]!.accessToken })).signOut;
    expect(all.revokedSessionCount).toBe(3);
    for (const tk of tokens) {
      expect((await t.request(Me, {}, { token: tk.accessToken })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const r = await t.query(Refresh, { input: { refreshToken: tk.refreshToken } });
      expect(r.refreshSession.userErrors[0]?.code).toBe('INVALID_REFRESH_TOKEN');
    }
  });
});

describe('profile', () => {
  it('updates, normalises, and refuses bad values without changing anything', async () => {
    const { payload } = await signUp();
    const token = payload.tokens!.accessToken;
    const ok = (await t.query(UpdateProfile, { input: { displayName: 'New Name', phone: '+33 1 23 45 67 89' } }, { token })).updateProfile;
    expect(ok).toEqual({ user: { displayName: 'New Name', phone: '+33123456789' }, userErrors: [] });
    const bad = (await t.query(UpdateProfile, { input: { displayName: '', phone: 'call me' } }, { token })).updateProfile;
    expect(bad.user).toBeNull();
    expect(bad.userErrors.map((e) => e.code)).toEqual(['INVALID_INPUT', 'INVALID_PHONE']);
    expect((await t.query(Me, {}, { token })).me).toMatchObject({ displayName: 'New Name', phone: '+33123456789' });
  });
});

describe('authorisation', () => {
  it('shows a user only themself through node(id); admins see everyone', async () => {
    const a = (await signUp()).payload;
    const b = (await signUp()).payload;
    const own = await t.query(NodeQuery, { id: a.user!.id }, { token: a.tokens!.accessToken });
    expect(own.node).toMatchObject({ id: a.user!.id, email: a.user!.email });
    const other = await t.request(NodeQuery, { id: b.user!.id }, { token: a.tokens!.accessToken });
    expect(other.body.data?.node).toBeNull();
    expect(JSON.stringify(other.body)).not.toContain(b.user!.email);

    const badId = await t.request(NodeQuery, { id: 'not-an-id' }, { token: a.tokens!.accessToken });
    expect(badId.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const users = await t.request(Users, { first: 5 }, { token: a.tokens!.accessToken });
    expect(users.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const admin = (await t.query(SignIn, { input: { email: 'root@example.com', password: 'admin-Password-2026!' } })).signIn;
    expect(admin.userErrors).toEqual([]);
    const list = await t.query(Users, { first: 100 }, { token: admin.tokens!.accessToken });
    const emails = list.users.edges.map((e) => e.node.email);
    expect(emails).toContain(b.user!.email);
    expect(list.users.edges.find((e) => e.node.email === 'root@example.com')?.node.roles).toEqual(['USER', 'ADMIN']);
    const seen = await t.query(NodeQuery, { id: b.user!.id }, { token: admin.tokens!.accessToken });
    expect(seen.node).toMatchObject({ email: b.user!.email });
  });
});
