// The SQLite adapter's repositories, one per family of the port (src/store/ports/).
import type { Repos } from '../port.js';
import type { SqliteContext } from './context.js';
import { sqliteSlackSeen } from './slack-seen.js';
import { sqliteLiveness } from './liveness.js';
import { sqliteModels } from './models.js';
import { sqliteApiKeys } from './keys.js';
import { sqliteAudit } from './audit.js';

/** Builds every repository on one connection. */
export function sqliteRepos(ctx: SqliteContext): Repos {
  return {
    slackSeen: sqliteSlackSeen(ctx),
    liveness: sqliteLiveness(ctx),
    models: sqliteModels(ctx),
    apiKeys: sqliteApiKeys(ctx),
    audit: sqliteAudit(ctx),
  };
}
