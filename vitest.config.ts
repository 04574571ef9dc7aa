import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql for ESM and CJS importers, or "Cannot use GraphQLSchema from another realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // A migrated template database for the run (test servers start from a copy of it).
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Files in one worker share its module cache: each file used to load the whole server again
    // (Prisma's client, Apollo, the schema), a third of the run. Tests keep no state in modules:
    // every test server is its own instance with its own database, and fake timers are restored.
    isolate: false,
    reporters: ['default'],
  },
});
