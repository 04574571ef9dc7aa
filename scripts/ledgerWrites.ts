// The ledger module is the only writer of money state (docs/ledger.md). This finds code outside
// src/services/ledger/ that writes it anyway: SQL that inserts into, updates or deletes from
// ledger_transactions, ledger_entries or holds, that sets a wallet's balance, held amount,
// sequence or usage counters, or that calls the posting or funding-count functions; and Prisma
// calls that write those tables or columns. Run by `npm run lint` (and test/unit/ledgerWrites.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface LedgerWrite {
  file: string;
  line: number;
  what: string;
}

const LEDGER_TABLES = ['ledger_transactions', 'ledger_entries', 'holds'];
/** The wallet columns that are money state (status, kind and owner are not). */
const WALLET_MONEY_COLUMNS = [
  'posted_balance',
  'held_amount',
  'sequence',
  'version',
  'sent_day',
  'sent_month',
  'added_day',
  'withdrawn_day',
  'usage_day',
  'usage_month',
];
const WALLET_MONEY_FIELDS = [
  'postedBalance',
  'heldAmount',
  'sequence',
  'version',
  'sentDay',
  'sentMonth',
  'addedDay',
  'withdrawnDay',
  'usageDay',
  'usageMonth',
];
const LEDGER_FUNCTIONS = ['wallet_post_transfers', 'wallet_count_funding'];
const LEDGER_MODELS = ['hold', 'ledgerTransaction', 'ledgerEntry'];
const WRITE_METHODS = /^(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)$/;

const tables = LEDGER_TABLES.join('|');
const insertOrDelete = new RegExp(`\\b(insert\\s+into|delete\\s+from|truncate(?:\\s+table)?)\\s+(?:only\\s+)?"?(${tables})\\b`, 'i');
/** UPDATE t [alias] SET: with SET, so that prose such as "we update holds" is not taken for SQL. */
const updateSet = new RegExp(`\\b(update)\\s+(?:only\\s+)?"?(${tables})"?(?:\\s+(?:as\\s+)?\\w+)?\\s+set\\b`, 'i');
const walletUpdate = /\bupdate\s+(only\s+)?"?wallets\b[\s\S]*?\bset\b([\s\S]*?)(\bwhere\b|\breturning\b|$)/i;
const moneyColumn = new RegExp(`(^|[\\s,(])"?(${WALLET_MONEY_COLUMNS.join('|')})"?\\s*=`, 'i');
const functionCall = new RegExp(`\\b(${LEDGER_FUNCTIONS.join('|')})\\s*\\(`, 'i');

/** What a piece of SQL text writes of the ledger's, or null. */
export function sqlLedgerWrite(sql: string): string | null {
  const table = insertOrDelete.exec(sql) ?? updateSet.exec(sql);
  if (table) return `writes ${table[2]!.toLowerCase()} (${table[1]!.toUpperCase().replace(/\s+/g, ' ')})`;
  const wallet = walletUpdate.exec(sql);
  if (wallet) {
    const column = moneyColumn.exec(wallet[2]!);
    if (column) return `sets wallets.${column[2]!.toLowerCase()}`;
  }
  const call = functionCall.exec(sql);
  if (call) return `calls ${call[1]!.toLowerCase()}()`;
  return null;
}

/** The ledger writes in one TypeScript source. */
export function findLedgerWrites(file: string, text: string): LedgerWrite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LedgerWrite[] = [];
  const report = (node: ts.Node, what: string) =>
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });

  const visit = (node: ts.Node): void => {
    // SQL: string and template literals (tagged or not), whose text is joined over placeholders.
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) {
      const what = sqlLedgerWrite(node.text);
      if (what) report(node, what);
    } else if (ts.isTemplateExpression(node)) {
      const what = sqlLedgerWrite([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' $1 '));
      if (what) report(node, what);
      node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    // Prisma: <client>.<model>.<write>(…) on a ledger model, or on wallet with money fields.
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const target = node.expression.expression;
      if (WRITE_METHODS.test(method) && ts.isPropertyAccessExpression(target)) {
        const model = target.name.text;
        if (LEDGER_MODELS.includes(model)) report(node, `writes ${model} through Prisma (${method})`);
        if (model === 'wallet') {
          const args = node.arguments.map((a) => a.getText(source)).join(' ');
          const field = WALLET_MONEY_FIELDS.find((f) => new RegExp(`\\b${f}\\s*:`).test(args));
          if (field) report(node, `sets wallet.${field} through Prisma (${method})`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every ledger write in src/ outside the ledger module (and Prisma's generated client). */
export function ledgerWritesOutsideLedger(srcDir: string): LedgerWrite[] {
  const skip = [path.join(srcDir, 'services', 'ledger') + path.sep, path.join(srcDir, 'generated') + path.sep];
  return (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(srcDir, f))
    .filter((f) => !skip.some((s) => f.startsWith(s)))
    .sort()
    .flatMap((f) => findLedgerWrites(path.relative(path.dirname(srcDir), f), readFileSync(f, 'utf8')));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const writes = ledgerWritesOutsideLedger(path.resolve('src'));
  for (const w of writes)
    console.error(`${w.file}:${w.line}: ${w.what}: money state is written only by src/services/ledger/ (ask the ledger: docs/ledger.md)`);
  if (writes.length) {
    console.error(`\n${writes.length} ledger write(s) outside the ledger module.`);
    process.exitCode = 1;
  } else {
    console.log('ledger writes: only src/services/ledger/ writes money state');
  }
}
