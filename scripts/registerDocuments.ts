// `npm run documents:register -- --client <name> <persisted-documents.json>`: registers a partner
// client's trusted documents (the manifest codegen writes: sha256 id → document), so that client's
// API keys may run them. Each id is checked against its document's hash; registering again is a
// no-op. The server registers partners/<client>/gql/persisted-documents.json itself at start.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createTrustedDocumentService } from '../src/services/partners/trustedDocuments.js';
import { runScript } from './cli.js';

const { values, positionals } = parseArgs({ options: { client: { type: 'string' } }, allowPositionals: true });

await runScript(
  {
    poolSize: 2,
    migrate: true,
    prepare() {
      if (!values.client || positionals.length !== 1) {
        throw new Error('usage: npm run documents:register -- --client <name> <persisted-documents.json>');
      }
      let manifest: Record<string, string>;
      try {
        manifest = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Record<string, string>;
      } catch (err) {
        throw new Error(`Cannot read the manifest ${positionals[0]}: ${(err as Error).message}`);
      }
      return { client: values.client, manifest };
    },
  },
  async ({ db, log }, { client, manifest }) => {
    const documents = createTrustedDocumentService({ prisma: db.prisma, log });
    const count = await documents.register(client, manifest);
    console.log(`${count} document(s) of ${client} registered (already registered ones are unchanged).`);
  },
);
