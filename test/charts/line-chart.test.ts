// The chart module: what the SVG says (points, gaps, thresholds, UTC labels, escaping) and
// that resvg turns it into a PNG of the expected size.
import { describe, expect, it } from 'vitest';
import { escapeXml, formatValue, lineChartSvg, timeLabel, timeTicks, yScale } from '../../src/charts/line-chart.js';
import { pngSize, svgToPng } from '../../src/charts/png.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);
const hourly = (values: Array<number | null>) => values.map((value, i) => ({ t: T0 + i * H, value }));
const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe('lineChartSvg', () => {
  it('draws one dot per point and breaks the line at null points', () => {
    const svg = lineChartSvg({ title: 'PSI of income', points: hourly([0.1, 0.2, null, 0.3, 0.25, 0.4]), from: T0, to: T0 + 6 * H });
    expect(count(svg, /class="point"/g)).toBe(5);
    // two runs: [0.1, 0.2] and [0.3, 0.25, 0.4]
    const paths = svg.match(/class="series" d="([^"]+)"/g) ?? [];
    expect(paths).toHaveLength(2);
    expect(count(paths[0]!, /L/g)).toBe(1);
    expect(count(paths[1]!, /L/g)).toBe(2);
  });

  it('an isolated point is a dot without a line; no point at all says so', () => {
    const one = lineChartSvg({ title: 't', points: hourly([null, 0.5, null]), from: T0, to: T0 + 3 * H });
    expect(count(one, /class="series"/g)).toBe(0);
    expect(count(one, /class="point"/g)).toBe(1);
    const none = lineChartSvg({ title: 't', points: hourly([null, null]), from: T0, to: T0 + 2 * H });
    expect(none).toContain('no data in this window');
    expect(count(none, /class="point"/g)).toBe(0);
  });

  it('draws warning and critical rules inside the y range, and none when not given', () => {
    const svg = lineChartSvg({ title: 't', points: hourly([0.01, 0.02]), from: T0, to: T0 + 2 * H, warning: 0.1, critical: 0.25 });
    expect(svg).toContain('class="threshold-warning"');
    expect(svg).toContain('class="threshold-critical"');
    expect(svg).toContain('warning 0.1');
    expect(svg).toContain('critical 0.25');
    const y = (kind: string) => Number(new RegExp(`class="threshold-${kind}"[^>]*y1="([\\d.]+)"`).exec(svg)![1]);
    // higher values sit higher on the page (smaller y), and both lie within the plot
    expect(y('critical')).toBeLessThan(y('warning'));
    expect(y('critical')).toBeGreaterThanOrEqual(34);
    const bare = lineChartSvg({ title: 't', points: hourly([0.01, 0.02]), from: T0, to: T0 + 2 * H, warning: null });
    expect(bare).not.toContain('threshold-');
  });

  it('labels the time axis in UTC', () => {
    const svg = lineChartSvg({ title: 't', points: hourly(Array(48).fill(1)), from: T0 - 12 * H, to: T0 + 36 * H });
    const labels = [...svg.matchAll(/class="x-tick"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toContain('Mar 1 00:00');
    expect(labels).toContain('12:00');
    expect(svg).toContain('time (UTC)');
  });

  it('escapes the title', () => {
    const svg = lineChartSvg({ title: '<script>alert("x")</script> & co', points: hourly([1, 2]), from: T0, to: T0 + 2 * H });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
  });
});

describe('scales and labels', () => {
  it('y ticks are round and cover every value', () => {
    const s = yScale([0.013, 0.377]);
    expect(s.lo).toBeLessThanOrEqual(0.013);
    expect(s.hi).toBeGreaterThanOrEqual(0.377);
    expect(s.ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(yScale([5, 5]).ticks.length).toBeGreaterThan(1);
  });

  it('time ticks fall on whole UTC hours or days, at most six', () => {
    const day = timeTicks(T0 + 1, T0 + 30 * 24 * H);
    expect(day.length).toBeLessThanOrEqual(6);
    for (const t of day) expect(t % (24 * H)).toBe(0);
    expect(timeLabel(T0 + 7 * 24 * H, 7 * 24 * H)).toBe('Mar 8');
    expect(timeLabel(T0 + 13 * H, 3 * H)).toBe('13:00');
  });

  it('formats values briefly', () => {
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(12345)).toBe('12,345');
    expect(formatValue(0)).toBe('0');
    expect(escapeXml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&#39;');
  });
});

describe('svgToPng', () => {
  it('renders the chart as a PNG twice its size', async () => {
    const svg = lineChartSvg({ title: 'PSI of income', points: hourly([0.1, 0.2, null, 0.3]), from: T0, to: T0 + 4 * H, width: 320, height: 160 });
    const png = await svgToPng(svg);
    expect(pngSize(png)).toEqual({ width: 640, height: 320 });
    expect(pngSize(Buffer.from('not a png at all, not at all'))).toBeNull();
  });
});
