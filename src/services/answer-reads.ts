// The answers to metric reads (domain/metrics/reads.ts): a window's statistics and the
// pure computation over them, from whichever store's rows are given (SQLite: the main
// connection or a read worker's own; PostgreSQL: the rows a read preloaded), with the
// same result. Questions arrive validated (metrics.ts); only what needs the stored
// statistics is checked here.
import type { ModelRecord } from '../domain/model.js';
import { computeDrift, computeFairness, computeFeatureImportance, computeIntegrity, computeOutputDrift, computePerformance, computeTraffic } from '../domain/metrics/compute-window.js';
import { metricKind, metricValue, type Metric } from '../domain/metrics/metric-value.js';
import { sharesOf } from '../domain/metrics/attributions.js';
import { alignToKept } from '../domain/retention.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import type { Granularity, HealthFigures, MetricRead, MetricReader, ReadAnswer, ReadKind, SeriesPoint, SeriesQuestion, Window } from '../domain/metrics/reads.js';
import type { StatsRows } from '../domain/metrics/stats-rows.js';
import { windowStats } from './stats-read.js';
import { MODEL_SLICE } from '../domain/slices.js';

const histogramsFor = (metric: Metric) => metricKind(metric) === 'drift';

function healthFigures(rows: StatsRows, model: ModelRecord, slice: number, from: number, to: number): HealthFigures {
  const { stats: s, ctx } = windowStats(rows, model, from, to, { slice });
  const hasBaseline = ctx.profileKey !== null;
  let worst: HealthFigures['worst'] = null;
  if (hasBaseline && s.count > 0) {
    // the output's drift is named as such: a feature may well be called "score" too
    const out = computeOutputDrift(s, ctx);
    const shares = sharesOf(ctx.baselineMeanAbs);
    const found = [...computeDrift(s, ctx).map((d, i) => ({ what: d.feature, psi: d.psi, share: shares[i]! })), { what: `the output ${out.feature}`, psi: out.psi, share: null }]
      .filter((d): d is { what: string; psi: number; share: number | null } => d.psi !== null)
      .sort((a, b) => b.psi - a.psi)[0];
    worst = found ?? null;
  }
  return { count: s.count, hasBaseline, worst, performance: s.count > 0 ? computePerformance(s) : null };
}

function seriesPoints(rows: StatsRows, model: ModelRecord, slice: number, q: Window & { granularity: Granularity; questions: SeriesQuestion[] }): SeriesPoint[][] {
  const unit = q.granularity === 'HOUR' ? HOUR_MS : DAY_MS;
  const out: SeriesPoint[][] = q.questions.map(() => []);
  const histograms = q.questions.some((x) => histogramsFor(x.metric));
  // over purged time the first point starts where the statistics do: on the hour
  const { from, to } = alignToKept(q.from, q.to, rows.purgedBefore(model.id));
  for (let b = Math.floor(from / unit) * unit; b < to; b += unit) {
    const start = Math.max(b, from);
    const end = Math.min(b + unit, to);
    const { stats: s, ctx } = windowStats(rows, model, start, end, { histograms, slice });
    q.questions.forEach((x, i) => out[i]!.push(s.count === 0 ? { start, value: null, sampleSize: 0 } : { start, ...metricValue(x.metric, s, ctx, x.feature, x.attribute) }));
  }
  return out;
}

/** Answers one read from `rows` (synchronous: SQLite's caller wraps it in one read transaction). */
export function answerRead<K extends ReadKind>(rows: StatsRows, r: MetricRead<K>): ReadAnswer<K> {
  return answer(rows, r as MetricRead) as ReadAnswer<K>;
}

function answer(rows: StatsRows, r: MetricRead): ReadAnswer<ReadKind> {
  const slice = r.slice ?? MODEL_SLICE;
  const stats = (histograms: boolean) => windowStats(rows, r.model, r.from, r.to, { histograms, slice });
  switch (r.kind) {
    case 'drift': {
      const { stats: s, ctx } = stats(true);
      return computeDrift(s, ctx);
    }
    case 'outputDrift': {
      const { stats: s, ctx } = stats(true);
      return ctx.profileKey === null ? null : computeOutputDrift(s, ctx);
    }
    case 'integrity': {
      const { stats: s, ctx } = stats(false);
      return computeIntegrity(s, ctx);
    }
    case 'performance':
      return computePerformance(stats(false).stats);
    case 'traffic':
      return computeTraffic(stats(false).stats);
    case 'fairness': {
      const { stats: s, ctx } = stats(false);
      const pos = ctx.protectedIdx.findIndex((i) => ctx.features[i]!.name === r.attribute);
      return computeFairness(s, ctx, pos);
    }
    case 'metric': {
      const { stats: s, ctx } = stats(histogramsFor(r.metric));
      const v = metricValue(r.metric, s, ctx, r.feature, r.attribute);
      const i = r.feature && histogramsFor(r.metric) ? ctx.features.findIndex((c) => c.name === r.feature) : -1;
      return i < 0 ? v : { ...v, importance: sharesOf(ctx.baselineMeanAbs)[i]! };
    }
    case 'series':
      return seriesPoints(rows, r.model, slice, { ...r, questions: [r] })[0]!;
    case 'seriesSet':
      return seriesPoints(rows, r.model, slice, r);
    case 'windows':
      return r.windows.map((w) => {
        const { stats: s, ctx } = windowStats(rows, r.model, w.from, w.to, { histograms: histogramsFor(r.metric), slice });
        return metricValue(r.metric, s, ctx, r.feature, r.attribute);
      });
    case 'health':
      return healthFigures(rows, r.model, slice, r.from, r.to);
    case 'featureImportance': {
      const { stats: s, ctx } = stats(false);
      return computeFeatureImportance(s, ctx);
    }
  }
}

/** Reads in process, on the caller's rows (SQLite: `:memory:` databases, GLASSBOX_READ_WORKERS=0). */
export function inProcessReader(rows: StatsRows): MetricReader {
  return {
    read: async (r) => answerRead(rows, r),
    close: async () => {},
  };
}
