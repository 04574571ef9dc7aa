// GraphQL over WebSocket (graphql-ws) against the running server: a connection needs a valid,
// live session (else close 4403); `meUpdated` delivers each user their own profile changes and
// nobody else's; operations meet the same limits as over HTTP; every operation re-checks the
// session, so signing out stops new operations on an open socket; and subscriptions that end,
// one by one or with their socket, release their pub/sub listeners.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { startTestServer, STRONG_PASSWORD, uniqueEmail, type TestServer } from '../helpers/testServer.js';
import { connectWs, type TestSubscription, type TestWsClient } from '../helpers/wsClient.js';

const SignUp = graphql(`
  mutation WsSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user { id }
      tokens { accessToken }
      userErrors { code }
    }
  }
`);

const UpdateProfile = graphql(`
  mutation WsUpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { user { displayName } userErrors { code } }
  }
`);

const SignOut = graphql(`
  mutation WsSignOut {
    signOut { revokedSessionCount }
  }
`);

const MeUpdated = graphql(`
  subscription WsMeUpdated {
    meUpdated { id displayName }
  }
`);

const Me = graphql(`
  query WsMe {
    me { id }
  }
`);

// 14 levels of fields: over the default MAX_QUERY_DEPTH of 12 (introspection is not exempt).
// 16 deep: one more than the standard introspection query (src/server/operationLimits.ts).
const TooDeep = graphql(`
  query WsTooDeep {
    __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } } }
  }
`);

// 16 aliases: over the default MAX_QUERY_ALIASES of 15 (aliases of __typename are not counted).
const TooManyAliases = graphql(`
  query WsTooManyAliases {
    a1: __schema { queryType { name } } a2: __schema { queryType { name } } a3: __schema { queryType { name } }
    a4: __schema { queryType { name } } a5: __schema { queryType { name } } a6: __schema { queryType { name } }
    a7: __schema { queryType { name } } a8: __schema { queryType { name } } a9: __schema { queryType { name } }
    a10: __schema { queryType { name } } a11: __schema { queryType { name } } a12: __schema { queryType { name } }
    a13: __schema { queryType { name } } a14: __schema { queryType { name } } a15: __schema { queryType { name } }
    a16: __schema { queryType { name } }
  }
`);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

// Every client a test opens is closed after it, whatever the outcome.
const open: TestWsClient[] = [];
function connect(authorization?: string): TestWsClient {
  const client = connectWs(t.wsUrl, authorization);
  open.push(client);
  return client;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
});

async function signUp(displayName = 'Socket User') {
  const { signUp } = await t.query(SignUp, { input: { email: uniqueEmail('ws'), password: STRONG_PASSWORD, displayName } });
  expect(signUp.userErrors).toEqual([]);
  return { id: signUp.user!.id, token: signUp.tokens!.accessToken };
}

async function rename(token: string, displayName: string) {
  const { updateProfile } = await t.query(UpdateProfile, { input: { displayName } }, { token });
  expect(updateProfile.user?.displayName).toBe(displayName);
}

type MeUpdatedData = { meUpdated: { id: string; displayName: string } };

/**
 * graphql-ws does not acknowledge a subscription, so a test cannot know when the server has
 * started listening. Rename the user until the subscriber sees the latest name: from then on
 * the subscription is live, and nothing older can still arrive (events come in order).
 */
async function untilLive(sub: TestSubscription<MeUpdatedData>, token: string, label: string) {
  for (let attempt = 1; attempt <= 40; attempt++) {
    const name = `${label} warm-up ${attempt}`;
    await rename(token, name);
    try {
      await sub.next((d) => d.meUpdated.displayName === name, 250);
      return;
    } catch (err) {
      if (!(err as Error).message.startsWith('Timed out')) throw err;
    }
  }
  throw new Error(`the ${label} subscription never received an update`);
}

/** Polls `read` until `accept` holds, failing after a bound. */
async function eventually<T>(read: () => T, accept: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('connecting', () => {
  it('closes a connection with no token, a garbage token or a signed-out session with 4403', async () => {
    const user = await signUp();
    const signedOut = await signUp();
    await t.query(SignOut, {}, { token: signedOut.token });

    for (const authorization of [undefined, 'Bearer garbage', 'garbage', `Bearer ${user.token}x`, `Bearer ${signedOut.token}`]) {
      const client = connect(authorization);
      await expect(client.connected, String(authorization)).rejects.toThrow(/4403/);
      expect((await client.closed).code).toBe(4403);
      expect(client.connections()).toBe(0);
    }

    // The same token that was refused above, but valid: accepted, both bare and as "Bearer …".
    for (const authorization of [`Bearer ${user.token}`, user.token]) {
      const client = connect(authorization);
      await client.connected;
      const result = await client.subscribe(Me).next();
      expect(result.me.id).toBe(user.id);
    }
  });
});

describe('meUpdated', () => {
  it("delivers each user's profile changes to that user only", async () => {
    const alice = await signUp('Alice');
    const bob = await signUp('Bob');
    const aliceSub = connect(`Bearer ${alice.token}`).subscribe(MeUpdated);
    const bobSub = connect(`Bearer ${bob.token}`).subscribe(MeUpdated);
    await untilLive(aliceSub, alice.token, 'Alice');
    await untilLive(bobSub, bob.token, 'Bob');
    const aliceSeen = aliceSub.results.length;
    const bobSeen = bobSub.results.length;

    // Interleave the two users' changes; each final wait is a barrier for what came before it.
    await rename(alice.token, 'Alice One');
    await aliceSub.next((d) => d.meUpdated.displayName === 'Alice One');
    await rename(bob.token, 'Bob One');
    await bobSub.next((d) => d.meUpdated.displayName === 'Bob One');
    await rename(alice.token, 'Alice Two');
    await aliceSub.next((d) => d.meUpdated.displayName === 'Alice Two');
    await rename(bob.token, 'Bob Two');
    await bobSub.next((d) => d.meUpdated.displayName === 'Bob Two');

    const names = (sub: TestSubscription<MeUpdatedData>, from: number) => sub.results.slice(from).map((r) => r.data?.meUpdated.displayName);
    expect(names(aliceSub, aliceSeen)).toEqual(['Alice One', 'Alice Two']);
    expect(names(bobSub, bobSeen)).toEqual(['Bob One', 'Bob Two']);
    // Nothing of the other user's, warm-up included.
    expect(aliceSub.results.every((r) => r.data?.meUpdated.id === alice.id && !r.errors)).toBe(true);
    expect(bobSub.results.every((r) => r.data?.meUpdated.id === bob.id && !r.errors)).toBe(true);
  });
});

describe('operation limits', () => {
  it('refuses over WebSocket what HTTP refuses, with the same message', async () => {
    const user = await signUp();
    const client = connect(`Bearer ${user.token}`);

    const deepWs = await client.subscribe(TooDeep).errors();
    expect(deepWs).toHaveLength(1);
    expect(deepWs[0]!.message).toMatch(/Introspection depth limit of 15 exceeded, found 16/);
    expect(deepWs[0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const deepHttp = await t.request(TooDeep, {}, { token: user.token });
    expect(deepHttp.body.errors?.[0]?.message).toBe(deepWs[0]!.message);

    const aliasesWs = await client.subscribe(TooManyAliases).errors();
    expect(aliasesWs[0]!.message).toMatch(/Aliases limit of 15 exceeded/);
    const aliasesHttp = await t.request(TooManyAliases, {}, { token: user.token });
    expect(aliasesHttp.body.errors?.[0]?.message).toBe(aliasesWs[0]!.message);

    // The refusals did not cost the connection: an operation within limits still runs.
    expect((await client.subscribe(Me).next()).me.id).toBe(user.id);
    expect(client.connections()).toBe(1);
  });
});

describe('sign-out', () => {
  it('ends the running subscriptions of a signed-out session: the socket closes with 4401', async () => {
    const user = await signUp();
    const client = connect(`Bearer ${user.token}`);
    const before = client.subscribe(MeUpdated);
    await untilLive(before, user.token, 'Before sign-out');

    const { signOut } = await t.query(SignOut, {}, { token: user.token });
    expect(signOut.revokedSessionCount).toBe(1);

    expect(await client.closed).toEqual({ code: 4401, reason: 'Session ended: sign in again' });
    // Reconnecting with the same token is refused.
    const again = connect(`Bearer ${user.token}`);
    expect((await again.closed).code).toBe(4403);
  });
});

describe('pub/sub listeners', () => {
  it('releases every listener when subscriptions end, one by one or with their socket', async () => {
    await eventually(
      () => t.server.pubsub.subscriptionCount(),
      (n) => n === 0,
      'no leftover subscriptions',
    );
    const user = await signUp();
    const clients = Array.from({ length: 5 }, () => connect(`Bearer ${user.token}`));
    const subs = clients.map((c) => Array.from({ length: 10 }, () => c.subscribe(MeUpdated)));
    await eventually(
      () => t.server.pubsub.subscriptionCount(),
      (n) => n === 50,
      '50 subscriptions',
    );

    // Two clients stop their subscriptions one by one but stay connected...
    for (const sub of [...subs[0]!, ...subs[1]!]) sub.unsubscribe();
    await eventually(
      () => t.server.pubsub.subscriptionCount(),
      (n) => n === 30,
      '30 subscriptions left',
    );
    // ...and the other three just go away with theirs open.
    await Promise.all(clients.slice(2).map((c) => c.dispose()));
    await eventually(
      () => t.server.pubsub.subscriptionCount(),
      (n) => n === 0,
      'every listener released',
    );

    // The two clients that unsubscribed are still connected and usable.
    for (const client of clients.slice(0, 2)) {
      expect(client.connections()).toBe(1);
      expect((await client.subscribe(Me).next()).me.id).toBe(user.id);
    }
  });
});

describe('subscriptions per connection', () => {
  it('refuses one more than MAX_SUBSCRIPTIONS_PER_CONNECTION on a connection, and not on another', async () => {
    const limited = await startTestServer({ MAX_SUBSCRIPTIONS_PER_CONNECTION: '3' });
    try {
      const { signUp: created } = await limited.query(SignUp, {
        input: { email: uniqueEmail('ws-limit'), password: STRONG_PASSWORD, displayName: 'Limited' },
      });
      const auth = `Bearer ${created.tokens!.accessToken}`;
      const client = connectWs(limited.wsUrl, auth);
      const other = connectWs(limited.wsUrl, auth);
      open.push(client, other);
      const held = Array.from({ length: 3 }, () => client.subscribe(MeUpdated));
      await eventually(
        () => limited.server.pubsub.subscriptionCount(),
        (n) => n === 3,
        '3 subscriptions',
      );
      const refused = await client.subscribe(MeUpdated).errors();
      expect(refused[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(refused[0]?.message).toContain('MAX_SUBSCRIPTIONS_PER_CONNECTION');
      // Another connection has its own allowance; freeing one makes room again.
      other.subscribe(MeUpdated);
      await eventually(
        () => limited.server.pubsub.subscriptionCount(),
        (n) => n === 4,
        'a subscription on the other connection',
      );
      held[0]!.unsubscribe();
      await eventually(
        () => limited.server.pubsub.subscriptionCount(),
        (n) => n === 3,
        'one released',
      );
      client.subscribe(MeUpdated);
      await eventually(
        () => limited.server.pubsub.subscriptionCount(),
        (n) => n === 4,
        'room again',
      );
    } finally {
      await Promise.all(open.splice(0).map((c) => c.dispose()));
      await limited.stop();
    }
  });
});
