// ApiKeysRepo on PostgreSQL (a key is checked on every request: one indexed lookup). Inside
// a transaction byId locks the row, as models' lookups do (see models.ts).
import { sql } from 'drizzle-orm';
import type { ApiKeyRecord, Role } from '../../domain/api-key.js';
import type { ApiKeysRepo } from '../ports/keys.js';
import type { PgContext } from './context.js';
import { int8, int8OrNull } from './int8.js';

interface Row extends Record<string, unknown> {
  id: number;
  name: string;
  role: string;
  created_at: unknown;
  revoked_at: unknown;
}

const COLUMNS = sql.raw('id, name, role, created_at, revoked_at');

function toRecord(r: Row): ApiKeyRecord {
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: int8(r.created_at), revokedAt: int8OrNull(r.revoked_at) };
}

/** The PostgreSQL api_keys repository. */
export function pgApiKeys({ tx }: PgContext): ApiKeysRepo {
  return {
    create: async (k) =>
      toRecord(
        (await tx.q().execute<Row>(sql`INSERT INTO api_keys (name, role, secret_hash, created_at)
          VALUES (${k.name}, ${k.role}, ${k.secretHash}, ${k.createdAt}) RETURNING ${COLUMNS}`)).rows[0]!,
      ),
    byId: async (id) => {
      const r = (await tx.q().execute<Row>(sql`SELECT ${COLUMNS} FROM api_keys WHERE id = ${id}${tx.inside() ? sql` FOR UPDATE` : sql``}`)).rows[0];
      return r ? toRecord(r) : null;
    },
    revoke: async (id, at) => {
      await tx.q().execute(sql`UPDATE api_keys SET revoked_at = ${at} WHERE id = ${id} AND revoked_at IS NULL`);
    },
    list: async () => (await tx.q().execute<Row>(sql`SELECT ${COLUMNS} FROM api_keys ORDER BY id`)).rows.map(toRecord),
    activeCount: async () => int8((await tx.q().execute<{ n: unknown }>(sql`SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL`)).rows[0]!.n),
    activeByHash: async (secretHash) => {
      const r = (await tx.q().execute<{ name: string; role: string }>(sql`SELECT name, role FROM api_keys WHERE secret_hash = ${secretHash} AND revoked_at IS NULL`)).rows[0];
      return r ? { name: r.name, role: r.role as Role } : null;
    },
  };
}
