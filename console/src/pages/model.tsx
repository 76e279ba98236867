// One model: its health, then a tab per family of metrics as charts over the chosen window
// (and version/segment, where the model has them), its alerts and its monitors.
import { useMemo } from 'preact/hooks';
import { useQuery } from '../api/use-query';
import { ModelQuery } from '../api/operations';
import type { ModelQuery as ModelData } from '../gql/graphql';
import { navigate, withQuery } from '../router';
import { NO_OPTIONS, sliceArgs, sliceOf, sliceOptionsOf } from '../slice';
import { spanOf, WINDOWS } from '../time';
import type { SeriesWindow } from '../api/series';
import { MetricsTab } from './metrics-tab';
import { AlertsTab } from './alerts';
import { MonitorsTab } from './monitors';

export type ModelInfo = NonNullable<ModelData['model']>;

const TABS = ['drift', 'integrity', 'performance', 'fairness', 'traffic', 'alerts', 'monitors'] as const;
type Tab = (typeof TABS)[number];

export function ModelPage({ name, tab, search, canEdit }: { name: string; tab: string | undefined; search: string; canEdit: boolean }) {
  const { data, error } = useQuery(ModelQuery, { name });
  const current: Tab = (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'drift';
  const span = spanOf(search);
  const options = useMemo(() => (data?.model ? sliceOptionsOf(data.model) : NO_OPTIONS), [data]);
  const slice = sliceOf(search, options);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">Loading {name}…</p>;
  const model = data.model;
  if (!model) return <p class="error">No model is named “{name}”. <a href="/" data-route>All models</a></p>;
  const base = `/models/${encodeURIComponent(name)}`;
  const win: SeriesWindow = { model: name, from: span.from, to: span.to, granularity: span.granularity, slice: sliceArgs(slice) };
  const charted = current !== 'alerts' && current !== 'monitors';
  const set = (changes: Record<string, string | undefined>) => navigate(`${base}/${current}${withQuery(search, changes)}`);

  return (
    <section>
      <p class="crumbs"><a href="/" data-route>Models</a> /</p>
      <h1>
        {model.name} <span class={`badge ${model.health.status}`}>{model.health.status}</span>
      </h1>
      <p class="summary">{model.health.summary}</p>
      <p class="muted">
        {model.task.toLowerCase().replace(/_/g, ' ')} · {model.features.length} features
        {model.baseline ? ` · baseline of ${model.baseline.rowCount.toLocaleString('en')} rows` : ' · no baseline yet (drift needs one)'}
        {model.versions.length ? ` · ${model.versions.length} version${model.versions.length > 1 ? 's' : ''}${model.currentVersion ? ` (current ${model.currentVersion})` : ''}` : ''}
        {model.segments.length ? ` · segments ${model.segments.map((s) => s.name).join(', ')}` : ''}
        {model.description ? ` · ${model.description}` : ''}
      </p>
      <nav class="tabs">
        {TABS.map((t) => (
          <a key={t} href={`${base}/${t}${search}`} data-route class={t === current ? 'on' : ''}>
            {t}
          </a>
        ))}
      </nav>
      {charted ? (
        <div class="controls">
          <label>
            Window{' '}
            <select name="window" value={span.window} onChange={(e) => set({ window: e.currentTarget.value, g: undefined })}>
              {Object.keys(WINDOWS).map((w) => <option key={w}>{w}</option>)}
            </select>
          </label>
          <label>
            Granularity{' '}
            <select name="granularity" value={span.granularity} onChange={(e) => set({ g: e.currentTarget.value })}>
              <option value="HOUR">hour</option>
              <option value="DAY">day</option>
            </select>
          </label>
          {options.versions.length ? (
            <label>
              Version{' '}
              <select name="version" value={slice.version ?? ''} onChange={(e) => set({ version: e.currentTarget.value || undefined })}>
                <option value="">all</option>
                {options.versions.map((v) => <option key={v} value={v}>{v === options.currentVersion ? `${v} (current)` : v}</option>)}
              </select>
            </label>
          ) : null}
          {options.segments.length ? (
            <label>
              Segment{' '}
              <select name="segment" value={slice.segment ?? ''} onChange={(e) => set({ segment: e.currentTarget.value || undefined })}>
                <option value="">all</option>
                {options.segments.map((s) => <option key={s}>{s}</option>)}
              </select>
            </label>
          ) : null}
          <span class="muted">
            {span.from.slice(0, 16).replace('T', ' ')} → {span.to.slice(0, 16).replace('T', ' ')} UTC
          </span>
        </div>
      ) : null}
      {current === 'alerts' ? (
        <AlertsTab name={name} canEdit={canEdit} />
      ) : current === 'monitors' ? (
        <MonitorsTab model={model} canEdit={canEdit} />
      ) : (
        <MetricsTab family={current} model={model} window={win} search={search} onMetric={(m) => set({ metric: m })} />
      )}
    </section>
  );
}
