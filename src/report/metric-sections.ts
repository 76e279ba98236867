// The report's metric sections: traffic, drift, integrity, performance, fairness. Tables
// show the API's numbers as the services returned them (numCell keeps each exact value);
// charts are the same series the API's `series` field answers.
import { lineChartSvg } from '../charts/line-chart.js';
import { metricInfo, metricsOf, METRICS } from '../domain/metrics/catalogue.js';
import type { SeriesPoint } from '../domain/metrics/reads.js';
import type { ReportData } from '../services/report.js';
import { esc, figure, numCell, para, row, section, table, textCell } from './html.js';

/** A series as an inline SVG chart over the report's window. */
export function chart(d: ReportData, title: string, points: SeriesPoint[], thresholds: { warning?: number | null; critical?: number | null } = {}, width = 640): string {
  return figure(
    lineChartSvg({
      title,
      points: points.map((p) => ({ t: p.start, value: p.value })),
      from: d.from,
      to: d.to,
      warning: thresholds.warning ?? null,
      critical: thresholds.critical ?? null,
      width,
      height: width < 640 ? 200 : 240,
    }),
  );
}

const label = (metric: string) => metricInfo(metric)?.label ?? metric;
const per = (d: ReportData) => (d.granularity === 'HOUR' ? 'per hour' : 'per day');

function trafficSection(d: ReportData): string {
  const t = d.traffic;
  const rows = [
    row('predictionCount', [textCell('predictions'), numCell('predictionCount', t.predictionCount)]),
    row('meanScore', [textCell('mean score'), numCell('meanScore', t.meanScore)]),
    row('meanValue', [textCell('mean value'), numCell('meanValue', t.meanValue)]),
    row('labelCoverage', [textCell('label coverage'), numCell('labelCoverage', t.labelCoverage)]),
  ];
  return section('traffic', 'Traffic', table(['figure', 'value'], rows, '') + chart(d, `Predictions ${per(d)}`, d.trafficSeries));
}

const DRIFT_FIELDS = ['sampleSize', 'baselineSize', 'psi', 'jsDistance', 'ksStatistic', 'ksPValue', 'wasserstein', 'chi2Statistic', 'chi2PValue'] as const;
const DRIFT_HEADERS = ['feature', 'type', 'events', 'baseline rows', 'PSI', 'JS distance', 'KS statistic', 'KS p-value', 'Wasserstein', 'chi² statistic', 'chi² p-value'];

function driftSection(d: ReportData): string {
  if (!d.baseline) return section('drift', 'Drift', para('The model has no baseline, so drift is not measured.', 'empty'));
  const rows = [...d.drift, ...(d.outputDrift ? [{ ...d.outputDrift, feature: `${d.outputDrift.feature} (output)` }] : [])].map((r, i) =>
    row(i < d.drift.length ? r.feature : '(output)', [textCell(r.feature), textCell(r.type.toLowerCase()), ...DRIFT_FIELDS.map((f) => numCell(f, r[f]))]),
  );
  const charts = d.driftSeries.map((s) => chart(d, `PSI of ${s.feature ?? 'the output'} ${per(d)}`, s.points, {}, 480)).join('');
  const charted = d.driftSeries.filter((s) => s.feature !== null).length;
  const note = charted < d.drift.length ? para(`Charts: the ${charted} features of highest PSI in the window, and the output.`, 'meta') : '';
  return section('drift', 'Drift', table(DRIFT_HEADERS, rows, 'No feature.') + note + `<div class="charts">${charts}</div>`);
}

const INTEGRITY_FIELDS = ['count', 'missingRate', 'typeMismatchRate', 'outOfRangeRate', 'newCategoryRate'] as const;

function integritySection(d: ReportData): string {
  const rows = d.integrity.map((r) => row(r.feature, [textCell(r.feature), ...INTEGRITY_FIELDS.map((f) => numCell(f, r[f]))]));
  return section('integrity', 'Integrity', table(['feature', 'events', 'missing rate', 'type mismatch rate', 'out-of-range rate', 'new category rate'], rows, 'No feature.'));
}

/** CBPE's estimates (METRICS.md), where the model has them: labelled as estimates, keyed `estimated.<field>`. */
function estimatedRows(d: ReportData): string[] {
  const e = d.performance.estimated as unknown as Record<string, number | null> | null;
  if (!e) return [];
  return [
    row('estimated.sampleSize', [textCell('events with a score (estimate)'), numCell('estimated.sampleSize', e.sampleSize)]),
    ...metricsOf('estimated', d.model.task).map((m) => row(`estimated.${METRICS[m].field}`, [textCell(`${label(m)} (CBPE, without labels)`), numCell(`estimated.${METRICS[m].field}`, e[METRICS[m].field])])),
  ];
}

function performanceSection(d: ReportData): string {
  const p = d.performance as unknown as Record<string, number | null>;
  const metrics = metricsOf('performance', d.model.task);
  const rows = [
    row('count', [textCell('events'), numCell('count', p.count)]),
    row('labeledCount', [textCell('labelled events'), numCell('labeledCount', p.labeledCount)]),
    row('labelCoverage', [textCell('label coverage'), numCell('labelCoverage', p.labelCoverage)]),
    ...metrics.map((m) => row(METRICS[m].field, [textCell(label(m)), numCell(METRICS[m].field, p[METRICS[m].field])])),
    ...estimatedRows(d),
  ];
  const s = d.performanceSeries;
  const body =
    table(['figure', 'value'], rows, '') +
    (s ? chart(d, `${label(s.metric)} ${per(d)}`, s.points) : para('No event of the window has its actual yet, so performance is not measured.', 'empty'));
  return section('performance', 'Performance', body);
}

const FAIRNESS_FIELDS = ['demographicParityDifference', 'disparateImpactRatio', 'equalOpportunityDifference', 'equalizedOddsDifference'] as const;

function fairnessSection(d: ReportData): string {
  const parts: string[] = [];
  if (!d.model.features.some((f) => f.protected)) parts.push(para('No feature is marked protected, so fairness is not measured.', 'empty'));
  else if (d.fairnessNote && d.fairness.length === 0) parts.push(para(`Fairness is not measured: ${d.fairnessNote}.`, 'empty'));
  for (const { result: f, points } of d.fairness) {
    const summary = table(
      ['metric', 'value'],
      FAIRNESS_FIELDS.map((k) => row(k, [textCell(label(Object.keys(METRICS).find((m) => metricInfo(m)?.field === k) ?? k)), numCell(k, f[k])])),
      '',
    );
    const groups = table(
      ['group', 'events', 'selection rate', 'true positive rate', 'false positive rate'],
      f.groups.map((g) => row(g.group, [textCell(g.group), numCell('count', g.count), numCell('selectionRate', g.selectionRate), numCell('truePositiveRate', g.truePositiveRate), numCell('falsePositiveRate', g.falsePositiveRate)])),
      'No event in the window.',
    );
    parts.push(
      `<div class="attribute" data-attribute="${esc(f.attribute)}"><h3>${esc(f.attribute)}</h3>${summary}${groups}${chart(d, `Demographic parity difference by ${f.attribute} ${per(d)}`, points)}</div>`,
    );
  }
  return section('fairness', 'Fairness', parts.join(''));
}

/** Traffic, drift, integrity, performance and fairness over the report's window. */
export function metricSections(d: ReportData): string {
  return [trafficSection(d), driftSection(d), integritySection(d), performanceSection(d), fairnessSection(d)].join('');
}
