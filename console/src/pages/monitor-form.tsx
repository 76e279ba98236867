// A new monitor: its backtest over the last 14 days is drawn (values, thresholds and what
// each run would have said) before it can be saved; any change asks for a new backtest.
import { useMemo, useState } from 'preact/hooks';
import { METRICS, METRIC_NAMES, outputType, type Metric } from '../../../src/domain/metrics/catalogue.js';
import { request } from '../api/client';
import { BacktestMonitor, CreateMonitor } from '../api/operations';
import { Chart } from '../charts/chart';
import { formatOf, labelOf } from '../format';
import type { BacktestMonitorMutation, Comparator, CreateMonitorInput } from '../gql/graphql';
import { SEVERITY_COLORS } from './monitors';
import type { ModelInfo } from './model';

const DAY = 86_400_000;

/** The metrics that fit the model, and for each the columns it may name. */
function choicesOf(model: ModelInfo): Array<{ metric: Metric; targets: Array<{ feature?: string; attribute?: string; label: string }> }> {
  return METRIC_NAMES.flatMap((metric) => {
    const info = METRICS[metric] as { family: string; types?: readonly string[]; tasks?: readonly string[] };
    if (info.family === 'drift' || info.family === 'integrity') {
      const cols = model.features.filter((f) => info.types!.includes(f.type)).map((f) => ({ feature: f.name, label: f.name }));
      const out = info.family === 'drift' && info.types!.includes(outputType(model.task)) ? [{ label: 'the output' }] : [];
      return [{ metric, targets: [...out, ...cols] }];
    }
    if (info.family === 'fairness') {
      const attrs = model.task === 'BINARY_CLASSIFICATION' ? model.features.filter((f) => f.protected).map((f) => ({ attribute: f.name, label: f.name })) : [];
      return attrs.length ? [{ metric, targets: attrs }] : [];
    }
    return info.tasks!.includes(model.task) ? [{ metric, targets: [{ label: 'the model' }] }] : [];
  }).filter((c) => c.targets.length > 0);
}

export function MonitorForm({ model, onDone }: { model: ModelInfo; onDone: (saved: boolean) => void }) {
  const choices = useMemo(() => choicesOf(model), [model]);
  const [form, setForm] = useState({ name: '', metric: choices[0]!.metric, target: 0, window: '24h', schedule: '0 * * * *', comparator: 'GT' as Comparator, warning: '', critical: '' });
  const [backtest, setBacktest] = useState<{ input: string; evals: BacktestMonitorMutation['backtestMonitor'] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choice = choices.find((c) => c.metric === form.metric) ?? choices[0]!;
  const target = choice.targets[form.target] ?? choice.targets[0]!;
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  const input: CreateMonitorInput = {
    model: model.name,
    name: form.name,
    metric: form.metric,
    feature: target.feature ?? null,
    attribute: target.attribute ?? null,
    window: form.window,
    schedule: form.schedule,
    comparator: form.comparator,
    warningThreshold: num(form.warning),
    criticalThreshold: num(form.critical),
  };
  const current = JSON.stringify(input);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value, ...(k === 'metric' ? { target: 0 } : {}) });

  const run = async (what: 'backtest' | 'save') => {
    setBusy(true);
    setProblem(null);
    try {
      if (what === 'backtest') {
        const to = Date.now();
        const got = await request(BacktestMonitor, { input, from: new Date(to - 14 * DAY).toISOString(), to: new Date(to).toISOString() });
        setBacktest({ input: current, evals: got.backtestMonitor });
      } else {
        await request(CreateMonitor, { input });
        onDone(true);
      }
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const fresh = backtest?.input === current;
  const evals = backtest?.evals ?? [];
  const line = (v: number | null, label: string, color: string) => (v === null ? [] : [{ label, values: evals.map(() => v), color, dash: [4, 4] }]);
  return (
    <form class="monitor-form" onSubmit={(e) => (e.preventDefault(), run('backtest'))}>
      <h3>New monitor on {model.name}</h3>
      <div class="fields">
        <label>Name <input name="name" value={form.name} onInput={set('name')} required placeholder="income-drift" /></label>
        <label>Metric <select name="metric" value={form.metric} onChange={set('metric')}>{choices.map((c) => <option key={c.metric} value={c.metric}>{labelOf(c.metric)}</option>)}</select></label>
        <label>Of <select name="target" value={form.target} onChange={set('target')}>{choice.targets.map((t, i) => <option key={t.label} value={i}>{t.label}</option>)}</select></label>
        <label>Window <input name="window" value={form.window} onInput={set('window')} size={6} /></label>
        <label>Schedule (cron, UTC) <input name="schedule" value={form.schedule} onInput={set('schedule')} size={12} /></label>
        <label>Alert when value <select name="comparator" value={form.comparator} onChange={set('comparator')}>{['GT', 'GTE', 'LT', 'LTE'].map((c) => <option key={c}>{c}</option>)}</select></label>
        <label>Warning <input name="warning" value={form.warning} onInput={set('warning')} size={6} inputMode="decimal" /></label>
        <label>Critical <input name="critical" value={form.critical} onInput={set('critical')} size={6} inputMode="decimal" /></label>
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>Backtest the last 14 days</button>
        <button type="button" disabled={busy || !fresh} onClick={() => run('save')} title={fresh ? '' : 'backtest this monitor first'}>Save monitor</button>
        <button type="button" class="link" onClick={() => onDone(false)}>Cancel</button>
      </div>
      {problem ? <p class="error">{problem}</p> : null}
      {backtest ? (
        <div class="backtest" data-runs={evals.length}>
          <p>
            {evals.length} runs: {(['CRITICAL', 'WARNING', 'OK', 'NO_DATA'] as const).map((s) => `${evals.filter((e) => e.severity === s).length} ${s}`).join(', ')}
            {fresh ? '' : ' (the form changed since: backtest again to save)'}
          </p>
          {evals.length ? (
            <Chart
              title={`backtest: ${labelOf(form.metric)}`}
              xs={evals.map((e) => Date.parse(e.at) / 1000)}
              lines={[{ label: labelOf(form.metric), values: evals.map((e) => e.value ?? null), color: '#2563eb' }, ...line(input.warningThreshold ?? null, 'warning', '#d97706'), ...line(input.criticalThreshold ?? null, 'critical', '#dc2626')]}
              format={formatOf(form.metric)}
              marks={evals.map((e) => ({ x: Date.parse(e.at) / 1000, color: SEVERITY_COLORS[e.severity] }))}
            />
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
