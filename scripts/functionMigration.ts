// `npm run db:function-migration -- <name> <function>...`: writes a new migration,
// prisma/migrations/<timestamp>_<name>/migration.sql, holding the current text of the named
// function files (prisma/functions/<function>.sql), in the order given, and prints what it wrote.
// Edit the function's file first, then run this; `npm run migrate` (or the server's start) applies
// it. --drop <signature> (repeatable) drops a function first: needed when its arguments or return
// type change, or it is gone. --migrations-dir and --functions-dir point elsewhere (the tests use them).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFunctionMigration } from './functionFiles.js';

const USAGE = 'usage: npm run db:function-migration -- <migration_name> <function> [<function>...] [--drop <signature>]...';

try {
  const { values, positionals } = parseArgs({
    options: { 'migrations-dir': { type: 'string' }, 'functions-dir': { type: 'string' }, drop: { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  const [name, ...functions] = positionals;
  if (!name || functions.length === 0) throw new Error(USAGE);
  const written = writeFunctionMigration({
    name,
    functions,
    drop: values.drop ?? [],
    ...(values['migrations-dir'] ? { migrationsDir: values['migrations-dir'] } : {}),
    ...(values['functions-dir'] ? { functionsDir: values['functions-dir'] } : {}),
  });
  console.log(`wrote ${path.relative(process.cwd(), written.file)}`);
  for (const f of written.functions) console.log(`  from ${path.relative(process.cwd(), f.path)}`);
  console.log('Apply it with `npm run migrate`; test/db/functionDefinitions.test.ts checks that the database matches the files.');
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 2;
}
