// Prisma CLI configuration. The CLI would otherwise try to download a native schema engine,
// which this project never needs: migrations are applied by src/db/migrate.ts, and
// `prisma generate` only needs the (JS) client generator.
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/true';
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
