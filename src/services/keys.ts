// API keys: secrets are random, shown once, stored as SHA-256 (a fast hash is right for
// 256-bit random secrets; there is nothing to brute-force).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from '../domain/api-key.js';
import { badInput, notFound } from '../errors.js';
import { writeAudit } from './audit.js';
import type { Actor, Deps, Role } from './deps.js';

export type { ApiKeyRecord };

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

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
  const { store } = deps;
  const apiKey = await store.transaction(async () => {
    const k = await store.apiKeys.create({ name, role, secretHash: hash(secret), createdAt: now });
    await writeAudit(deps, now, actor, 'createApiKey', name, { id: k.id, name, role });
    return k;
  });
  return { apiKey, secret };
}

/** Revokes a key at once; NOT_FOUND for an unknown id. Idempotent for revoked keys. */
export async function revokeApiKey(deps: Deps, actor: Actor, id: number): Promise<boolean> {
  const now = deps.clock.now();
  const { store } = deps;
  return store.transaction(async () => {
    const k = await store.apiKeys.byId(id);
    if (!k) throw notFound(`API key ${id}`);
    await store.apiKeys.revoke(id, now);
    await writeAudit(deps, now, actor, 'revokeApiKey', k.name, { id });
    return true;
  });
}

/** All keys, revoked ones included, oldest first. */
export async function listApiKeys(deps: Deps): Promise<ApiKeyRecord[]> {
  return deps.store.apiKeys.list();
}

/** How many keys are not revoked: local mode ends with the first and comes back after the last. */
export function activeKeyCount(deps: Deps): Promise<number> {
  return deps.store.apiKeys.activeCount();
}

/**
 * The actor a presented secret stands for, or null for an unknown or revoked secret.
 * The bootstrap admin key is compared in constant time. Runs on every request with a key.
 */
export async function authenticate(deps: Deps, secret: string, adminKey: string | undefined): Promise<Actor | null> {
  const presented = hash(secret);
  if (adminKey && timingSafeEqual(Buffer.from(hash(adminKey)), Buffer.from(presented))) return { name: 'admin', role: 'ADMIN' };
  return deps.store.apiKeys.activeByHash(presented);
}
