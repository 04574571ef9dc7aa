// Reads prisma/schema.prisma the way Prisma does and returns its DMMF datamodel. The generated
// client (src/generated/prisma) no longer exports `Prisma.dmmf`, so this runs the Prisma CLI on a
// copy of the schema whose only generator is test/helpers/dmmfGenerator.mjs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DMMF } from '@prisma/client/runtime/client';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PRISMA_SCHEMA = path.join(ROOT, 'prisma/schema.prisma');
const PRISMA_CLI = path.join(ROOT, 'node_modules/prisma/build/index.js');
const GENERATOR = fileURLToPath(new URL('./dmmfGenerator.mjs', import.meta.url));

export type Datamodel = DMMF.Datamodel;

export async function loadDatamodel(schemaFile = PRISMA_SCHEMA): Promise<Datamodel> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wallet-dmmf-'));
  try {
    const output = path.join(dir, 'datamodel.json');
    const original = readFileSync(schemaFile, 'utf8');
    const schema = original.replace(/^generator\s+\w+\s*\{[^}]*\}/gm, '');
    // Preview features change what the schema may say (partialIndexes...): keep the generators' ones.
    const previewFeatures = [...original.matchAll(/^\s*previewFeatures\s*=\s*\[([^\]]*)\]/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/"([^"]+)"/g)].map((f) => f[1]!),
    );
    const generator =
      `generator dmmf {\n  provider = ${JSON.stringify(`node ${JSON.stringify(GENERATOR)}`)}\n  output   = ${JSON.stringify(output)}\n` +
      `  previewFeatures = ${JSON.stringify([...new Set(previewFeatures)])}\n}\n`;
    writeFileSync(path.join(dir, 'schema.prisma'), `${schema}\n${generator}`);
    await promisify(execFile)(process.execPath, [PRISMA_CLI, 'generate', '--schema', path.join(dir, 'schema.prisma')], {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    return JSON.parse(readFileSync(output, 'utf8')) as Datamodel;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
