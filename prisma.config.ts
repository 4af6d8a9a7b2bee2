// Read by the Prisma CLI (`prisma generate`). Migrations do not go through the CLI (it needs a native
// engine download): they run through src/infra/prisma/migrate, which reads the same paths.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Never `env('DATABASE_URL')`: it throws when unset, and `generate` needs no database.
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/quorum' },
});
