// A Prisma generator that writes the schema's DMMF datamodel (models, fields, relations, indexes)
// as JSON to its `output`. The generated client no longer ships the DMMF, so
// test/helpers/prismaDatamodel.ts runs `prisma generate` with this generator to read it.
// Protocol: JSON-RPC requests on stdin, one response per line on stderr.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const reply = (id, result) => process.stderr.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, method, params } = JSON.parse(line);
  if (method === 'getManifest') reply(id, { manifest: { prettyName: 'DMMF datamodel', requiresEngines: [] } });
  else if (method === 'generate') {
    writeFileSync(params.generator.output.value, JSON.stringify(params.dmmf.datamodel));
    reply(id, null);
  }
});
