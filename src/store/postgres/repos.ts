// The PostgreSQL adapter's repositories, one per family of the port (src/store/ports/).
import type { MonitoringRepos, Repos } from '../port.js';
import type { PgContext } from './context.js';
import { pgSlackSeen } from './slack-seen.js';
import { pgModels } from './models.js';
import { pgVersions } from './versions.js';
import { pgSegments } from './segments.js';
import { pgApiKeys } from './keys.js';
import { pgAudit } from './audit.js';
import { pgLiveness } from './liveness.js';
import { pgEvaluations, pgMonitors } from './monitors.js';
import { pgChannels } from './channels.js';
import { pgAlerts } from './alerts.js';
import { pgOutbox } from './outbox.js';
import { pgClaims } from './claims.js';
import { pgData } from './data/repo.js';

/** Builds every repository on one pool. */
export function postgresRepos(ctx: PgContext): Repos & MonitoringRepos {
  return {
    slackSeen: pgSlackSeen(ctx),
    models: pgModels(ctx),
    versions: pgVersions(ctx),
    segments: pgSegments(ctx),
    apiKeys: pgApiKeys(ctx),
    audit: pgAudit(ctx),
    liveness: pgLiveness(ctx),
    monitors: pgMonitors(ctx),
    evaluations: pgEvaluations(ctx),
    channels: pgChannels(ctx),
    alerts: pgAlerts(ctx),
    outbox: pgOutbox(ctx),
    claims: pgClaims(ctx),
    data: pgData(ctx),
  };
}
