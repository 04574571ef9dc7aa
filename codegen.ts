// Typed GraphQL documents built from the committed schema.graphql: for the tests (the `graphql(`…`)`
// calls in test/), and for each partner client in partners/<client>/, whose output also holds
// persisted-documents.json: the client's trusted documents, by sha256 id (docs/partners.md); and
// for the web app in web/src/ (committed, like the partner's, so a fresh clone builds it).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      documents: ['test/**/*.ts', '!test/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Decimal: 'string', CurrencyCode: 'string', ID: 'string' },
      },
    },
    'partners/example/gql/': {
      documents: ['partners/example/*.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Decimal: 'string', CurrencyCode: 'string', ID: 'string' },
      },
    },
    'web/src/gql/': {
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Decimal: 'string', CurrencyCode: 'string', ID: 'string', BigInt: 'string' },
      },
    },
  },
};

export default config;
