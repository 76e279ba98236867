// Alerts over GraphQL: queries, the operator's three actions, and an alert's history
// and deliveries.
import type { Resolvers } from '../generated/resolvers.js';
import { acknowledgeAlert, getAlert, listAlertEvents, listAlerts, resolveAlert, snoozeAlert } from '../../services/alerts.js';
import { getMonitor } from '../../services/monitors.js';
import { findModelById } from '../../services/models.js';
import { listDeliveries } from '../../services/outbox.js';
import { idOf } from './monitors.js';

export const alertsResolvers: Resolvers = {
  Query: {
    alerts: (_p, { model, status }, ctx) => {
      ctx.requireRole('VIEWER');
      return listAlerts(ctx.deps, { model: model ?? null, status: status ?? null });
    },
    alert: (_p, { id }, ctx) => {
      ctx.requireRole('VIEWER');
      return getAlert(ctx.deps, idOf(id));
    },
  },
  Mutation: {
    acknowledgeAlert: (_p, { id, note }, ctx) => acknowledgeAlert(ctx.deps, ctx.requireRole('EDITOR'), idOf(id), note),
    snoozeAlert: (_p, { id, until }, ctx) => snoozeAlert(ctx.deps, ctx.requireRole('EDITOR'), idOf(id), until.getTime()),
    resolveAlert: (_p, { id, note }, ctx) => resolveAlert(ctx.deps, ctx.requireRole('EDITOR'), idOf(id), note),
  },
  Alert: {
    id: (a) => String(a.id),
    monitor: async (a, _x, ctx) => (await getMonitor(ctx.deps, a.monitorId))!,
    model: async (a, _x, ctx) => (await findModelById(ctx.deps, a.modelId))!,
    events: (a, _x, ctx) => listAlertEvents(ctx.deps, a.id),
    deliveries: (a, _x, ctx) => listDeliveries(ctx.deps, a.id),
  },
  Model: {
    alerts: (model, { status }, ctx) => listAlerts(ctx.deps, { modelId: model.id, status: status ?? null }),
  },
};
