// The governance report as one self-contained HTML document: inline CSS, charts as inline
// SVG, no script, no external asset, laid out for A4 print. Pure: ReportData in, text out.
import { metricInfo } from '../domain/metrics/catalogue.js';
import type { ReportData } from '../services/report.js';
import { chart, metricSections } from './metric-sections.js';
import { segmentsSection, versionsSection } from './slices-section.js';
import { esc, formatNumber, numCell, para, row, section, table, textCell, when } from './html.js';

const CSS = `
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font: 13px/1.45 'DejaVu Sans', Arial, Helvetica, sans-serif; color: #111827; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; border-bottom: 2px solid #e5e7eb; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
.meta { color: #4b5563; margin: 0 0 4px; }
table { border-collapse: collapse; margin: 8px 0; width: 100%; }
th, td { border: 1px solid #e5e7eb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f9fafb; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.details { font-family: 'DejaVu Sans Mono', monospace; font-size: 11px; word-break: break-all; }
.empty { color: #6b7280; font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: 8px; }
figure.chart { margin: 8px 0; } figure.chart svg { max-width: 100%; height: auto; }
.status-CRITICAL { color: #dc2626; font-weight: 600; } .status-WARNING { color: #d97706; font-weight: 600; }
.history { margin: 2px 0 10px 18px; padding: 0; color: #374151; }
@media print { body { margin: 0; max-width: none; } section { break-inside: avoid-page; } h2 { break-after: avoid; } figure.chart { break-inside: avoid; } }
`;

function identitySection(d: ReportData): string {
  const m = d.model;
  const rows = [
    ['name', m.name],
    ['task', m.task],
    ['description', m.description ?? '—'],
    ...(m.task === 'BINARY_CLASSIFICATION' ? [['positive class', m.positiveClass ?? '—'], ['decision threshold', formatNumber(m.decisionThreshold ?? 0.5)]] : []),
    ['registered', when(m.createdAt)],
    ['last changed', when(m.updatedAt)],
    ['raw events kept', m.retentionDays === null || m.retentionDays === undefined ? "the server's default" : m.retentionDays === 0 ? 'forever' : `${m.retentionDays} days`],
    ['health now', d.health.summary],
  ].map(([k, v]) => row(k!, [textCell(k), textCell(v, k)]));
  return section('identity', 'Identity', table(['', ''], rows, ''));
}

function baselineSection(d: ReportData): string {
  if (!d.baseline) return section('baseline', 'Baseline', para('No baseline has been set.', 'empty'));
  const rows = [row('rowCount', [textCell('rows'), numCell('rowCount', d.baseline.rowCount)]), row('updatedAt', [textCell('set at'), textCell(when(d.baseline.updatedAt), 'updatedAt')])];
  return section('baseline', 'Baseline', table(['', ''], rows, ''));
}

function featuresSection(d: ReportData): string {
  const rows = d.model.features.map((f) =>
    row(f.name, [textCell(f.name), textCell(f.type.toLowerCase()), textCell(f.protected ? 'yes' : 'no', 'protected'), numCell('min', f.min), numCell('max', f.max)]),
  );
  return section('features', 'Features', table(['feature', 'type', 'protected', 'declared min', 'declared max'], rows, 'No feature.'));
}

const comparatorText: Record<string, string> = { GT: '>', GTE: '≥', LT: '<', LTE: '≤' };

function monitorsSection(d: ReportData): string {
  if (d.monitors.length === 0) return section('monitors', 'Monitors', para('The model has no monitor.', 'empty'));
  const rows = d.monitors.map(({ monitor: m, evaluations }) => {
    const last = evaluations.at(-1);
    const on = [m.feature && `feature ${m.feature}`, m.attribute && `attribute ${m.attribute}`].filter(Boolean).join(', ');
    return row(String(m.id), [
      textCell(m.name, 'name'),
      textCell(`${metricInfo(m.metric)?.label ?? m.metric}${on ? ` (${on})` : ''}`),
      textCell(`${m.window}, ${m.schedule}`),
      textCell(comparatorText[m.comparator] ?? m.comparator),
      numCell('warningThreshold', m.warningThreshold),
      numCell('criticalThreshold', m.criticalThreshold),
      textCell(m.enabled ? 'yes' : 'no'),
      numCell('evaluations', evaluations.length),
      textCell(last ? `${last.severity} at ${when(last.at)}` : '—'),
    ]);
  });
  const charts = d.monitors
    .filter((x) => x.evaluations.length > 0)
    .map(({ monitor: m, evaluations }) =>
      chart(
        d,
        `Monitor ${m.name}: evaluated values`,
        evaluations.map((e) => ({ start: e.at, value: e.value, sampleSize: e.sampleSize })),
        { warning: m.warningThreshold, critical: m.criticalThreshold },
        480,
      ),
    )
    .join('');
  const headers = ['monitor', 'metric', 'window, schedule', 'breach when', 'warning', 'critical', 'enabled', 'evaluations in window', 'last in window'];
  return section('monitors', 'Monitors', table(headers, rows, '') + `<div class="charts">${charts}</div>`);
}

function alertsSection(d: ReportData): string {
  if (d.alerts.length === 0) return section('alerts', 'Alerts', para('No alert was open during the window.', 'empty'));
  const items = d.alerts.map(({ alert: a, events }) => {
    const summary = table(
      ['alert', 'monitor', 'severity', 'status', 'value', 'threshold', 'opened', 'resolved'],
      [
        row(String(a.id), [
          textCell(`#${a.id}`),
          textCell(a.monitorName),
          `<td class="status-${esc(a.severity)}">${esc(a.severity)}</td>`,
          textCell(a.status, 'status'),
          numCell('value', a.value),
          numCell('threshold', a.threshold),
          textCell(when(a.openedAt)),
          textCell(when(a.resolvedAt)),
        ]),
      ],
      '',
    );
    const history = events.map((e) => `<li>${esc(when(e.at))} ${esc(e.kind)}${e.actor ? ` by ${esc(e.actor)}` : ''}${e.note ? `: ${esc(e.note)}` : ''}</li>`).join('');
    return `<div class="alert" data-alert="${esc(String(a.id))}">${summary}${para(a.message)}<ul class="history">${history}</ul></div>`;
  });
  return section('alerts', 'Alerts', items.join(''));
}

const DETAILS_SHOWN = 400;

function auditSection(d: ReportData): string {
  const rows = d.audit.map((e, i) => {
    const json = e.details === null || e.details === undefined ? '' : JSON.stringify(e.details);
    const shown = json.length > DETAILS_SHOWN ? `${json.slice(0, DETAILS_SHOWN)}… (${json.length} characters)` : json;
    return row(String(i), [textCell(when(e.at)), textCell(e.actor, 'actor'), textCell(e.action, 'action'), textCell(e.target, 'target'), `<td class="details">${esc(shown)}</td>`]);
  });
  const note = para('Changes to the model, its baseline, its monitors and its alerts; ingested batches are not listed.', 'meta');
  return section('audit', 'Audit log', note + table(['at', 'actor', 'action', 'target', 'details'], rows, 'No change in the window.'));
}

/** The whole report: a standalone, printable HTML document. */
export function renderReport(d: ReportData): string {
  const title = `Governance report: ${d.model.name}`;
  const body = [
    `<header><h1>${esc(title)}</h1>`,
    para(`Window ${when(d.from)} to ${when(d.to)} (UTC, end excluded); charts ${d.granularity === 'HOUR' ? 'hourly' : 'daily'}. Generated ${when(d.generatedAt)}.`, 'meta'),
    '</header>',
    identitySection(d),
    versionsSection(d),
    segmentsSection(d),
    baselineSection(d),
    featuresSection(d),
    metricSections(d),
    monitorsSection(d),
    alertsSection(d),
    auditSection(d),
  ].join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>${body}</body></html>\n`;
}
