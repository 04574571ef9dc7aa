// Typed GraphQL documents built from the committed schema.graphql: for the tests (the `graphql(`…`)`
// calls in test/), and for each partner client in partners/<client>/, whose output also holds
// persisted-documents.json: the client's trusted documents, by sha256 id (docs/partners.md).
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
  },
};

export default config;
