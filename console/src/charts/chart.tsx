// One time-series chart (uPlot: canvas, ~50 kB, fast with thousands of points). Sized to its
// container; null values are gaps. data-points tells tests and people how many points it drew.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Line {
  label: string;
  /** a y value per x; null is a gap */
  values: (number | null)[];
  color: string;
  dash?: number[];
}

export interface ChartProps {
  title: string;
  /** x, as epoch seconds */
  xs: number[];
  lines: Line[];
  height?: number;
  /** a value format for the axis and the legend */
  format?: (v: number) => string;
  /** marks drawn at x (e.g. a backtest's severities), coloured each */
  marks?: Array<{ x: number; color: string }>;
  /** one of the lines is an estimate (said in data-estimated, for tests and styles) */
  estimated?: boolean;
}

export const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];

export function Chart({ title, xs, lines, height = 150, format, marks, estimated }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const points = lines.reduce((n, l) => n + l.values.filter((v) => v !== null).length, 0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const fmt = format ?? ((v: number) => String(+v.toPrecision(3)));
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: lines.length > 1 },
      cursor: { points: { size: 5 } },
      scales: { x: { time: true } },
      axes: [{ size: 30 }, { size: 50, values: (_u, ticks) => ticks.map(fmt) }],
      series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.5, dash: l.dash, spanGaps: false, value: (_u: uPlot, v: number | null) => (v === null ? '–' : fmt(v)), points: { show: xs.length < 60 } }))],
      hooks: marks ? { draw: [(u: uPlot) => drawMarks(u, marks)] } : {},
    };
    const u = new uPlot(opts, [xs, ...lines.map((l) => l.values)] as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [xs, lines, height, format, marks]);

  return (
    <figure class="chart" data-title={title} data-points={points} data-estimated={estimated ? 'yes' : undefined}>
      <figcaption>{title}</figcaption>
      {points === 0 ? <p class="muted nodata">no data in this window</p> : null}
      <div ref={box} />
    </figure>
  );
}

function drawMarks(u: uPlot, marks: Array<{ x: number; color: string }>): void {
  const ctx = u.ctx;
  const top = u.bbox.top + u.bbox.height - 6 * devicePixelRatio;
  for (const m of marks) {
    const x = u.valToPos(m.x, 'x', true);
    ctx.fillStyle = m.color;
    ctx.fillRect(x - 2 * devicePixelRatio, top, 4 * devicePixelRatio, 6 * devicePixelRatio);
  }
}
