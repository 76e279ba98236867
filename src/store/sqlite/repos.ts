// The SQLite adapter's repositories, one per family of the port (src/store/ports/).
import type { MonitoringRepos, Repos } from '../port.js';
import type { SqliteContext } from './context.js';
import { sqliteSlackSeen } from './slack-seen.js';
import { sqliteEvaluations, sqliteMonitors } from './monitors.js';
import { sqliteChannels } from './channels.js';
import { sqliteAlerts } from './alerts.js';
import { sqliteOutbox } from './outbox.js';
import { sqliteLiveness } from './liveness.js';
import { sqliteModels } from './models.js';
import { sqliteVersions } from './versions.js';
import { sqliteSegments } from './segments.js';
import { sqliteApiKeys } from './keys.js';
import { sqliteAudit } from './audit.js';
import { sqliteClaims } from './claims.js';
import { sqliteData } from './data/repo.js';

/** Builds every repository on one connection. */
export function sqliteRepos(ctx: SqliteContext): Repos & MonitoringRepos {
  const models = sqliteModels(ctx);
  return {
    slackSeen: sqliteSlackSeen(ctx),
    monitors: sqliteMonitors(ctx),
    evaluations: sqliteEvaluations(ctx),
    channels: sqliteChannels(ctx),
    alerts: sqliteAlerts(ctx),
    outbox: sqliteOutbox(ctx),
    liveness: sqliteLiveness(ctx),
    models,
    versions: sqliteVersions(ctx),
    segments: sqliteSegments(ctx),
    apiKeys: sqliteApiKeys(ctx),
    audit: sqliteAudit(ctx),
    claims: sqliteClaims(ctx),
    data: sqliteData(ctx, models),
  };
}
