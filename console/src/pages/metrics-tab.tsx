// Drift, integrity, performance, fairness or traffic of a model: the window's figures
// (one query) and one chart per feature, attribute or metric (the series batch).
import { useMemo } from 'preact/hooks';
import { metricsOf, METRICS, outputType, type Metric } from '../../../src/domain/metrics/catalogue.js';
import { useQuery } from '../api/use-query';
import { WindowQuery } from '../api/operations';
import type { SeriesWindow } from '../api/series';
import type { WindowQuery as WindowData } from '../gql/graphql';
import { labelOf, show } from '../format';
import { SeriesGrid, type ChartSpec } from './series-grid';
import type { ModelInfo } from './model';

type Family = 'drift' | 'integrity' | 'performance' | 'fairness' | 'traffic';

const FAIRNESS_DIFFERENCES: Metric[] = ['DEMOGRAPHIC_PARITY_DIFFERENCE', 'EQUAL_OPPORTUNITY_DIFFERENCE', 'EQUALIZED_ODDS_DIFFERENCE'];

/** The metric a drift or integrity tab draws (?metric=), else the family's first. */
function chosenMetric(family: Family, search: string): Metric {
  const m = new URLSearchParams(search).get('metric');
  const all = metricsOf(family);
  return m && (all as string[]).includes(m) ? (m as Metric) : all[0]!;
}

/** The estimated (CBPE) counterpart of a measured performance metric for the task, if any. */
function estimateOf(metric: Metric, task: ModelInfo['task']): Metric | undefined {
  return metricsOf('estimated', task).find((e) => METRICS[e].field === METRICS[metric].field);
}

/** The charts of a tab, in the order people read them. */
export function chartsOf(family: Family, model: ModelInfo, metric: Metric): ChartSpec[] {
  const fits = (t: string) => (METRICS[metric] as { types?: readonly string[] }).types?.includes(t) ?? false;
  switch (family) {
    case 'drift':
      return [
        ...(fits(outputType(model.task)) ? [{ title: `output · ${labelOf(metric)}`, series: [{ metric }] }] : []),
        ...model.features.filter((f) => fits(f.type)).map((f) => ({ title: `${f.name} · ${labelOf(metric)}`, series: [{ metric, feature: f.name }] })),
      ];
    case 'integrity':
      return model.features.filter((f) => fits(f.type)).map((f) => ({ title: `${f.name} · ${labelOf(metric)}`, series: [{ metric, feature: f.name }] }));
    case 'fairness':
      if (model.task !== 'BINARY_CLASSIFICATION') return [];
      return model.features
        .filter((f) => f.protected)
        .flatMap((f) => [
          { title: `${f.name} · differences`, series: FAIRNESS_DIFFERENCES.map((m) => ({ metric: m, attribute: f.name })) },
          { title: `${f.name} · ${labelOf('DISPARATE_IMPACT_RATIO')}`, series: [{ metric: 'DISPARATE_IMPACT_RATIO' as Metric, attribute: f.name }] },
        ]);
    case 'performance':
      // each measured metric with its estimate (CBPE) beside it, where the catalogue has one
      return metricsOf('performance', model.task).map((m) => {
        const e = estimateOf(m, model.task);
        return { title: labelOf(m), series: [{ metric: m }, ...(e ? [{ metric: e, optional: true }] : [])] };
      });
    default:
      return metricsOf(family, model.task).map((m) => ({ title: labelOf(m), series: [{ metric: m }] }));
  }
}

export function MetricsTab({ family, model, window: w, search, onMetric }: { family: Family; model: ModelInfo; window: SeriesWindow; search: string; onMetric: (m: string) => void }) {
  const metric = chosenMetric(family, search);
  const charts = useMemo(() => chartsOf(family, model, metric), [family, model, metric]);
  const choose = family === 'drift' || family === 'integrity';
  return (
    <div>
      <Figures family={family} model={model} window={w} />
      {choose ? (
        <div class="controls">
          <label>
            Metric{' '}
            <select name="metric" value={metric} onChange={(e) => onMetric(e.currentTarget.value)}>
              {metricsOf(family).map((m) => <option key={m} value={m}>{labelOf(m)}</option>)}
            </select>
          </label>
        </div>
      ) : null}
      {charts.length ? (
        <SeriesGrid charts={charts} window={w} />
      ) : (
        <p class="muted">{family === 'fairness' ? (model.task === 'BINARY_CLASSIFICATION' ? 'No feature is marked protected, so there is no fairness to show.' : 'Fairness metrics need a binary classifier.') : 'Nothing applies here.'}</p>
      )}
    </div>
  );
}

/** The window's figures in a table: the same numbers the charts sum up. */
function Figures({ family, model, window: w }: { family: Family; model: ModelInfo; window: SeriesWindow }) {
  const { data, error } = useQuery(WindowQuery, { name: model.name, from: w.from, to: w.to, ...w.slice });
  if (error) return <p class="error">{error}</p>;
  const d = data?.model;
  if (!d) return <p class="muted">Loading the window's figures…</p>;
  if (family === 'drift') {
    const rows = [...(d.outputDrift ? [{ ...d.outputDrift, feature: 'output', ksStatistic: null, wasserstein: null, chi2PValue: null }] : []), ...[...d.drift].sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1))];
    return (
      <table class="figures">
        <thead><tr><th>Feature</th><th>PSI</th><th>JS distance</th><th>KS</th><th>Wasserstein</th><th>chi² p</th><th>Events</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.feature} data-feature={r.feature}>
              <td>{r.feature}</td><td class="num">{show(r.psi, 'PSI')}</td><td class="num">{show(r.jsDistance, 'JS_DISTANCE')}</td><td class="num">{show(r.ksStatistic, 'KS_STATISTIC')}</td>
              <td class="num">{show(r.wasserstein, 'WASSERSTEIN')}</td><td class="num">{show(r.chi2PValue, 'CHI2_P_VALUE')}</td><td class="num">{r.sampleSize.toLocaleString('en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (family === 'integrity') {
    return (
      <table class="figures">
        <thead><tr><th>Feature</th><th>Missing</th><th>Type mismatch</th><th>Out of range</th><th>New category</th><th>Events</th></tr></thead>
        <tbody>
          {d.integrity.map((r) => (
            <tr key={r.feature}>
              <td>{r.feature}</td><td class="num">{show(r.missingRate, 'MISSING_RATE')}</td><td class="num">{show(r.typeMismatchRate, 'TYPE_MISMATCH_RATE')}</td>
              <td class="num">{show(r.outOfRangeRate, 'OUT_OF_RANGE_RATE')}</td><td class="num">{show(r.newCategoryRate, 'NEW_CATEGORY_RATE')}</td><td class="num">{r.count.toLocaleString('en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (family === 'performance' && d.performance.estimated) return <PerformanceTable model={model} p={d.performance} e={d.performance.estimated} />;
  if (family === 'performance' || family === 'traffic') {
    const source = (family === 'performance' ? d.performance : d.traffic) as Record<string, number | null>;
    const shown = family === 'performance' ? (['LABEL_COVERAGE', ...metricsOf('performance', model.task)] as Metric[]) : metricsOf('traffic', model.task);
    return (
      <dl class="figures">
        {family === 'performance' ? (<><dt>labeled events</dt><dd>{d.performance.labeledCount.toLocaleString('en')} of {d.performance.count.toLocaleString('en')}</dd></>) : null}
        {shown.map((m) => (
          <>
            <dt>{labelOf(m)}</dt>
            <dd>{show(source[METRICS[m].field], m)}</dd>
          </>
        ))}
        {family === 'performance' ? <dd class="muted note">Measured on the events that have an actual.</dd> : null}
      </dl>
    );
  }
  return null;
}

type WindowPerformance = NonNullable<WindowData['model']>['performance'];

/** Measured and estimated performance side by side, each column saying what it stands on. */
function PerformanceTable({ model, p, e }: { model: ModelInfo; p: WindowPerformance; e: NonNullable<WindowPerformance['estimated']> }) {
  const measured = p as unknown as Record<string, number | null>;
  const estimated = e as unknown as Record<string, number | null>;
  return (
    <table class="figures performance">
      <caption class="muted">
        Measured on the events that have an actual. Estimated without labels, from every scored event, by confidence-based performance estimation (CBPE) calibrated on the baseline: an expectation, not a measurement.
      </caption>
      <thead><tr><th>Metric</th><th>Measured</th><th>Estimated (CBPE)</th></tr></thead>
      <tbody>
        <tr><td>events</td><td class="num">{p.labeledCount.toLocaleString('en')} labeled of {p.count.toLocaleString('en')}</td><td class="num">{e.sampleSize.toLocaleString('en')} scored</td></tr>
        {metricsOf('performance', model.task).map((m) => {
          const est = estimateOf(m, model.task);
          return (
            <tr key={m} data-metric={m}>
              <td>{labelOf(m)}</td>
              <td class="num" data-measured>{show(measured[METRICS[m].field], m)}</td>
              <td class="num estimated" data-estimated={est ? String(estimated[METRICS[est].field] ?? '') : undefined}>{est ? show(estimated[METRICS[est].field], est) : ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
