// ApiKeysRepo on SQLite: prepared statements (a key is checked on every request).
import type { ApiKeyRecord, Role } from '../../domain/api-key.js';
import type { ApiKeysRepo } from '../ports/keys.js';
import type { SqliteContext } from './context.js';

interface Row {
  id: number;
  name: string;
  role: string;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, role, created_at, revoked_at';

function toRecord(r: Row): ApiKeyRecord {
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/** The SQLite api_keys repository. */
export function sqliteApiKeys({ tx, statement }: SqliteContext): ApiKeysRepo {
  return {
    create: (k) =>
      tx.exec(() =>
        toRecord(
          statement<[string, string, string, number], Row>(`INSERT INTO api_keys (name, role, secret_hash, created_at) VALUES (?, ?, ?, ?) RETURNING ${COLUMNS}`).get(
            k.name,
            k.role,
            k.secretHash,
            k.createdAt,
          )!,
        ),
      ),
    byId: (id) =>
      tx.exec(() => {
        const r = statement<[number], Row>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`).get(id);
        return r ? toRecord(r) : null;
      }),
    revoke: (id, at) =>
      tx.exec(() => {
        statement<[number, number]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
      }),
    list: () => tx.exec(() => statement<[], Row>(`SELECT ${COLUMNS} FROM api_keys ORDER BY id`).all().map(toRecord)),
    activeCount: () => tx.exec(() => statement<[], { n: number }>('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL').get()!.n),
    activeByHash: (secretHash) =>
      tx.exec(() => {
        const r = statement<[string], { name: string; role: string }>('SELECT name, role FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL').get(secretHash);
        return r ? { name: r.name, role: r.role as Role } : null;
      }),
  };
}
