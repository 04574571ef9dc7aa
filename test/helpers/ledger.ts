// Ledger assertions shared by tests: the audit must find nothing.
import { expect } from 'vitest';
import { auditLedger } from '../../src/services/ledger/audit.js';
import type { TestServer } from './testServer.js';

export async function expectLedgerConsistent(t: TestServer): Promise<void> {
  const report = await auditLedger(t.server.db.prisma);
  expect(report.problems, 'ledger audit').toEqual([]);
}
