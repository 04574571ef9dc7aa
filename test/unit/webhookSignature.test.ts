// Webhook signatures (src/services/webhooks/signature.ts): HMAC over `${t}.${rawBody}`, secret rolling,
// replay window, and rejection of missing or malformed headers without leaking the secret.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, signPayload, verifySignature, type SignatureProblem } from '../../src/services/webhooks/signature.js';

const SECRET = 'whsec_test_current_0123456789';
const OLD_SECRET = 'whsec_test_previous_9876543210';
const NOW = 1_750_000_000;
const TOLERANCE = 300;
const BODY = '{"id":"evt_1","type":"payment.succeeded","amount":"12.34"}';

function verify(
  header: string | string[] | undefined,
  overrides: { body?: Buffer | string; secrets?: string[]; nowSeconds?: number } = {},
) {
  return verifySignature({
    header,
    body: overrides.body ?? BODY,
    secrets: overrides.secrets ?? [SECRET],
    nowSeconds: overrides.nowSeconds ?? NOW,
    toleranceSeconds: TOLERANCE,
  });
}

function expectProblem(result: ReturnType<typeof verifySignature>, problem: SignatureProblem): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.problem).toBe(problem);
}

describe('signPayload', () => {
  it('produces t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signPayload(SECRET, BODY, NOW)).toBe(`t=${NOW},v1=${expected}`);
  });

  it('gives the same signature for a Buffer and a string body', () => {
    const body = '{"note":"café ☕"}';
    expect(signPayload(SECRET, Buffer.from(body, 'utf8'), NOW)).toBe(signPayload(SECRET, body, NOW));
  });

  it('exports the lower-case header name', () => {
    expect(SIGNATURE_HEADER).toBe('signature');
  });
});

describe('verifySignature', () => {
  it('accepts a signed body and returns its timestamp', () => {
    expect(verify(signPayload(SECRET, BODY, NOW))).toEqual({ ok: true, timestamp: NOW });
  });

  it('accepts a Buffer body signed as a string', () => {
    expect(verify(signPayload(SECRET, BODY, NOW), { body: Buffer.from(BODY) }).ok).toBe(true);
  });

  it('rejects a body changed by one byte', () => {
    const header = signPayload(SECRET, BODY, NOW);
    const tampered = Buffer.from(BODY);
    const i = tampered.length - 2;
    tampered[i] = (tampered[i] ?? 0) ^ 1;
    expectProblem(verify(header, { body: tampered }), 'MISMATCH');
  });

  it('rejects a signature made with the wrong secret', () => {
    expectProblem(verify(signPayload('whsec_someone_else', BODY, NOW)), 'MISMATCH');
  });

  it('accepts signatures from both old and new secrets while rolling', () => {
    const secrets = [SECRET, OLD_SECRET];
    expect(verify(signPayload(SECRET, BODY, NOW), { secrets }).ok).toBe(true);
    expect(verify(signPayload(OLD_SECRET, BODY, NOW), { secrets }).ok).toBe(true);
  });

  it('rejects everything when no secrets are configured', () => {
    expectProblem(verify(signPayload(SECRET, BODY, NOW), { secrets: [] }), 'MISMATCH');
  });

  it('rejects a timestamp older than the tolerance as STALE', () => {
    expectProblem(verify(signPayload(SECRET, BODY, NOW - TOLERANCE - 1)), 'STALE');
  });

  it('rejects a timestamp further in the future than the tolerance as FUTURE', () => {
    expectProblem(verify(signPayload(SECRET, BODY, NOW + TOLERANCE + 1)), 'FUTURE');
  });

  it('accepts timestamps exactly at the tolerance in either direction', () => {
    expect(verify(signPayload(SECRET, BODY, NOW - TOLERANCE)).ok).toBe(true);
    expect(verify(signPayload(SECRET, BODY, NOW + TOLERANCE)).ok).toBe(true);
  });

  it('rejects a missing or empty header as MISSING', () => {
    expectProblem(verify(undefined), 'MISSING');
    expectProblem(verify(''), 'MISSING');
    expectProblem(verify('   '), 'MISSING');
  });

  it.each([
    ['garbage', 'not a signature'],
    ['no v1', `t=${NOW}`],
    ['no t', `v1=${'a'.repeat(64)}`],
    ['non-integer t', `t=${NOW}.5,v1=${'a'.repeat(64)}`],
    ['non-numeric t', `t=abc,v1=${'a'.repeat(64)}`],
    ['short v1', `t=${NOW},v1=${'a'.repeat(63)}`],
    ['non-hex v1', `t=${NOW},v1=${'g'.repeat(64)}`],
    ['repeated t', `t=${NOW},t=${NOW},v1=${'a'.repeat(64)}`],
  ])('rejects a header with %s as MALFORMED', (_label, header) => {
    expectProblem(verify(header), 'MALFORMED');
  });

  it('rejects a repeated header (array) as MALFORMED even if one copy is valid', () => {
    const good = signPayload(SECRET, BODY, NOW);
    expectProblem(verify([good, good]), 'MALFORMED');
  });

  it('accepts when a later v1 entry matches and ignores unknown keys', () => {
    const good = signPayload(SECRET, BODY, NOW);
    const v1 = good.split(',v1=')[1];
    const header = `t=${NOW},v1=${'0'.repeat(64)},v0=legacy,v1=${v1},v2=${'f'.repeat(64)}`;
    expect(verify(header)).toEqual({ ok: true, timestamp: NOW });
  });

  it('never puts the secret or the expected signature in the message', () => {
    const expectedHex = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    const headers = [
      undefined,
      'garbage',
      signPayload('wrong', BODY, NOW),
      signPayload(SECRET, 'other body', NOW),
      signPayload(SECRET, BODY, NOW - TOLERANCE - 1),
      signPayload(SECRET, BODY, NOW + TOLERANCE + 1),
    ];
    for (const header of headers) {
      const result = verify(header);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).not.toContain(SECRET);
        expect(result.message).not.toContain(expectedHex);
      }
    }
  });
});
