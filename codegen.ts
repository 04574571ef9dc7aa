// Typed GraphQL documents for the tests (and, later, partner clients), built from the committed
// schema.graphql. Documents are the `graphql(`…`)` calls in test/.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Decimal: 'string', CurrencyCode: 'string', ID: 'string' },
      },
    },
  },
};

export default config;
