// A grid of series charts, fetched together in batches (api/series.ts). Each chart is one
// entry of `charts`: one or more series drawn on shared time axes.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchSeries, specKey, type Point, type SeriesSpec, type SeriesWindow } from '../api/series';
import { Chart, COLORS } from '../charts/chart';
import { formatOf, labelOf } from '../format';

export interface ChartSpec {
  title: string;
  series: SeriesSpec[];
}

export function SeriesGrid({ charts, window: w }: { charts: ChartSpec[]; window: SeriesWindow }) {
  const [got, setGot] = useState<Map<string, Point[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const specs = useMemo(() => {
    const all = new Map<string, SeriesSpec>();
    for (const c of charts) for (const s of c.series) all.set(specKey(s), s);
    return [...all.values()];
  }, [charts]);
  const key = JSON.stringify([w, specs]);

  useEffect(() => {
    let live = true;
    setGot(new Map());
    setError(null);
    const started = performance.now();
    fetchSeries(w, specs, (batch) => live && setGot((prev) => new Map([...prev, ...batch]))).then(
      // for the browser test and the curious: how long the whole grid took to arrive
      () => live && performance.measure('glassbox:series', { start: started }),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [key]);

  if (error) return <p class="error">{error}</p>;
  const done = specs.every((s) => got.has(specKey(s)));
  return (
    <div class="grid" data-loaded={done ? 'yes' : 'no'}>
      {charts.map((c) => (
        <SeriesChart key={c.title} spec={c} got={got} />
      ))}
    </div>
  );
}

function SeriesChart({ spec, got }: { spec: ChartSpec; got: Map<string, Point[]> }) {
  const data = spec.series.map((s) => got.get(specKey(s)));
  const ready = data.every((d) => d !== undefined);
  // memoised so that the chart is drawn once per answer, not once per render
  const drawn = useMemo(() => {
    if (!ready) return null;
    // an optional series without a single value (an estimate the model cannot make) is left out
    const kept = spec.series.map((s, i) => ({ s, points: data[i]! })).filter(({ s, points }) => !s.optional || points.some((p) => p.value !== null));
    const xs = [...new Set(kept.flatMap(({ points }) => points.map((p) => Date.parse(p.start) / 1000)))].sort((a, b) => a - b);
    const estimated = kept.some(({ s }) => s.optional);
    const lines = kept.map(({ s, points }, i) => {
      const at = new Map(points.map((p) => [Date.parse(p.start) / 1000, p.value ?? null]));
      // beside an estimate the measured line says so; the estimate is dashed
      const label = kept.length === 1 ? spec.title : s.optional ? labelOf(s.metric) : estimated ? `measured ${labelOf(s.metric)}` : labelOf(s.metric);
      return { label, values: xs.map((x) => at.get(x) ?? null), color: COLORS[i % COLORS.length]!, ...(s.optional ? { dash: [6, 4] } : {}) };
    });
    return { xs, lines, format: formatOf(spec.series[0]!.metric), estimated };
  }, [ready, ...data]);
  if (!drawn) return <figure class="chart loading" data-title={spec.title}><figcaption>{spec.title}</figcaption><p class="muted">loading…</p></figure>;
  return <Chart title={spec.title} xs={drawn.xs} lines={drawn.lines} format={drawn.format} estimated={drawn.estimated} />;
}
