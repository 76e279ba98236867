// drizzle-kit's config for the SQLite store (the default). The PostgreSQL store has its own,
// drizzle.postgres.config.ts; `npm run db:generate` runs both.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema/*.ts',
  out: './drizzle/sqlite',
  dbCredentials: { url: process.env.GLASSBOX_DB ?? './data/glassbox.db' },
});
