// Proves the committed schema.graphql is the schema the code serves: it must equal what
// `npm run schema` (scripts/schemaFile.ts) prints from src/schema and src/resolvers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSchemaFile, SCHEMA_FILE } from '../scripts/schemaFile.js';

describe('schema.graphql', () => {
  it('is up to date with the code-first schema', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'schema.graphql is stale: run `npm run schema` and commit the result').toBe(
      printSchemaFile(),
    );
  });
});
