// A new monitor: its backtest over the last 14 days is drawn (values, thresholds and what
// each run would have said) before it can be saved; any change asks for a new backtest. It
// may watch one version and/or segment (where the model has them), and its thresholds may
// be fixed or learned from the metric's own history (autoThreshold); the backtest sends
// the same input, so what it draws is what the saved monitor will do.
import { useMemo, useState } from 'preact/hooks';
import { METRICS, METRIC_NAMES, outputType, type Metric } from '../../../src/domain/metrics/catalogue.js';
import { request } from '../api/client';
import { BacktestMonitor, CreateMonitor } from '../api/operations';
import { Chart, type ChartProps } from '../charts/chart';
import { formatOf, labelOf } from '../format';
import type { BacktestMonitorMutation, Comparator, CreateMonitorInput, Seasonality } from '../gql/graphql';
import { sliceOptionsOf } from '../slice';
import { SEVERITY_COLORS } from './monitors';
import { learnedText, thresholdLines } from './thresholds';
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

const SEASONALITIES: Array<[Seasonality, string]> = [
  ['DAILY', 'daily (same hour of day)'],
  ['WEEKLY', 'weekly (same hour of week)'],
  ['NONE', 'none (every past run)'],
];

export function MonitorForm({ model, onDone }: { model: ModelInfo; onDone: (saved: boolean) => void }) {
  const choices = useMemo(() => choicesOf(model), [model]);
  const options = useMemo(() => sliceOptionsOf(model), [model]);
  const [form, setForm] = useState({
    name: '', metric: choices[0]!.metric, target: 0, version: '', segment: '', window: '24h', schedule: '0 * * * *', comparator: 'GT' as Comparator,
    thresholds: 'fixed' as 'fixed' | 'learned', warning: '', critical: '',
    // learned: 14 days of the same hour (DAILY needs at least 5), warning at 2σ, critical at 3σ
    lookback: '14d', seasonality: 'DAILY' as Seasonality, warningSigmas: '2', criticalSigmas: '3',
  });
  const [backtest, setBacktest] = useState<{ input: string; sent: CreateMonitorInput; evals: BacktestMonitorMutation['backtestMonitor'] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choice = choices.find((c) => c.metric === form.metric) ?? choices[0]!;
  const target = choice.targets[form.target] ?? choice.targets[0]!;
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  const learned = form.thresholds === 'learned';
  const input: CreateMonitorInput = {
    model: model.name,
    name: form.name,
    metric: form.metric,
    feature: target.feature ?? null,
    attribute: target.attribute ?? null,
    window: form.window,
    schedule: form.schedule,
    comparator: form.comparator,
    // only what is chosen is sent: absent means all versions, all traffic
    ...(form.version ? { version: form.version } : {}),
    ...(form.segment ? { segment: form.segment } : {}),
    ...(learned
      ? { autoThreshold: { lookback: form.lookback, seasonality: form.seasonality, warningSigmas: num(form.warningSigmas), criticalSigmas: num(form.criticalSigmas) } }
      : { warningThreshold: num(form.warning), criticalThreshold: num(form.critical) }),
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
        setBacktest({ input: current, sent: input, evals: got.backtestMonitor });
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
  const sent = backtest?.sent;
  const chart = useMemo(() => (backtest ? chartOf(backtest.sent, backtest.evals) : null), [backtest]);
  const withThresholds = evals.filter((e) => e.warningThreshold != null || e.criticalThreshold != null).length;
  return (
    <form class="monitor-form" onSubmit={(e) => (e.preventDefault(), run('backtest'))}>
      <h3>New monitor on {model.name}</h3>
      <div class="fields">
        <label>Name <input name="name" value={form.name} onInput={set('name')} required placeholder="income-drift" /></label>
        <label>Metric <select name="metric" value={form.metric} onChange={set('metric')}>{choices.map((c) => <option key={c.metric} value={c.metric}>{labelOf(c.metric)}</option>)}</select></label>
        <label>Of <select name="target" value={form.target} onChange={set('target')}>{choice.targets.map((t, i) => <option key={t.label} value={i}>{t.label}</option>)}</select></label>
        {options.versions.length ? (
          <label>Version <select name="version" value={form.version} onChange={set('version')}>
            <option value="">all versions</option>
            {options.versions.map((v) => <option key={v} value={v}>{v === options.currentVersion ? `${v} (current)` : v}</option>)}
          </select></label>
        ) : null}
        {options.segments.length ? (
          <label>Segment <select name="segment" value={form.segment} onChange={set('segment')}>
            <option value="">all traffic</option>
            {options.segments.map((s) => <option key={s} value={s}>{s}</option>)}
          </select></label>
        ) : null}
        <label>Window <input name="window" value={form.window} onInput={set('window')} size={6} /></label>
        <label>Schedule (cron, UTC) <input name="schedule" value={form.schedule} onInput={set('schedule')} size={12} /></label>
        <label>Alert when value <select name="comparator" value={form.comparator} onChange={set('comparator')}>{['GT', 'GTE', 'LT', 'LTE'].map((c) => <option key={c}>{c}</option>)}</select></label>
        <label>Thresholds <select name="thresholds" value={form.thresholds} onChange={set('thresholds')}>
          <option value="fixed">fixed</option>
          <option value="learned">learned from history</option>
        </select></label>
        {learned ? (
          <>
            <label>Learn from the last <input name="lookback" value={form.lookback} onInput={set('lookback')} size={5} /></label>
            <label>Seasonality <select name="seasonality" value={form.seasonality} onChange={set('seasonality')}>{SEASONALITIES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></label>
            <label>Warning at σ <input name="warningSigmas" value={form.warningSigmas} onInput={set('warningSigmas')} size={4} inputMode="decimal" /></label>
            <label>Critical at σ <input name="criticalSigmas" value={form.criticalSigmas} onInput={set('criticalSigmas')} size={4} inputMode="decimal" /></label>
          </>
        ) : (
          <>
            <label>Warning <input name="warning" value={form.warning} onInput={set('warning')} size={6} inputMode="decimal" /></label>
            <label>Critical <input name="critical" value={form.critical} onInput={set('critical')} size={6} inputMode="decimal" /></label>
          </>
        )}
      </div>
      {learned && input.autoThreshold ? <p class="muted">Thresholds {learnedText(form.comparator, input.autoThreshold)} of this monitor's own runs; fewer than 5 past values is NO_DATA.</p> : null}
      <div class="actions">
        <button type="submit" disabled={busy}>Backtest the last 14 days</button>
        <button type="button" disabled={busy || !fresh} onClick={() => run('save')} title={fresh ? '' : 'backtest this monitor first'}>Save monitor</button>
        <button type="button" class="link" onClick={() => onDone(false)}>Cancel</button>
      </div>
      {problem ? <p class="error">{problem}</p> : null}
      {backtest ? (
        <div class="backtest" data-runs={evals.length} data-learned={sent?.autoThreshold ? 'yes' : undefined}>
          <p>
            {evals.length} runs: {(['CRITICAL', 'WARNING', 'OK', 'NO_DATA'] as const).map((s) => `${evals.filter((e) => e.severity === s).length} ${s}`).join(', ')}
            {sent?.autoThreshold ? ` · thresholds learned for ${withThresholds} of them` : ''}
            {fresh ? '' : ' (the form changed since: backtest again to save)'}
          </p>
          {chart && evals.length ? <Chart {...chart} /> : null}
        </div>
      ) : null}
    </form>
  );
}

/** The backtest drawn once per answer (not on each keystroke): values, the thresholds each run used, severities. */
function chartOf(sent: CreateMonitorInput, evals: BacktestMonitorMutation['backtestMonitor']): ChartProps {
  const th = thresholdLines(evals, sent.comparator, Boolean(sent.autoThreshold));
  return {
    title: `backtest: ${labelOf(sent.metric)}`,
    xs: evals.map((e) => Date.parse(e.at) / 1000),
    lines: [{ label: labelOf(sent.metric), values: evals.map((e) => e.value ?? null), color: '#2563eb' }, ...th.lines],
    bands: th.bands,
    format: formatOf(sent.metric),
    marks: evals.map((e) => ({ x: Date.parse(e.at) / 1000, color: SEVERITY_COLORS[e.severity] })),
  };
}
