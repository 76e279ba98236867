// Segments and attributions at ingest (issue 10 groundwork): what testing 10 compiled
// segments costs per row, against the plain reading of the definition (inSegment) and
// against one pass over the row's features (the floor: reading each value once); and what
// keeping a row's attributions (20 features, exact sums) costs.
// Run alone: `npx tsx bench/segments.ts` (not yet in bench/run.ts).
import { pathToFileURL } from 'node:url';
import { addAttributions, emptyAttributionStats, featureIndex } from '../src/domain/metrics/attributions.js';
import { compileSegment, inSegment } from '../src/domain/segments/match.js';
import type { SegmentCondition } from '../src/domain/segments/segment.js';

const c = (o: Partial<SegmentCondition> & { feature: string }): SegmentCondition => ({ in: null, gte: null, gt: null, lte: null, lt: null, isMissing: null, ...o });

/** Ten segments of the kinds users write: a category list, a range, presence, a conjunction of two or three. */
const SEGMENTS: SegmentCondition[][] = [
  [c({ feature: 'country', in: ['FR', 'DE', 'IT', 'ES'] })],
  [c({ feature: 'age', gte: 18, lt: 30 })],
  [c({ feature: 'income', gt: 50_000 })],
  [c({ feature: 'plan', in: ['pro', 'team'] }), c({ feature: 'seats', gte: 5 })],
  [c({ feature: 'referrer', isMissing: true })],
  [c({ feature: 'country', in: ['US'] }), c({ feature: 'age', gte: 65 })],
  [c({ feature: 'device', in: ['ios', 'android'] }), c({ feature: 'sessions', lt: 3 }), c({ feature: 'plan', in: ['free'] })],
  [c({ feature: 'score_bucket', in: ['1', '2', '3'] })],
  [c({ feature: 'tenure', gte: 0, lte: 30 }), c({ feature: 'referrer', isMissing: false })],
  [c({ feature: 'verified', in: ['true'] })],
];

function rows(n: number): Array<Record<string, unknown>> {
  let st = 7;
  const r = () => ((st = (st * 48271) % 2147483647), st / 2147483647);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const f: Record<string, unknown> = {
      country: pick(['FR', 'DE', 'US', 'GB', 'IT', 'ES', 'JP', 'BR']),
      age: Math.floor(16 + r() * 70),
      income: r() < 0.05 ? null : Math.round(r() * 150_000),
      plan: pick(['free', 'pro', 'team']),
      seats: Math.floor(r() * 20),
      device: pick(['ios', 'android', 'web']),
      sessions: Math.floor(r() * 10),
      score_bucket: Math.floor(r() * 10),
      tenure: Math.floor(r() * 400),
      verified: r() < 0.7,
    };
    if (r() < 0.5) f.referrer = pick(['ads', 'search', 'friend']);
    for (let k = 0; k < 10; k++) f[`x${k}`] = r();
    out.push(f);
  }
  return out;
}

function time(label: string, n: number, fn: () => number): number {
  fn(); // warm up
  const t0 = performance.now();
  const hits = fn();
  const ns = ((performance.now() - t0) * 1e6) / n;
  console.log(`  ${label}: ${ns.toFixed(0)} ns/row (${hits} hits)`);
  return ns;
}

export async function runSegmentsBench(_opts: object): Promise<void> {
  const n = 200_000;
  const data = rows(n);
  console.log(`segments: ${SEGMENTS.length} segments tested on each of ${n} rows of 21 features`);
  const compiled = SEGMENTS.map(compileSegment);
  const floor = time('read each feature once (floor)', n, () => {
    let h = 0;
    for (const f of data) for (const k in f) if (f[k] !== undefined) h++;
    return h;
  });
  const fast = time('10 compiled segments', n, () => {
    let h = 0;
    for (const f of data) for (let s = 0; s < compiled.length; s++) if (compiled[s]!(f)) h++;
    return h;
  });
  const plain = time('10 segments, plain reading (inSegment)', n, () => {
    let h = 0;
    for (const f of data) for (const s of SEGMENTS) if (inSegment(s, f)) h++;
    return h;
  });
  console.log(`  compiled: x${(fast / floor).toFixed(1)} the floor, x${(plain / fast).toFixed(1)} faster than the plain reading`);

  const names = [...Object.keys(data[0]!), 'referrer'].slice(0, 20);
  const index = featureIndex(names.map((name) => ({ name })));
  const attrs = data.map((f) => Object.fromEntries(names.filter((k) => f[k] !== undefined).map((k, i) => [k, ((i * 7919) % 1000) / 1000 - 0.5 + Math.random() * 1e-3])));
  const plainSums = time('the same loop into plain float sums (not exact: the floor)', n, () => {
    const sums = new Float64Array(names.length);
    const counts = new Float64Array(names.length);
    for (const a of attrs) {
      for (const k in a) {
        const i = index.get(k)!;
        sums[i] = sums[i]! + Math.abs(a[k]!);
        counts[i] = counts[i]! + 1;
      }
    }
    return counts[0]!;
  });
  const exact = time('attributions of 20 features into exact sums', n, () => {
    const s = emptyAttributionStats(names.length);
    for (const a of attrs) addAttributions(s, index, a);
    return s.features[0]!.n;
  });
  console.log(`  exact sums: x${(exact / plainSums).toFixed(1)} the plain float sums`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSegmentsBench({});
