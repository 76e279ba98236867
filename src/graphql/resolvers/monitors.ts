// Monitors over GraphQL: parse, call one service, shape the answer.
import type { Resolvers } from '../generated/resolvers.js';
import { notFound } from '../../errors.js';
import {
  createMonitor,
  deleteMonitor,
  getMonitor,
  lastEvaluation,
  listEvaluations,
  listMonitors,
  modelOfMonitor,
  monitorChannelList,
  updateMonitor,
} from '../../services/monitors.js';
import { backtestMonitor, evaluateMonitor } from '../../services/evaluation.js';
import { openAlertOf } from '../../services/alerts.js';

/** A GraphQL ID as a row id; NaN (found nowhere) for anything that is not one. */
export const idOf = (id: string | number): number => (/^\d{1,15}$/.test(String(id)) ? Number(id) : Number.NaN);

export const monitorsResolvers: Resolvers = {
  Query: {
    monitors: (_p, { model }, ctx) => {
      ctx.requireRole('VIEWER');
      return listMonitors(ctx.deps, { model: model ?? null });
    },
    monitor: (_p, { id }, ctx) => {
      ctx.requireRole('VIEWER');
      return getMonitor(ctx.deps, idOf(id));
    },
  },
  Mutation: {
    createMonitor: (_p, { input }, ctx) => createMonitor(ctx.deps, ctx.requireRole('EDITOR'), input),
    updateMonitor: (_p, { id, input }, ctx) => updateMonitor(ctx.deps, ctx.requireRole('EDITOR'), idOf(id), input),
    deleteMonitor: (_p, { id }, ctx) => deleteMonitor(ctx.deps, ctx.requireRole('EDITOR'), idOf(id)),
    evaluateMonitor: async (_p, { id, at }, ctx) => {
      const actor = ctx.requireRole('EDITOR');
      const n = idOf(id);
      if (!(await getMonitor(ctx.deps, n))) throw notFound(`monitor ${id}`);
      return evaluateMonitor(ctx.deps, n, at ? at.getTime() : ctx.deps.clock.now(), { actor });
    },
    backtestMonitor: (_p, { input, from, to }, ctx) => {
      ctx.requireRole('EDITOR');
      return backtestMonitor(ctx.deps, input, from.getTime(), to.getTime());
    },
  },
  Monitor: {
    id: (m) => String(m.id),
    model: (m, _a, ctx) => modelOfMonitor(ctx.deps, m),
    channels: (m, _a, ctx) => monitorChannelList(ctx.deps, m.id),
    lastEvaluation: (m, _a, ctx) => lastEvaluation(ctx.deps, m.id),
    evaluations: (m, { limit }, ctx) => listEvaluations(ctx.deps, m.id, limit ?? 100),
    openAlert: (m, _a, ctx) => openAlertOf(ctx.deps, m.id),
  },
  Model: {
    monitors: (model, _a, ctx) => listMonitors(ctx.deps, { modelId: model.id }),
  },
};
