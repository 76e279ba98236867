// Each subcommand -> the services that know the answer -> a pure builder. Thin on
// purpose: the numbers come from the same functions GraphQL and the monitors use.
import type { ModelRecord } from '../domain/model.js';
import { listAlerts } from '../services/alerts.js';
import type { Deps } from '../services/deps.js';
import { drift, modelHealth, outputDrift, performance, series, traffic, type Granularity } from '../services/metrics.js';
import { findModel, listModels } from '../services/models.js';
import { alertView } from './alert-port.js';
import { alertListMessage } from './blocks/alert-list.js';
import { compareMessage, type VersionColumn } from './blocks/compare.js';
import { driftMessage, sortDriftWorstFirst } from './blocks/drift.js';
import { whyMessage } from './blocks/why.js';
import { featureImportance } from '../services/explanations.js';
import { helpMessage, unknownModelMessage } from './blocks/help.js';
import { modelsMessage } from './blocks/models.js';
import { headlineMetric, performanceMessage, type EstimatedNumbers, type PerformanceNumbers } from './blocks/performance.js';
import { statusMessage } from './blocks/status.js';
import { closestNames } from './closest-names.js';
import { answerChart, chartOrNone } from './answer-charts.js';
import type { Answer } from './context.js';
import type { Command } from './parse-command.js';
import { HOUR_MS } from '../domain/time.js';

const HOUR = HOUR_MS;
const DAY = 24 * HOUR;
const OPEN = ['FIRING', 'ACKNOWLEDGED', 'SNOOZED'] as const;

// Hourly points read well up to two days; beyond, one point a day.
const granularityFor = (windowMs: number): Granularity => (windowMs <= 2 * DAY ? 'HOUR' : 'DAY');

async function lookup(deps: Deps, name: string): Promise<ModelRecord | Answer> {
  const model = await findModel(deps, name) ?? (await findModel(deps, name.toLowerCase()));
  if (model) return model;
  const names = (await listModels(deps)).map((m) => m.name);
  return { message: unknownModelMessage(name, closestNames(name, names), names), visible: false };
}

const isAnswer = (x: ModelRecord | Answer): x is Answer => 'message' in x;

async function modelsAnswer(deps: Deps): Promise<Answer> {
  const now = deps.clock.now();
  const rows = [];
  for (const m of await listModels(deps)) {
    const health = await modelHealth(deps, m);
    const t = await traffic(deps, m, now - DAY, now);
    rows.push({ name: m.name, task: m.task, health: health.status, openAlerts: health.openAlerts.length, events24h: t.predictionCount });
  }
  return { message: modelsMessage(rows), visible: true };
}

/** The measured numbers (the estimate, where there is one, is passed beside them). */
function measured(perf: Awaited<ReturnType<typeof performance>>): PerformanceNumbers {
  const { estimated: _estimate, ...numbers } = perf;
  return numbers;
}

async function statusAnswer(deps: Deps, model: ModelRecord): Promise<Answer> {
  const now = deps.clock.now();
  const health = await modelHealth(deps, model);
  const t = await traffic(deps, model, now - DAY, now);
  const counts = await series(deps, model, { metric: 'PREDICTION_COUNT', from: now - DAY, to: now, granularity: 'HOUR' });
  const output = await outputDrift(deps, model, now - DAY, now);
  const featureDrift = await drift(deps, model, now - DAY, now);
  const rows = [...featureDrift, ...(output ? [output] : [])];
  const perf = await performance(deps, model, now - 7 * DAY, now);
  const head = headlineMetric(model.task);
  const numbers = measured(perf);
  const value = numbers[head.field] ?? null;
  const trend =
    perf.labeledCount > 0
      ? (await series(deps, model, { metric: head.metric, from: now - 7 * DAY, to: now, granularity: 'DAY' })).map((p) => p.value)
      : undefined;
  // the chart: the worst drifting feature's PSI when there is drift to show, else the traffic
  const worst = sortDriftWorstFirst(featureDrift).find((r) => r.psi !== null);
  const chart = () => chartOrNone(deps, async () =>
    worst
      ? answerChart(deps, {
          model,
          metric: 'PSI',
          feature: worst.feature,
          from: now - DAY,
          to: now,
          window: 'last 24h',
          points: await series(deps, model, { metric: 'PSI', feature: worst.feature, from: now - DAY, to: now, granularity: 'HOUR' }),
        })
      : answerChart(deps, { model, metric: 'PREDICTION_COUNT', from: now - DAY, to: now, window: 'last 24h', points: counts }),
  );
  const message = statusMessage({
    model: model.name,
    task: model.task,
    health: health.status,
    summary: health.summary,
    events24h: t.predictionCount,
    trafficTrend: counts.map((p) => p.sampleSize),
    openAlerts: health.openAlerts.map((a) => alertView(a)),
    hasBaseline: output !== null,
    drift: rows,
    performance: { metric: head.metric, value, labeled: perf.labeledCount, ...(trend ? { trend } : {}) },
    now,
  });
  return { message, visible: true, chart };
}

async function alertsAnswer(deps: Deps, model: ModelRecord | null): Promise<Answer> {
  const open = await listAlerts(deps, { ...(model ? { modelId: model.id } : {}), status: [...OPEN] });
  return { message: alertListMessage(open.map((a) => alertView(a)), deps.clock.now(), model?.name), visible: true };
}

async function driftAnswer(deps: Deps, model: ModelRecord, window: string, windowMs: number): Promise<Answer> {
  const to = deps.clock.now();
  const from = to - windowMs;
  const rows = await drift(deps, model, from, to);
  const output = await outputDrift(deps, model, from, to);
  const worst = sortDriftWorstFirst(rows).find((r) => r.psi !== null);
  const points = worst ? await series(deps, model, { metric: 'PSI', feature: worst.feature, from, to, granularity: granularityFor(windowMs) }) : undefined;
  const trend = points?.map((p) => p.value);
  const chart = worst && points ? () => chartOrNone(deps, () => answerChart(deps, { model, metric: 'PSI', feature: worst.feature, from, to, window: `last ${window}`, points })) : undefined;
  const message = driftMessage({
    model: model.name,
    window,
    rows,
    output,
    hasBaseline: output !== null,
    ...(worst && trend ? { trend: { feature: worst.feature, values: trend } } : {}),
  });
  return { message, visible: true, ...(chart ? { chart } : {}) };
}

async function performanceAnswer(deps: Deps, model: ModelRecord, window: string, windowMs: number): Promise<Answer> {
  const to = deps.clock.now();
  const from = to - windowMs;
  const perf = await performance(deps, model, from, to);
  // no label yet but an estimate: chart the estimated AUC (the ranking, which the estimate follows best)
  const estimatedOnly = perf.labeledCount === 0 && perf.estimated !== null && perf.estimated.sampleSize > 0 && perf.estimated.auc !== null;
  const metric = estimatedOnly ? 'ESTIMATED_AUC' : headlineMetric(model.task).metric;
  const points = perf.labeledCount > 0 || estimatedOnly ? await series(deps, model, { metric, from, to, granularity: granularityFor(windowMs) }) : undefined;
  const trend = points?.map((p) => p.value);
  const chart = points ? () => chartOrNone(deps, () => answerChart(deps, { model, metric, from, to, window: `last ${window}`, points })) : undefined;
  const message = performanceMessage({
    model: model.name,
    task: model.task,
    window,
    perf: measured(perf),
    estimated: perf.estimated as EstimatedNumbers | null,
    ...(trend ? { trend: { metric, values: trend } } : {}),
  });
  return { message, visible: true, ...(chart ? { chart } : {}) };
}

async function versionColumn(deps: Deps, model: ModelRecord, version: string, from: number, to: number): Promise<VersionColumn> {
  const scope = { version };
  const { estimated: _estimate, ...perf } = await performance(deps, model, from, to, scope);
  const output = await outputDrift(deps, model, from, to, scope);
  return { version, perf, drift: await drift(deps, model, from, to, scope), hasBaseline: output !== null };
}

async function compareAnswer(deps: Deps, model: ModelRecord, versions: [string, string], window: string, windowMs: number): Promise<Answer> {
  const to = deps.clock.now();
  const from = to - windowMs;
  const columns: [VersionColumn, VersionColumn] = [await versionColumn(deps, model, versions[0], from, to), await versionColumn(deps, model, versions[1], from, to)];
  return { message: compareMessage({ model: model.name, task: model.task, window, columns }), visible: true };
}

async function whyAnswer(deps: Deps, model: ModelRecord, window: string, windowMs: number): Promise<Answer> {
  const to = deps.clock.now();
  const from = to - windowMs;
  const rows = await drift(deps, model, from, to);
  const output = await outputDrift(deps, model, from, to);
  const importance = new Map((await featureImportance(deps, model, from, to)).map((f) => [f.feature, f]));
  const message = whyMessage({
    model: model.name,
    window,
    rows: rows.map((r) => ({ feature: r.feature, psi: r.psi, baselineShare: importance.get(r.feature)?.baselineShare ?? null, impact: r.impact ?? null })),
    hasBaseline: output !== null,
    hasAttributions: [...importance.values()].some((f) => f.baselineShare !== null),
    events: (await traffic(deps, model, from, to)).predictionCount,
  });
  return { message, visible: true };
}

/** The answerer of every subcommand; unknown models get suggestions, never an error. */
export function createAnswers(deps: Deps): (cmd: Command) => Promise<Answer> {
  return async (cmd) => {
    switch (cmd.kind) {
      case 'help':
        return { message: helpMessage(cmd.note), visible: false };
      case 'models':
        return modelsAnswer(deps);
      case 'alerts': {
        if (!cmd.model) return alertsAnswer(deps, null);
        const m = await lookup(deps, cmd.model);
        return isAnswer(m) ? m : alertsAnswer(deps, m);
      }
      case 'compare': {
        const m = await lookup(deps, cmd.model);
        return isAnswer(m) ? m : compareAnswer(deps, m, cmd.versions, cmd.window, cmd.windowMs);
      }
      case 'why': {
        const m = await lookup(deps, cmd.model);
        return isAnswer(m) ? m : whyAnswer(deps, m, cmd.window, cmd.windowMs);
      }
      case 'status':
      case 'drift':
      case 'performance': {
        const m = await lookup(deps, cmd.model);
        if (isAnswer(m)) return m;
        if (cmd.kind === 'status') return statusAnswer(deps, m);
        if (cmd.kind === 'drift') return driftAnswer(deps, m, cmd.window, cmd.windowMs);
        return performanceAnswer(deps, m, cmd.window, cmd.windowMs);
      }
    }
  };
}
