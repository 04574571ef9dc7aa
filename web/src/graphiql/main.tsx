// The GraphQL IDE served at GET /graphql to browsers in development: GraphiQL from the npm
// packages, bundled by Vite with its Monaco workers, so it works with no network beyond this
// server. Above it, a bar to set the access token every request is sent with (authorization.ts).
// Queries and mutations go over HTTP POST, subscriptions over graphql-ws, both at /graphql.
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { type FormEvent, StrictMode, useCallback, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { accessTokenIn, normaliseToken, requestHeaders, storedToken, storeToken } from './authorization';
import './graphiql.css';

const DEFAULT_QUERY = `# The wallet API. Run SignIn (the run button asks which operation), press
# "Use the accessToken from the last answer" above, then run Me: every request,
# subscriptions included, is then sent as that user. alice@demo.wallet ...
# erin@demo.wallet are the embedded database's demo accounts.

mutation SignIn {
  signIn(input: { email: "alice@demo.wallet", password: "demo-Wallet-2026!" }) {
    tokens { accessToken }
    userErrors { code message }
  }
}

query Me {
  me { email displayName wallets { id balance { available { amount currency } } } }
}
`;

const endpoint = new URL('/graphql', window.location.href);
const subscriptionEndpoint = new URL(endpoint);
subscriptionEndpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
// A link such as /graphql?query=...&variables=... opens with that operation in the editor.
const linked = new URLSearchParams(window.location.search);

function Ide() {
  const [token, setToken] = useState(storedToken);
  const [draft, setDraft] = useState('');
  const [offered, setOffered] = useState<string>();
  // The fetcher stays the same object (GraphiQL would fetch the schema again for a new one) and
  // reads the current token at each request.
  const tokenRef = useRef(token);

  const applyToken = useCallback((value: string) => {
    tokenRef.current = value;
    storeToken(value);
    setToken(value);
    setDraft('');
    setOffered(undefined);
  }, []);

  const fetcher = useMemo<Fetcher>(() => {
    // graphql-ws connection params are the request headers (authorization included) of the
    // subscription that opens the socket; each subscription has its own socket.
    const inner = createGraphiQLFetcher({
      url: endpoint.href,
      subscriptionUrl: subscriptionEndpoint.href,
      // The server runs graphql-js 16: no @defer/@stream, so one JSON answer per request.
      enableIncrementalDelivery: false,
    });
    return (params, options) => {
      const answer = inner(params, { ...options, headers: requestHeaders(tokenRef.current, options?.headers) });
      if (answer instanceof Promise) {
        void answer.then(
          (result) => {
            const found = accessTokenIn((result as { data?: unknown }).data);
            if (found && found !== tokenRef.current) setOffered(found);
          },
          () => undefined, // GraphiQL shows the failure
        );
      }
      return answer;
    };
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = normaliseToken(draft);
    if (value) applyToken(value);
  };

  return (
    <>
      <form className="wallet-auth" onSubmit={submit} aria-label="Authorization">
        <label htmlFor="wallet-token">Access token</label>
        <input
          id="wallet-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={token ? 'Paste another accessToken to replace it' : 'Paste tokens.accessToken from signUp or signIn'}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" disabled={!normaliseToken(draft)}>
          Use token
        </button>
        {token ? (
          <button type="button" onClick={() => applyToken('')}>
            Sign out of the IDE
          </button>
        ) : null}
        <output className="wallet-auth-state" data-testid="auth-state" htmlFor="wallet-token">
          {token ? `Requests are sent as the token's user (…${token.slice(-6)}).` : 'No token: requests are anonymous.'}
        </output>
        {offered ? (
          <button type="button" className="wallet-auth-offer" onClick={() => applyToken(offered)}>
            Use the accessToken from the last answer
          </button>
        ) : null}
      </form>
      <div className="wallet-ide">
        <GraphiQL
          fetcher={fetcher}
          defaultQuery={DEFAULT_QUERY}
          initialQuery={linked.get('query') ?? undefined}
          initialVariables={linked.get('variables') ?? undefined}
        />
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Ide />
  </StrictMode>,
);
