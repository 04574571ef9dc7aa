// docker-compose.yml starts with one command (`npm run compose`): the app service's environment,
// with the secrets that command writes to .env and every other reference at its default, is a
// configuration the server accepts in production. A setting production comes to require, or a
// reference to a variable nothing provides, fails here rather than at someone's first start.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newComposeSecrets } from '../../scripts/composeEnv.js';
import { loadConfig } from '../../src/config.js';

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: { app: { environment: Record<string, string> } };
};

/** Resolves compose's ${NAME}, ${NAME:-default} and ${NAME:?error} against `env`, as docker compose does. */
function interpolate(value: string, env: Record<string, string>, unresolved: string[]): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (env[name]) return env[name];
    if (kind === '-') return rest ?? '';
    unresolved.push(name);
    return '';
  });
}

describe('docker-compose.yml', () => {
  it("gives the server every setting production requires, from npm run compose's secrets and defaults", () => {
    const secrets = newComposeSecrets();
    const unresolved: string[] = [];
    const env = Object.fromEntries(
      Object.entries(compose.services.app.environment).map(([k, v]) => [k, interpolate(String(v), secrets, unresolved)]),
    );
    expect(unresolved, 'variables docker-compose.yml requires that npm run compose does not write').toEqual([]);
    const config = loadConfig(env);
    expect(config).toMatchObject({ NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:4000', SEED_DEMO: false });
    expect(config.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
    expect(config.REDIS_URL).toBe('redis://redis:6379');
  });

  it('needs each secret: without one, compose refuses to start, naming it', () => {
    for (const name of Object.keys(newComposeSecrets())) {
      const unresolved: string[] = [];
      const secrets: Record<string, string> = { ...newComposeSecrets(), [name]: '' };
      for (const v of Object.values(compose.services.app.environment)) interpolate(String(v), secrets, unresolved);
      expect(unresolved, name).toEqual([name]);
    }
  });
});
