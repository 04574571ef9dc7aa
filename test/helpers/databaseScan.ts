// Where a value is stored in the clear: every text, JSON, array and byte column of every table the
// server's schemas hold, searched with a regular expression (byte columns as PostgreSQL's escape
// text, so ciphertext never matches by chance of encoding). Used by the PCI test (no card number
// anywhere) and the erasure test (no trace of the erased user) — a database dump, searched.
import type { TestServer } from './testServer.js';

const SCHEMAS = ['public', 'vault', 'sandbox'];
const TYPES = ['text', 'character varying', 'character', 'jsonb', 'json', 'bytea', 'ARRAY'];

export interface Found {
  /** "schema"."table"."column" */
  column: string;
  pattern: string;
  rows: number;
}

/** Every column holding a match of any pattern (PostgreSQL regular expressions), with the count. */
export async function findInDatabase(t: TestServer, patterns: string[]): Promise<{ found: Found[]; columnsSearched: number }> {
  const prisma = t.server.db.prisma;
  const columns = await prisma.$queryRawUnsafe<{ schema: string; table: string; column: string; type: string }[]>(
    `SELECT table_schema AS schema, table_name AS table, column_name AS column, data_type AS type
     FROM information_schema.columns
     WHERE table_schema = ANY($1::text[]) AND data_type = ANY($2::text[])`,
    SCHEMAS,
    TYPES,
  );
  const found: Found[] = [];
  for (const c of columns) {
    const asText = c.type === 'bytea' ? `encode("${c.column}", 'escape')` : `"${c.column}"::text`;
    for (const pattern of patterns) {
      const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${c.schema}"."${c.table}" WHERE ${asText} ~ $1`,
        pattern,
      );
      if (row!.n > 0n) found.push({ column: `"${c.schema}"."${c.table}"."${c.column}"`, pattern, rows: Number(row!.n) });
    }
  }
  return { found, columnsSearched: columns.length };
}

/** A pattern matching `text` literally (regular-expression characters escaped). */
export const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
