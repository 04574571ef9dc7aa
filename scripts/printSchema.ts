// Writes schema.graphql from the code-first schema. `npm run schema`; a test fails when stale.
import { writeFileSync } from 'node:fs';
import { printSchemaFile, SCHEMA_FILE } from './schemaFile.js';

writeFileSync(SCHEMA_FILE, printSchemaFile());
console.log(`wrote ${SCHEMA_FILE}`);
