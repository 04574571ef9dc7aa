// Layer rules for src/ (docs/architecture.md), checked by `npm run lint`:
//   npx depcruise src --config .dependency-cruiser.cjs
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import loop makes module load order matter and ties the modules in it into one unit; break it with a shared module of types/words.',
      from: { pathNot: '^src/generated/' },
      to: { circular: true, pathNot: '^src/generated/' },
    },
    {
      name: 'services-not-to-api-layers',
      severity: 'error',
      comment:
        'Services are the domain layer: they must not depend on the GraphQL schema, the resolvers or the HTTP/WebSocket server above them.',
      from: { path: '^src/services/' },
      to: { path: '^src/(schema|resolvers|server)/' },
    },
    {
      name: 'services-not-to-graphql-schema',
      severity: 'error',
      comment:
        'src/graphqlSchema.ts assembles the API; a service importing it would pull the whole API layer (and its loops) into the domain layer.',
      from: { path: '^src/services/' },
      to: { path: '^src/graphqlSchema\\.ts$' },
    },
    {
      name: 'db-not-to-services',
      severity: 'error',
      comment:
        'src/db/ is the infrastructure below the services (connections, migrations, SQL helpers); it must not reach up into domain code.',
      from: { path: '^src/db/' },
      to: { path: '^src/services/' },
    },
    {
      name: 'schema-imports-services-as-types-only',
      severity: 'error',
      comment:
        'src/schema/ declares the API and src/resolvers/ calls services: schema files take only types from src/services/ (import type), except the pure API-word modules also allowed by test/unit/layers.test.ts.',
      from: { path: '^src/schema/' },
      to: {
        path: '^src/services/',
        // The modules test/unit/layers.test.ts ALLOWED_VALUE_IMPORTS lets src/schema/ take values from
        // (the test checks the exact names; this rule only checks the module).
        pathNot:
          '^src/services/(errors|ids|money/money|compliance/limits|paymentMethods/paymentMethods|insights/categories|notifications/notices)\\.ts$',
        // `import type {…}`, `import {type A, type B}` and `import('…').T` do not load the module at run time.
        dependencyTypesNot: ['type-only', 'type-import'],
      },
    },
    {
      name: 'ledger-through-its-front-door',
      severity: 'error',
      comment:
        'Other modules use the ledger through src/services/ledger/ledger.ts; its posting-function contract, in-transaction writes and refusal table are its own (docs/ledger.md).',
      from: { pathNot: '^src/services/ledger/' },
      to: { path: '^src/services/ledger/(postingFunction|ledgerTransaction|refusals)\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve hides its target from every other rule (and fails at run time).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Resolved and recorded as leaves, but not cruised further: node_modules, and Prisma's generated
    // client (src/generated/, gitignored, from `npm run generate`), whose modules import each other in loops.
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    // See `import type` dependencies too (the TypeScript compiler would drop them), so the rules can
    // tell type-only imports from value imports.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
