// API keys: secrets are random, shown once, stored as SHA-256 (a fast hash is right for
// 256-bit random secrets; there is nothing to brute-force).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, asc, count } from 'drizzle-orm';
import { apiKeys } from '../db/schema/index.js';
import { badInput, notFound } from '../errors.js';
import { recordAudit } from './audit.js';
import type { Actor, Deps, Role } from './deps.js';

export interface ApiKeyRecord {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

function toRecord(r: typeof apiKeys.$inferSelect): ApiKeyRecord {
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: r.createdAt, revokedAt: r.revokedAt };
}

/** Creates a key; the returned secret exists nowhere else afterwards. */
export async function createApiKey(
  deps: Deps,
  actor: Actor,
  name: string,
  role: Role,
): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
  if (!name.trim() || name.length > 100) throw badInput('name', 'must be 1-100 characters');
  if (name.startsWith('slack:') || name === 'local' || name === 'admin') {
    throw badInput('name', `"${name}" is reserved (local, admin and slack:* name built-in actors)`);
  }
  const secret = `gbx_${randomBytes(32).toString('base64url')}`;
  const now = deps.clock.now();
  const row = deps.store.db.transaction((tx) => {
    const r = tx.insert(apiKeys).values({ name, role, secretHash: hash(secret), createdAt: now }).returning().get();
    recordAudit(tx, now, actor, 'createApiKey', name, { id: r.id, name, role });
    return r;
  });
  return { apiKey: toRecord(row), secret };
}

/** Revokes a key at once; NOT_FOUND for an unknown id. Idempotent for revoked keys. */
export async function revokeApiKey(deps: Deps, actor: Actor, id: number): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.db.transaction((tx) => {
    const row = tx.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
    if (!row) throw notFound(`API key ${id}`);
    if (row.revokedAt === null) tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, id)).run();
    recordAudit(tx, now, actor, 'revokeApiKey', row.name, { id });
    return true;
  });
}

/** All keys, revoked ones included, oldest first. */
export async function listApiKeys(deps: Deps): Promise<ApiKeyRecord[]> {
  return deps.store.db.select().from(apiKeys).orderBy(asc(apiKeys.id)).all().map(toRecord);
}

/** How many keys are not revoked: local mode ends with the first and comes back after the last. */
export function activeKeyCount(deps: Deps): number {
  return deps.store.db.select({ n: count() }).from(apiKeys).where(isNull(apiKeys.revokedAt)).get()?.n ?? 0;
}

/**
 * The actor a presented secret stands for, or null for an unknown or revoked secret.
 * The bootstrap admin key is compared in constant time.
 */
export function authenticate(deps: Deps, secret: string, adminKey: string | undefined): Actor | null {
  if (adminKey) {
    const a = Buffer.from(hash(adminKey));
    const b = Buffer.from(hash(secret));
    if (timingSafeEqual(a, b)) return { name: 'admin', role: 'ADMIN' };
  }
  const row = deps.store.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, hash(secret)), isNull(apiKeys.revokedAt)))
    .get();
  return row ? { name: row.name, role: row.role as Role } : null;
}
