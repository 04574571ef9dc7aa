// The devices signed in to this account (newest first), each but this one with a button to sign it
// out (revokeSession: its socket closes and its refresh token stops working).
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../gql';
import { formatDate } from '../activity';
import { FormProblems, NETWORK_PROBLEM } from '../forms';
import { describeUserError } from '../userErrors';

const SessionsQuery = graphql(`
  query Sessions {
    me { id sessions(first: 50) { edges { node { id createdAt lastUsedAt userAgent ip current } } } }
  }
`);

const RevokeSession = graphql(`
  mutation RevokeSession($input: RevokeSessionInput!) {
    revokeSession(input: $input) { session { id revokedAt } userErrors { code message } }
  }
`);

/** "Chrome on Linux" from a user agent, or the agent itself. */
function device(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  return browser && system ? `${browser} on ${system}` : userAgent.slice(0, 60);
}

export default function Sessions() {
  const { data, error, refetch } = useQuery(SessionsQuery, { fetchPolicy: 'cache-and-network' });
  const [revoke] = useMutation(RevokeSession);
  const [busy, setBusy] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);

  const signOutDevice = async (sessionId: string) => {
    setBusy(sessionId);
    setProblems([]);
    try {
      const { data: answer } = await revoke({ variables: { input: { sessionId } } });
      const errors = answer!.revokeSession.userErrors;
      if (errors.length) setProblems(errors.map(describeUserError));
      await refetch();
    } catch {
      setProblems([NETWORK_PROBLEM]);
    } finally {
      setBusy(null);
    }
  };

  if (error) return <p role="alert">Your sessions could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  return (
    <section className="card">
      <h1>Signed-in devices</h1>
      <FormProblems messages={problems} />
      <ul className="sessions" aria-label="Sessions">
        {data.me.sessions.edges.map(({ node: s }) => (
          <li key={s.id}>
            <div>
              <strong>{device(s.userAgent)}</strong>
              {s.current && <span className="status status-posted">This device</span>}
              <br />
              <span className="muted">
                Signed in {formatDate(s.createdAt)} · last active {formatDate(s.lastUsedAt)}
                {s.ip ? ` · ${s.ip}` : ''}
              </span>
            </div>
            {!s.current && (
              <button type="button" onClick={() => signOutDevice(s.id)} disabled={busy === s.id}>
                {busy === s.id ? 'Signing out…' : 'Sign out this device'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
