// src/schema/ declares the API's shape and src/resolvers/ resolves it (docs/architecture.md): no
// file in src/schema/ calls a service, through the context or by importing one. Types from
// src/services/ are fine. `npm run lint` (dependency-cruiser) checks the modules; this checks the names.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObjectType } from 'graphql';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphqlSchema.js';
import { builder } from '../../src/schema/builder.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const SCHEMA_DIR = path.join(SRC, 'schema');
const SERVICES_DIR = path.join(SRC, 'services');

/**
 * The values src/schema/ may take from src/services/: constants and pure functions that define
 * the API's words (the one error catalogue, ids, money, enum values), none of which does I/O.
 * Anything else from src/services/ is imported with `import type`.
 */
const ALLOWED_VALUE_IMPORTS: Record<string, string[]> = {
  'errors.ts': ['USER_ERROR_CODES', 'badUserInput', 'forbidden', 'unauthenticated'],
  'ids.ts': ['parseGlobalId'],
  'money/money.ts': ['formatAmount', 'isCurrencyCode'],
  'compliance/limits.ts': ['LIMIT_KINDS'],
  'paymentMethods/paymentMethods.ts': ['MAX_VERIFICATION_ATTEMPTS'],
  'insights/categories.ts': ['SPENDING_CATEGORIES'],
  'notifications/notices.ts': ['KINDS', 'NOTIFICATION_KINDS', 'OUTBOUND_CHANNELS', 'PUSH_PLATFORMS'],
};

/** What the context holds that calls services: `services`, and the DataLoaders built over them. */
const SERVICE_CONTEXT_KEYS = new Set(['services', 'loaders']);

interface Finding {
  file: string;
  line: number;
  problem: string;
}

const schemaFiles = (readdirSync(SCHEMA_DIR, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(SCHEMA_DIR, f))
  .sort();

/** The module under src/services/ a specifier points at ("errors.ts"), or null for anything else. */
function serviceModule(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
  const relative = path.relative(SERVICES_DIR, target);
  return relative.startsWith('..') || path.isAbsolute(relative) ? null : relative.split(path.sep).join('/');
}

function findingsIn(file: string, usedAllowances: Set<string>): Finding[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const report = (node: ts.Node, problem: string) =>
    findings.push({ file: path.relative(SRC, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, problem });

  const checkValueImport = (node: ts.Node, module: string, names: string[] | null) => {
    const allowed = ALLOWED_VALUE_IMPORTS[module] ?? [];
    if (names === null) return report(node, `imports services/${module} for its values (use \`import type\`)`);
    for (const name of names) {
      if (allowed.includes(name)) usedAllowances.add(`${module}:${name}`);
      else report(node, `imports the value ${name} from services/${module} (use \`import type\`, or resolve it in src/resolvers/)`);
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const module = serviceModule(file, node.moduleSpecifier.text);
      const clause = node.importClause;
      if (module && !clause?.isTypeOnly) {
        const bindings = clause?.namedBindings;
        if (!clause || clause.name || (bindings && ts.isNamespaceImport(bindings))) checkValueImport(node, module, null);
        else if (bindings)
          checkValueImport(
            node,
            module,
            bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text),
          );
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const module = serviceModule(file, node.moduleSpecifier.text);
      if (module && !node.isTypeOnly) {
        const clause = node.exportClause;
        if (!clause || !ts.isNamedExports(clause)) checkValueImport(node, module, null);
        else
          checkValueImport(
            node,
            module,
            clause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text),
          );
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (!specifier || !ts.isStringLiteral(specifier) || serviceModule(file, specifier.text)) report(node, 'imports a module at run time');
    } else if (ts.isPropertyAccessExpression(node) && SERVICE_CONTEXT_KEYS.has(node.name.text)) {
      report(node, `reads .${node.name.text} (a service call belongs in src/resolvers/)`);
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteral(node.argumentExpression) &&
      SERVICE_CONTEXT_KEYS.has(node.argumentExpression.text)
    ) {
      report(node, `reads ['${node.argumentExpression.text}'] (a service call belongs in src/resolvers/)`);
    } else if (ts.isBindingElement(node)) {
      const key = node.propertyName ?? node.name;
      if ((ts.isIdentifier(key) || ts.isStringLiteral(key)) && SERVICE_CONTEXT_KEYS.has(key.text)) {
        report(node, `destructures ${key.text} (a service call belongs in src/resolvers/)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

describe('layers: src/schema/ declares, src/resolvers/ resolves', () => {
  it('finds the schema files', () => {
    expect(schemaFiles.map((f) => path.basename(f))).toContain('builder.ts');
  });

  it('no file in src/schema/ calls a service or imports a service value', () => {
    const used = new Set<string>();
    const findings = schemaFiles.flatMap((file) => findingsIn(file, used));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.problem}`)).toEqual([]);
    // An allowance nobody uses any more goes, so the list stays the short list of real exceptions.
    const allowances = Object.entries(ALLOWED_VALUE_IMPORTS).flatMap(([module, names]) => names.map((name) => `${module}:${name}`));
    expect(
      allowances.filter((a) => !used.has(a)),
      'unused entries in ALLOWED_VALUE_IMPORTS',
    ).toEqual([]);
  });

  it('every Node type declared in src/schema/ has its node(id:) loader from src/resolvers/', () => {
    const nodeTypes = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'),
    );
    expect(nodeTypes.length).toBeGreaterThan(0);
    const withoutLoader = nodeTypes
      .map((type) => type.name)
      .filter((name) => typeof (builder.configStore.getTypeConfig(name).pothosOptions as { loadOne?: unknown }).loadOne !== 'function');
    expect(withoutLoader, 'Node types without loadNodeWith(...) in src/resolvers/').toEqual([]);
  });
});
