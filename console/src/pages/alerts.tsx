// A model's alerts, open ones first, with acknowledge / snooze / resolve for EDITOR and ADMIN
// keys (a VIEWER sees no button: the server would refuse it anyway).
import { useState } from 'preact/hooks';
import { request } from '../api/client';
import { AcknowledgeAlert, AlertsQuery, ResolveAlert, SnoozeAlert } from '../api/operations';
import { useQuery } from '../api/use-query';
import type { ModelAlertsQuery } from '../gql/graphql';
import { ago, shortTime } from '../time';

type Alert = NonNullable<ModelAlertsQuery['model']>['alerts'][number];

const SNOOZES = { '1 hour': 1, '4 hours': 4, '1 day': 24, '1 week': 168 } as const;

export function AlertsTab({ name, canEdit }: { name: string; canEdit: boolean }) {
  const { data, error, reload } = useQuery(AlertsQuery, { name });
  const [all, setAll] = useState(false);
  if (error) return <p class="error">{error}</p>;
  if (!data?.model) return <p class="muted">Loading the alerts…</p>;
  const alerts = data.model.alerts.filter((a) => all || a.status !== 'RESOLVED');
  const resolved = data.model.alerts.length - data.model.alerts.filter((a) => a.status !== 'RESOLVED').length;
  return (
    <div>
      <label class="controls">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> show resolved alerts too ({resolved})
      </label>
      {alerts.length === 0 ? <p>No open alert.</p> : null}
      <ul class="alerts">
        {alerts.map((a) => (
          <AlertItem key={a.id} alert={a} canEdit={canEdit} onChange={reload} />
        ))}
      </ul>
    </div>
  );
}

function AlertItem({ alert: a, canEdit, onChange }: { alert: Alert; canEdit: boolean; onChange: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await run();
      onChange();
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const snooze = (hours: number) => act(() => request(SnoozeAlert, { id: a.id, until: new Date(Date.now() + hours * 3_600_000).toISOString() }));
  return (
    <li class={`alert ${a.severity}`} data-alert={a.id} data-status={a.status}>
      <div class="alert-head">
        <span class={`badge ${a.severity}`}>{a.severity}</span> <span class="status">{a.status}</span> <strong>{a.monitor.name}</strong>
        <span class="muted"> · opened {ago(a.openedAt)} ({shortTime(a.openedAt)})</span>
      </div>
      <p>{a.message}</p>
      <p class="muted">
        {a.acknowledgedBy ? `acknowledged by ${a.acknowledgedBy}` : ''}
        {a.snoozedUntil && a.status === 'SNOOZED' ? ` · snoozed until ${shortTime(a.snoozedUntil)}` : ''}
        {a.resolvedAt ? ` · resolved ${ago(a.resolvedAt)}` : ''}
      </p>
      {canEdit && a.status !== 'RESOLVED' ? (
        <div class="actions">
          {a.status === 'FIRING' ? (
            <button disabled={busy} onClick={() => act(() => request(AcknowledgeAlert, { id: a.id }))}>
              Acknowledge
            </button>
          ) : null}
          <select disabled={busy} aria-label="Snooze" value="" onChange={(e) => snooze(Number(e.currentTarget.value))}>
            <option value="" disabled>Snooze…</option>
            {Object.entries(SNOOZES).map(([label, h]) => <option key={label} value={h}>{label}</option>)}
          </select>
          <button disabled={busy} onClick={() => act(() => request(ResolveAlert, { id: a.id }))}>
            Resolve
          </button>
        </div>
      ) : null}
      {problem ? <p class="error">{problem}</p> : null}
      <details>
        <summary>History ({a.events.length})</summary>
        <ul class="events">
          {a.events.map((e, i) => (
            <li key={i}>{shortTime(e.at)} · {e.kind}{e.actor ? ` by ${e.actor}` : ''}{e.note ? `: ${e.note}` : ''}</li>
          ))}
        </ul>
      </details>
    </li>
  );
}
