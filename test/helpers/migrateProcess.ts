// Runs migrate(url) in a process of its own and prints the migrations it applied as JSON.
// test/db/migrate.test.ts starts two of these at once to prove concurrent starts are safe.
import { migrate } from '../../src/db/migrate.js';

const url = process.argv[2];
if (!url) throw new Error('usage: node --import tsx test/helpers/migrateProcess.ts <database-url>');
console.log(JSON.stringify(await migrate(url)));
