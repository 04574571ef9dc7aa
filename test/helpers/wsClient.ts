// A graphql-ws client for tests (the `ws` package as its socket): connects at once, never
// retries, records how the socket closed, and collects what each subscription receives so a
// test can wait for a given message instead of sleeping.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface TestSubscription<R> {
  /** Every `next` payload received so far, in order. */
  readonly results: FormattedExecutionResult<R, unknown>[];
  /** Waits (bounded) until a result matching `match` has arrived and returns its data. */
  next(match?: (data: R) => boolean, timeoutMs?: number): Promise<R>;
  /** Waits (bounded) for the operation to fail and returns its GraphQL errors. */
  errors(timeoutMs?: number): Promise<readonly GraphQLFormattedError[]>;
  /** Stops the subscription (the client sends `complete`). */
  unsubscribe(): void;
}

export interface TestWsClient {
  client: Client;
  /** Resolves when the server acknowledges the connection; rejects if the socket closes first. */
  connected: Promise<void>;
  /** Resolves with the close code and reason of the first close of the socket. */
  closed: Promise<CloseInfo>;
  /** How many times the client has been acknowledged (stays 1: the client never reconnects). */
  connections(): number;
  subscribe<R, V>(document: TypedDocumentNode<R, V>, variables?: V): TestSubscription<R>;
  dispose(): Promise<void>;
}

/** Opens a connection to `wsUrl`; `authorization` goes in connectionParams when given. */
export function connectWs(wsUrl: string, authorization?: string): TestWsClient {
  let onClosed!: (info: CloseInfo) => void;
  const closed = new Promise<CloseInfo>((resolve) => (onClosed = resolve));
  let acknowledged = 0;
  let onConnected!: () => void;
  let onRefused!: (err: Error) => void;
  const connected = new Promise<void>((resolve, reject) => {
    onConnected = resolve;
    onRefused = reject;
  });
  connected.catch(() => {}); // a test that expects a refusal need not await this

  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    // The close is reported through `closed`; the default handler would print it.
    onNonLazyError: () => {},
    connectionParams: authorization === undefined ? undefined : { authorization },
    on: {
      connected: () => {
        acknowledged += 1;
        onConnected();
      },
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason) });
        onRefused(new Error(`WebSocket closed before acknowledgement: ${code} ${reason}`));
      },
    },
  });

  return {
    client,
    connected,
    closed,
    connections: () => acknowledged,
    subscribe<R, V>(document: TypedDocumentNode<R, V>, variables?: V): TestSubscription<R> {
      const results: FormattedExecutionResult<R, unknown>[] = [];
      let failure: unknown;
      let failed = false;
      const waiters = new Set<() => void>();
      const changed = () => waiters.forEach((w) => w());

      const unsubscribe = client.subscribe<R>(
        { query: print(document), variables: (variables ?? {}) as Record<string, unknown> },
        {
          next: (value) => {
            results.push(value);
            changed();
          },
          error: (err) => {
            failed = true;
            failure = err;
            changed();
          },
          complete: changed,
        },
      );

      /** Resolves with `check()`'s value once it is not undefined; rejects after the timeout. */
      function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
        return new Promise<T>((resolve, reject) => {
          const attempt = () => {
            let value: T | undefined;
            try {
              value = check();
            } catch (err) {
              finish();
              reject(err);
              return;
            }
            if (value !== undefined) {
              finish();
              resolve(value);
            }
          };
          const timer = setTimeout(() => {
            finish();
            reject(
              new Error(
                `Timed out after ${timeoutMs} ms waiting for ${what}; received ${JSON.stringify(results)}${failed ? `; the operation failed: ${JSON.stringify(failure)}` : ''}`,
              ),
            );
          }, timeoutMs);
          const finish = () => {
            clearTimeout(timer);
            waiters.delete(attempt);
          };
          waiters.add(attempt);
          attempt();
        });
      }

      return {
        results,
        next(match = () => true, timeoutMs = 5000) {
          return waitFor(
            () => {
              const hit = results.find((r) => r.data && match(r.data));
              if (hit) return hit.data!;
              if (failed) throw new Error(`Subscription failed: ${describe(failure)}`);
              return undefined;
            },
            timeoutMs,
            'a matching result',
          );
        },
        errors(timeoutMs = 5000) {
          return waitFor(
            () => {
              if (!failed) return undefined;
              if (Array.isArray(failure)) return failure as readonly GraphQLFormattedError[];
              throw new Error(`Subscription failed without GraphQL errors: ${describe(failure)}`);
            },
            timeoutMs,
            'the operation to fail',
          );
        },
        unsubscribe,
      };
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'code' in err) return `socket closed with ${(err as { code: number }).code}`;
  return JSON.stringify(err);
}
