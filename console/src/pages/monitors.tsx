// A model's monitors with their latest evaluations (the last 48 drawn), and for EDITOR and
// ADMIN keys a form that backtests a new monitor before saving it.
import { useState } from 'preact/hooks';
import { MonitorsQuery } from '../api/operations';
import { useQuery } from '../api/use-query';
import { Chart } from '../charts/chart';
import { formatOf, labelOf, show } from '../format';
import type { ModelMonitorsQuery, Severity } from '../gql/graphql';
import { ago } from '../time';
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

function MonitorCard({ m }: { m: Monitor }) {
  const evals = [...m.evaluations].reverse();
  const last = m.lastEvaluation;
  const thresholds = [m.warningThreshold !== null ? `warning ${m.comparator} ${m.warningThreshold}` : '', m.criticalThreshold !== null ? `critical ${m.comparator} ${m.criticalThreshold}` : ''].filter(Boolean).join(', ');
  return (
    <article class="monitor" data-monitor={m.name}>
      <h3>
        {m.name} {last ? <span class={`badge ${last.severity}`}>{last.severity}</span> : <span class="badge UNKNOWN">not run</span>}
        {m.enabled ? null : <span class="muted"> (disabled)</span>}
      </h3>
      <p class="muted">
        {labelOf(m.metric)}
        {m.feature ? ` of ${m.feature}` : ''}
        {m.attribute ? ` by ${m.attribute}` : ''} over {m.window}, {m.schedule} · {thresholds}
      </p>
      <p>{last ? `last: ${show(last.value, m.metric)} on ${last.sampleSize.toLocaleString('en')} events, ${ago(last.at)}` : 'never evaluated yet'}</p>
      {evals.length > 1 ? (
        <Chart
          title={`last ${evals.length} evaluations`}
          height={110}
          xs={evals.map((e) => Date.parse(e.at) / 1000)}
          lines={[{ label: labelOf(m.metric), values: evals.map((e) => e.value ?? null), color: '#2563eb' }]}
          format={formatOf(m.metric)}
          marks={evals.map((e) => ({ x: Date.parse(e.at) / 1000, color: SEVERITY_COLORS[e.severity] }))}
        />
      ) : null}
    </article>
  );
}
