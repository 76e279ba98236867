// The PostgreSQL adapter's repositories, one per family of the port (src/store/ports/).
import type { Repos } from '../port.js';
import type { PgContext } from './context.js';
import { pgSlackSeen } from './slack-seen.js';
import { pgModels } from './models.js';
import { pgApiKeys } from './keys.js';
import { pgAudit } from './audit.js';
import { pgLiveness } from './liveness.js';

/** Builds every repository on one pool. */
export function postgresRepos(ctx: PgContext): Repos {
  return {
    slackSeen: pgSlackSeen(ctx),
    models: pgModels(ctx),
    apiKeys: pgApiKeys(ctx),
    audit: pgAudit(ctx),
    liveness: pgLiveness(ctx),
  };
}
