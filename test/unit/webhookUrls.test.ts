// Which merchant webhook URLs are accepted: in production https to public hosts only; with local
// URLs allowed (development, tests) also http and loopback or private addresses.
import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../src/services/merchants/webhookUrls.js';

describe('webhookUrlProblem', () => {
  it('production: https to a public host only', () => {
    expect(webhookUrlProblem('https://shop.example.com/hooks', false)).toBeNull();
    expect(webhookUrlProblem('https://93.184.216.34/hooks', false)).toBeNull();
    expect(webhookUrlProblem('http://shop.example.com/hooks', false)).toBe('webhookUrl must be https.');
    for (const host of [
      'localhost',
      'api.localhost',
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.10',
      '169.254.169.254',
      '0.0.0.0',
      '[::1]',
      '[fd00::1]',
      '[::ffff:127.0.0.1]',
      'db.internal',
    ]) {
      expect(webhookUrlProblem(`https://${host}/hooks`, false), host).toMatch(/public host/);
    }
  });

  it('refuses what is not a URL, credentials in it, and very long ones', () => {
    expect(webhookUrlProblem('not a url', true)).toBe('webhookUrl is not a URL.');
    expect(webhookUrlProblem('https://user:pass@shop.example.com/', false)).toBe('webhookUrl must not carry credentials.');
    expect(webhookUrlProblem(`https://shop.example.com/${'a'.repeat(500)}`, false)).toMatch(/at most 500/);
    expect(webhookUrlProblem('ftp://shop.example.com/', true)).toMatch(/https/);
  });

  it('local URLs allowed: http to loopback and private addresses too, never http to a public host', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4010/hooks', true)).toBeNull();
    expect(webhookUrlProblem('http://localhost/hooks', true)).toBeNull();
    expect(webhookUrlProblem('https://10.0.0.5/hooks', true)).toBeNull();
    expect(webhookUrlProblem('http://shop.example.com/hooks', true)).toBe('webhookUrl must be https (http only for localhost).');
  });
});
