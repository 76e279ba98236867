// The governance report's facts over a window: every number read through the services
// the GraphQL API resolves with (metrics, baselines, monitors, alerts, audit), so the
// document and the API cannot disagree. Rendering is src/report/ (pure HTML).
import type { ModelRecord } from '../domain/model.js';
import { metricsOf } from '../domain/metrics/catalogue.js';
import { checkMetricQuery } from '../domain/metrics/metric-value.js';
import { DAY_MS } from '../domain/time.js';
import type { AuditRecord } from '../domain/audit.js';
import { listAlertEvents, listAlerts, type AlertEventRecord, type AlertRecord } from './alerts.js';
import { listAuditAbout } from './audit.js';
import { getBaseline, type BaselineInfo } from './baselines.js';
import type { Deps } from './deps.js';
import {
  checkWindow,
  drift,
  fairness,
  integrity,
  modelHealth,
  outputDrift,
  performance,
  series,
  traffic,
  type DriftResult,
  type FairnessResult,
  type Granularity,
  type IntegrityResult,
  type ModelHealth,
  type PerformanceResult,
  type SeriesPoint,
  type TrafficResult,
} from './metrics.js';
import { listEvaluations, listMonitors, type EvaluationRecord, type MonitorRecord } from './monitors.js';
import { requireModel } from './models.js';
import { listSegments, type SegmentRecord } from './segments.js';
import { currentVersionName, listVersions, versionBaseline, type ModelVersionRecord } from './versions.js';

/** The default window of a report: the last 30 days. */
export const REPORT_DEFAULT_MS = 30 * DAY_MS;
/** How many features get a drift chart (the highest PSI first). */
export const DRIFT_CHARTS = 4;
/** Hourly points up to three days (72 points), daily beyond. */
const HOURLY_UP_TO = 3 * DAY_MS;

export interface ReportData {
  generatedAt: number;
  from: number;
  to: number;
  granularity: Granularity;
  model: ModelRecord;
  health: ModelHealth;
  baseline: BaselineInfo | null;
  traffic: TrafficResult;
  trafficSeries: SeriesPoint[];
  drift: DriftResult[];
  outputDrift: DriftResult | null;
  /** PSI per bucket of the DRIFT_CHARTS features of highest PSI and of the output (feature null); empty without a baseline */
  driftSeries: Array<{ feature: string | null; points: SeriesPoint[] }>;
  integrity: IntegrityResult[];
  performance: PerformanceResult;
  /** the task's headline metric per bucket, when any event of the window is labelled */
  performanceSeries: { metric: string; points: SeriesPoint[] } | null;
  /** every protected attribute; empty when the task has no fairness metrics (not binary) */
  fairness: Array<{ result: FairnessResult; points: SeriesPoint[] }>;
  /** why a protected attribute has no fairness figures (the catalogue's words), or null */
  fairnessNote: string | null;
  monitors: Array<{ monitor: MonitorRecord; evaluations: EvaluationRecord[] }>;
  /** alerts open at some moment of the window, newest first, with their history */
  alerts: Array<{ alert: AlertRecord; events: AlertEventRecord[] }>;
  audit: AuditRecord[];
  /** the version events without modelVersion are attributed to, or null */
  currentVersion: string | null;
  /** oldest first, each with its own baseline (null: the model's) and its traffic and performance in the window */
  versions: Array<{ version: ModelVersionRecord; baseline: BaselineInfo | null; traffic: TrafficResult; performance: PerformanceResult }>;
  /** by name, each with its traffic and performance in the window */
  segments: Array<{ segment: SegmentRecord; traffic: TrafficResult; performance: PerformanceResult }>;
}

/** The granularity of a report's charts for a window. */
export function reportGranularity(from: number, to: number): Granularity {
  return to - from <= HOURLY_UP_TO ? 'HOUR' : 'DAY';
}

/** Everything the report shows about `modelName` over [from, to); NOT_FOUND / BAD_USER_INPUT as the API. */
export async function reportData(deps: Deps, modelName: string, from: number, to: number): Promise<ReportData> {
  checkWindow(from, to);
  const model = await requireModel(deps, modelName);
  const granularity = reportGranularity(from, to);
  const q = { from, to, granularity };
  const baseline = await getBaseline(deps, model.id);

  const [health, trafficNow, trafficSeries, driftRows, output, integrityRows, perf] = await Promise.all([
    modelHealth(deps, model),
    traffic(deps, model, from, to),
    series(deps, model, { ...q, metric: 'PREDICTION_COUNT' }),
    drift(deps, model, from, to),
    outputDrift(deps, model, from, to),
    integrity(deps, model, from, to),
    performance(deps, model, from, to),
  ]);

  // each series reads the window again: charts for the worst features and the output, every feature in the table
  const charted = [...driftRows]
    .filter((r) => r.psi !== null)
    .sort((a, b) => b.psi! - a.psi!)
    .slice(0, DRIFT_CHARTS)
    .map((r) => r.feature);
  const driftSeries = baseline
    ? await Promise.all([...charted, null].map(async (feature) => ({ feature, points: await series(deps, model, { ...q, metric: 'PSI', feature }) })))
    : [];

  const headline = metricsOf('performance', model.task)[0]!;
  const performanceSeries = perf.labeledCount > 0 ? { metric: headline, points: await series(deps, model, { ...q, metric: headline }) } : null;

  // the catalogue decides where fairness means something (binary classifiers); the report says why not elsewhere
  const protectedNames = model.features.filter((f) => f.protected).map((f) => f.name);
  const problems = protectedNames.map((a) => checkMetricQuery(model, 'DEMOGRAPHIC_PARITY_DIFFERENCE', null, a));
  const attributes = protectedNames.filter((_a, i) => problems[i] === null);
  const fairnessNote = problems.find((p) => p !== null)?.reason ?? null;
  const fairnessRows = await Promise.all(
    attributes.map(async (attribute) => ({
      result: await fairness(deps, model, attribute, from, to),
      points: await series(deps, model, { ...q, metric: 'DEMOGRAPHIC_PARITY_DIFFERENCE', attribute }),
    })),
  );

  const monitors = await Promise.all(
    (await listMonitors(deps, { modelId: model.id })).map(async (monitor) => ({
      monitor,
      // newest first from the service; the report draws them oldest first
      evaluations: (await listEvaluations(deps, monitor.id, 1000)).filter((e) => e.at >= from && e.at < to).reverse(),
    })),
  );

  const allAlerts = await listAlerts(deps, { modelId: model.id });
  const alertRows = allAlerts.filter((a) => a.openedAt < to && (a.resolvedAt === null || a.resolvedAt >= from));
  const alerts = await Promise.all(alertRows.map(async (alert) => ({ alert, events: await listAlertEvents(deps, alert.id) })));

  // each version and segment through the same services (and scope) as GraphQL's version:/segment: arguments
  const [versionList, segmentList, currentVersion] = await Promise.all([listVersions(deps, model.id), listSegments(deps, model.id), currentVersionName(deps, model)]);
  const versions = await Promise.all(
    versionList.map(async (version) => {
      const scope = { version: version.name };
      const [t, p] = await Promise.all([traffic(deps, model, from, to, scope), performance(deps, model, from, to, scope)]);
      return { version, baseline: versionBaseline(version), traffic: t, performance: p };
    }),
  );
  const segments = await Promise.all(
    segmentList.map(async (segment) => {
      const scope = { segment: segment.name };
      const [t, p] = await Promise.all([traffic(deps, model, from, to, scope), performance(deps, model, from, to, scope)]);
      return { segment, traffic: t, performance: p };
    }),
  );

  const targets = [model.name, ...monitors.map((m) => `monitor:${m.monitor.id}`), ...allAlerts.map((a) => `alert:${a.id}`)];
  const audit = await listAuditAbout(deps, targets, from, to);

  return {
    generatedAt: deps.clock.now(),
    from,
    to,
    granularity,
    model,
    health,
    baseline,
    traffic: trafficNow,
    trafficSeries,
    drift: driftRows,
    outputDrift: output,
    driftSeries,
    integrity: integrityRows,
    performance: perf,
    performanceSeries,
    fairness: fairnessRows,
    fairnessNote,
    monitors,
    alerts,
    audit,
    currentVersion,
    versions,
    segments,
  };
}
