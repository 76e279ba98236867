// API keys: stored by the hash of their secret, revoked by setting revokedAt.
import type { ApiKeyRecord, Role } from '../../domain/api-key.js';

export interface ApiKeysRepo {
  /** Stores a key (active); its record. */
  create(key: { name: string; role: Role; secretHash: string; createdAt: number }): Promise<ApiKeyRecord>;
  /** The key with that id, revoked or not, or null. */
  byId(id: number): Promise<ApiKeyRecord | null>;
  /** Sets revokedAt on a key not yet revoked (a revoked key keeps its first time). */
  revoke(id: number, at: number): Promise<void>;
  /** All keys, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** How many keys are not revoked. Runs on requests without a key: keep it cheap. */
  activeCount(): Promise<number>;
  /** The name and role of the active key with this secret hash, or null. Runs on every request with a key: keep it cheap. */
  activeByHash(secretHash: string): Promise<{ name: string; role: Role } | null>;
}
