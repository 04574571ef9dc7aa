// The README is a contract: every `sh` block of its "Try it" section runs here, in order, in one
// bash (with -euo pipefail), against a freshly started server with the settings a newcomer gets
// (demo accounts, the shipped KYC limits, the fraud rules on); only the address is this server's.
// Every GraphQL answer printed must be free of errors and userErrors, and the money must end
// where the walk-through says. Every `graphql` block of the section must validate against the
// schema. Needs bash, curl and jq (CI fails without them; locally the file is skipped, saying so).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';

const README = readFileSync('README.md', 'utf8');
const section = README.slice(README.indexOf('\n## Try it\n'), README.indexOf('\n## ', README.indexOf('\n## Try it\n') + 1));
const blocks = (lang: string) => [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);

const missing = ['bash', 'curl', 'jq'].filter((tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
if (missing.length && process.env.CI) throw new Error(`The README test needs ${missing.join(', ')}: CI must run it. Install them.`);
if (missing.length) console.warn(`Skipping the README walk-through: ${missing.join(', ')} not found. Install them to run it.`);

const RmBalances = graphql(`query RmBalances { me { wallets { balance { posted { amount } held { amount } available { amount } } } } }`);
const RmSignIn = graphql(`mutation RmSignIn($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } } }`);

let t: TestServer;
beforeAll(async () => {
  if (missing.length) return;
  t = await startTestServer({
    SEED_DEMO: 'true',
    KYC_LIMITS_FILE: 'config/kyc-limits.json',
    RISK_RULES: 'true',
  });
});
afterAll(async () => {
  await t?.stop();
});

/** Runs the blocks in one bash; the output of each, by block. */
async function runBlocks(scripts: string[], origin: string): Promise<{ code: number | null; outputs: string[]; stderr: string }> {
  const marker = '::readme-block::';
  const script = scripts.map((s, i) => `echo '${marker}${i}'\n${s.replaceAll('localhost:4000', origin)}`).join('\n');
  const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = stdout.split(new RegExp(`^${marker}\\d+\\n`, 'm')).slice(1);
  return { code, outputs, stderr };
}

/** Every userErrors array anywhere in a GraphQL answer. */
function userErrorsIn(value: unknown): unknown[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'userErrors' && Array.isArray(v) ? v : userErrorsIn(v)));
}

describe.skipIf(missing.length > 0)('README "Try it"', () => {
  it('has GraphQL blocks that validate against the schema', () => {
    const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
    const documents = blocks('graphql');
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it('runs every sh block in order, with no error and no userError, and the money ends where it says', async () => {
    const scripts = blocks('sh');
    expect(scripts.length).toBeGreaterThan(5);
    const { code, outputs, stderr } = await runBlocks(scripts, `127.0.0.1:${t.server.port}`);
    expect(code, `bash exited ${code} in block ${outputs.length - 1}:\n${scripts[outputs.length - 1]}\n${outputs.at(-1)}\n${stderr}`).toBe(
      0,
    );
    expect(outputs).toHaveLength(scripts.length);

    const answers = outputs.map((out) => out.split('\n').filter((line) => line.startsWith('{"data"') || line.startsWith('{"errors"')));
    answers.forEach((lines, i) => {
      for (const line of lines) {
        const answer = JSON.parse(line) as { errors?: unknown; data?: unknown };
        expect(answer.errors, `block ${i}: ${line}`).toBeUndefined();
        expect(userErrorsIn(answer.data), `block ${i}: ${line}`).toEqual([]);
      }
    });
    expect(answers.flat().length).toBeGreaterThan(10);

    // The payment and its retry: the same transfer, the second answer marked as replayed.
    const pay = answers.find((lines) => lines.some((l) => l.includes('"sendMoney"')))!.map((l) => JSON.parse(l).data.sendMoney);
    expect(pay).toHaveLength(2);
    expect(pay.map((p) => p.replayed)).toEqual([false, true]);
    expect(pay[1].transfer).toEqual(pay[0].transfer);
    expect(pay[0].transfer.status).toBe('POSTED');

    // The partner client saw its checkout paid and listed the payment.
    const partner = outputs.at(-1)!;
    expect(partner).toContain('"step":"payments"');
    expect(partner).toMatch(/"status":"PAID"/);

    // Ada: 12.50 from Alice, 50.00 from the card, 20.00 held for the withdrawal. Alice paid
    // 12.50, 4.50 and 3.20 from the 500.00 of a demo account.
    const balances = async (email: string, password: string) => {
      const token = (await t.query(RmSignIn, { input: { email, password } })).signIn.tokens!.accessToken;
      return (await t.query(RmBalances, {}, { token })).me.wallets[0]!.balance;
    };
    expect(await balances('ada@example.com', 'analytical-Engine-1843')).toEqual({
      posted: { amount: expect.stringMatching(/^(62\.50|42\.50)$/) },
      held: { amount: expect.stringMatching(/^(20\.00|0\.00)$/) },
      available: { amount: '42.50' },
    });
    expect(await balances('alice@demo.wallet', 'demo-Wallet-2026!')).toMatchObject({ posted: { amount: '479.80' } });
    // A newcomer's pace is seconds per block; here the blocks start processes (node, the partner
    // client) one after another, which on a loaded CI machine takes a while.
  }, 180_000);
});
