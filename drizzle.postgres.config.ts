// drizzle-kit's config for the PostgreSQL store. The partitioned events table is a custom
// migration (drizzle-kit cannot declare partitioning): see docs/postgres.md.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema/*.ts',
  out: './drizzle/postgres',
  dbCredentials: { url: process.env.GLASSBOX_DB ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
});
