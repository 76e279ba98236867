// The report's versions and segments: each with what the registry says about it (created,
// current, own baseline, conditions) and its traffic and headline performance over the
// window, read through the same services as GraphQL's `version:` / `segment:` arguments.
import { metricInfo, metricsOf, METRICS, type Metric } from '../domain/metrics/catalogue.js';
import type { SegmentCondition } from '../domain/segments/segment.js';
import type { PerformanceResult, TrafficResult } from '../services/metrics.js';
import type { ReportData } from '../services/report.js';
import { numCell, para, row, section, table, textCell, when } from './html.js';

/** The task's headline metric, and its estimate (CBPE) when the catalogue has one. */
function headline(d: ReportData): { measured: Metric; estimated: Metric | undefined } {
  const measured = metricsOf('performance', d.model.task)[0]!;
  return { measured, estimated: metricsOf('estimated', d.model.task).find((e) => METRICS[e].field === METRICS[measured].field) };
}

/** Headers and cells of the window's figures shared by both tables (the estimate only where the model has one). */
function figures(d: ReportData): { headers: string[]; cells: (t: TrafficResult, p: PerformanceResult) => string[] } {
  const h = headline(d);
  const field = METRICS[h.measured].field;
  const estimate = h.estimated && d.performance.estimated !== null ? h.estimated : undefined;
  return {
    headers: ['predictions', 'label coverage', metricInfo(h.measured)!.label, ...(estimate ? [metricInfo(estimate)!.label] : [])],
    cells: (t, p) => {
      const measured = p as unknown as Record<string, number | null>;
      const estimated = (p.estimated ?? {}) as Record<string, number | null>;
      return [
        numCell('predictionCount', t.predictionCount),
        numCell('labelCoverage', t.labelCoverage),
        numCell(field, measured[field]),
        ...(estimate ? [numCell(`estimated.${METRICS[estimate].field}`, estimated[METRICS[estimate].field])] : []),
      ];
    },
  };
}

export function versionsSection(d: ReportData): string {
  if (d.versions.length === 0) return section('versions', 'Versions', para('The model has no version: every event counts as the model’s.', 'empty'));
  const f = figures(d);
  const rows = d.versions.map(({ version: v, baseline, traffic, performance }) =>
    row(v.name, [
      textCell(v.name, 'name'),
      textCell(v.description ?? '—', 'description'),
      textCell(when(v.createdAt), 'createdAt'),
      textCell(v.name === d.currentVersion ? 'yes' : 'no', 'current'),
      baseline ? numCell('baselineRowCount', baseline.rowCount) : textCell('the model’s', 'baselineRowCount'),
      textCell(baseline ? when(baseline.updatedAt) : '—', 'baselineUpdatedAt'),
      ...f.cells(traffic, performance),
    ]),
  );
  const note = para(
    `Current version: ${d.currentVersion ?? 'none'} (events without a version are counted as it). Figures over the report’s window; a version without its own baseline is compared with the model’s.`,
    'meta',
  );
  const headers = ['version', 'description', 'created', 'current', 'baseline rows', 'baseline set at', ...f.headers];
  return section('versions', 'Versions', note + table(headers, rows, ''));
}

const BOUNDS = [['gte', '≥'], ['gt', '>'], ['lte', '≤'], ['lt', '<']] as const;

/** A condition as people read it: "region in EU, US", "income ≥ 1000", "employment is missing". */
export function conditionText(c: SegmentCondition): string {
  const parts: string[] = [];
  if (c.in) parts.push(`in ${c.in.join(', ')}`);
  for (const [k, sign] of BOUNDS) if (c[k] !== null && c[k] !== undefined) parts.push(`${sign} ${c[k]}`);
  if (c.isMissing !== null && c.isMissing !== undefined) parts.push(c.isMissing ? 'is missing' : 'is present');
  return `${c.feature} ${parts.join(' and ')}`;
}

export function segmentsSection(d: ReportData): string {
  if (d.segments.length === 0) return section('segments', 'Segments', para('The model has no segment.', 'empty'));
  const f = figures(d);
  const rows = d.segments.map(({ segment: s, traffic, performance }) =>
    row(s.name, [textCell(s.name, 'name'), textCell(s.conditions.map(conditionText).join('; '), 'conditions'), textCell(when(s.createdAt), 'createdAt'), ...f.cells(traffic, performance)]),
  );
  return section('segments', 'Segments', table(['segment', 'conditions (all hold)', 'created', ...f.headers], rows, ''));
}
