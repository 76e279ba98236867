// CBPE costs (issue 13 groundwork): fitting the calibration on a baseline, keeping the
// expected counts and the AUC histogram per event, and how big that histogram gets.
// Ratio: the per-event cost against the calibration lookup alone (predictIsotonic).
import { addCbpeEvent, cbpeStatsToJson, emptyCbpeStats, estimatedPerformance } from '../src/domain/metrics/cbpe.js';
import { fitIsotonic, predictIsotonic } from '../src/domain/metrics/isotonic.js';

export async function runCbpeBench(_opts: object): Promise<void> {
  let st = 1;
  const rand = () => {
    st = (st * 48271) % 2147483647;
    return st / 2147483647;
  };
  console.log('cbpe: calibrated scores (actual positive with probability = score), threshold 0.5');
  for (const n of [10_000, 200_000]) {
    const s = Array.from({ length: n }, rand);
    const y = s.map((v) => (rand() < v ? 1 : 0));
    const t0 = performance.now();
    const cal = fitIsotonic(s, y)!;
    console.log(`  fit on ${n} baseline rows: ${(performance.now() - t0).toFixed(1)} ms, ${cal.x.length} fitted points kept`);
    for (const m of [1_000, 100_000, 1_000_000]) {
      const ev = Array.from({ length: m }, rand);
      let sink = 0;
      const a = performance.now();
      for (const e of ev) sink += predictIsotonic(cal, e);
      const b = performance.now();
      const stats = emptyCbpeStats();
      for (const e of ev) addCbpeEvent(stats, cal, 0.5, e);
      const c = performance.now();
      const r = estimatedPerformance(stats);
      const d = performance.now();
      void sink;
      const groups = (stats.probs.exact ?? stats.probs.bins)!.size;
      const bytes = JSON.stringify(cbpeStatsToJson(stats)).length;
      console.log(
        `    ${m} events: ${(((c - b) * 1000) / m).toFixed(2)} us/event (x${((c - b) / Math.max(b - a, 1e-9)).toFixed(1)} the lookup alone), ` +
          `metrics ${(d - c).toFixed(1)} ms, ${stats.probs.exact ? 'exact' : 'binned'} with ${groups} groups, ${bytes} B as JSON (auc ${r.auc?.toFixed(4)})`,
      );
    }
  }
}
