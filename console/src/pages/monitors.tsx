// A model's monitors with their latest evaluations (the last 48 drawn, with the thresholds
// each used), the version/segment each watches, and for EDITOR and ADMIN keys a form that
// backtests a new monitor before saving it.
import { useMemo, useState } from 'preact/hooks';
import { MonitorsQuery } from '../api/operations';
import { useQuery } from '../api/use-query';
import { Chart } from '../charts/chart';
import { formatOf, labelOf, show } from '../format';
import type { ModelMonitorsQuery, Severity } from '../gql/graphql';
import { ago } from '../time';
import { learnedText, levelsText, thresholdLines } from './thresholds';
import { MonitorForm } from './monitor-form';
import type { ModelInfo } from './model';

type Monitor = NonNullable<ModelMonitorsQuery['model']>['monitors'][number];

export const SEVERITY_COLORS: Record<Severity, string> = { OK: '#059669', WARNING: '#d97706', CRITICAL: '#dc2626', NO_DATA: '#9ca3af' };

export function MonitorsTab({ model, canEdit }: { model: ModelInfo; canEdit: boolean }) {
  const { data, error, reload } = useQuery(MonitorsQuery, { name: model.name });
  const [adding, setAdding] = useState(false);
  if (error) return <p class="error">{error}</p>;
  if (!data?.model) return <p class="muted">Loading the monitors…</p>;
  return (
    <div>
      {canEdit && !adding ? <button onClick={() => setAdding(true)}>New monitor</button> : null}
      {adding ? <MonitorForm model={model} onDone={(saved) => (setAdding(false), saved && reload())} /> : null}
      {data.model.monitors.length === 0 ? <p>No monitor on this model yet.</p> : null}
      <div class="grid">
        {data.model.monitors.map((m) => (
          <MonitorCard key={m.id} m={m} />
        ))}
      </div>
    </div>
  );
}

/** "v2 · eu", "v2 · all traffic", "all versions · eu"; null when the monitor watches everything. */
function sliceText(m: { version?: string | null; segment?: string | null }): string | null {
  return m.version || m.segment ? `${m.version ?? 'all versions'} · ${m.segment ?? 'all traffic'}` : null;
}

function MonitorCard({ m }: { m: Monitor }) {
  const last = m.lastEvaluation;
  const slice = sliceText(m);
  const chart = useMemo(() => {
    const evals = [...m.evaluations].reverse();
    const th = thresholdLines(evals, m.comparator, m.autoThreshold !== null);
    const xs = evals.map((e) => Date.parse(e.at) / 1000);
    return {
      xs,
      lines: [{ label: labelOf(m.metric), values: evals.map((e) => e.value ?? null), color: '#2563eb' }, ...th.lines],
      bands: th.bands,
      marks: evals.map((e, i) => ({ x: xs[i]!, color: SEVERITY_COLORS[e.severity] })),
    };
  }, [m]);
  return (
    <article class="monitor" data-monitor={m.name} data-version={m.version ?? undefined} data-segment={m.segment ?? undefined} data-learned={m.autoThreshold ? 'yes' : undefined}>
      <h3>
        {m.name} {last ? <span class={`badge ${last.severity}`}>{last.severity}</span> : <span class="badge UNKNOWN">not run</span>}
        {m.enabled ? null : <span class="muted"> (disabled)</span>}
      </h3>
      <p class="muted">
        {slice ? <span class="slice">{slice}</span> : null}
        {labelOf(m.metric)}
        {m.feature ? ` of ${m.feature}` : ''}
        {m.attribute ? ` by ${m.attribute}` : ''} over {m.window}, {m.schedule}
        {m.autoThreshold ? null : ` · ${levelsText(m.comparator, m.metric, m.warningThreshold, m.criticalThreshold)}`}
      </p>
      {m.autoThreshold ? (
        <p class="learned">
          Thresholds {learnedText(m.comparator, m.autoThreshold)}
          {last ? <span class="used">{lastUsed(m)}</span> : null}
        </p>
      ) : null}
      <p>{last ? `last: ${show(last.value, m.metric)} on ${last.sampleSize.toLocaleString('en')} events, ${ago(last.at)}` : 'never evaluated yet'}</p>
      {chart.xs.length > 1 ? <Chart title={`last ${chart.xs.length} evaluations`} height={110} format={formatOf(m.metric)} {...chart} /> : null}
    </article>
  );
}

/** What the last evaluation of a learned monitor compared with. */
function lastUsed(m: Monitor): string {
  const e = m.lastEvaluation!;
  const used = levelsText(m.comparator, m.metric, e.warningThreshold, e.criticalThreshold);
  return used ? `; its last run used ${used}` : '; its last run had too little history to learn from (NO_DATA)';
}
