// What accumulating and computing need to know about a model and its baseline profile,
// precomputed once per (model, profile) so the per-event path does no lookups.
import { thresholdOf, type ModelRecord, type TaskType } from '../model.js';
import { baselineMeanAbs, outputColumn, profileCalibration, type BaselineProfile, type ColumnProfile } from './profile.js';
import type { IsotonicCalibration } from './isotonic.js';
import { featureIndex, type FeatureIndex } from './attributions.js';
import { searchsortedLeft, searchsortedRight } from './quantile.js';
import { slotIndex, type SlotIndex } from './fine-hist.js';

export interface ColumnContext {
  name: string;
  numeric: boolean;
  declaredMin: number | null;
  declaredMax: number | null;
  /** the baseline's profile of this column (null without a baseline) */
  profile: ColumnProfile | null;
  /** categorical: the baseline's category counts (null without a baseline) */
  baseCounts: Map<string, number> | null;
  /** fine edges (numeric with a non-empty baseline), else null */
  edges: Float64Array | null;
  /** lookup table over `edges` */
  index: SlotIndex | null;
  nslots: number;
  /** decile bin (PSI/JS) of each fine slot */
  slotBin: Uint16Array | null;
  /** slots of the in-range bounds (exactly-at-edge slots); values in slots outside are out of range */
  loSlot: number;
  hiSlot: number;
  /** the same bounds as values: out of range is v < inLo or v > inHi (no slot lookup) */
  inLo: number;
  inHi: number;
}

export interface StatsContext {
  task: TaskType;
  positiveClass: string | null;
  threshold: number;
  features: ColumnContext[];
  output: ColumnContext;
  /** indexes into `features` of the protected attributes */
  protectedIdx: number[];
  /** feature name -> index into `features` (attributions are kept in that order) */
  featureIndex: FeatureIndex;
  /** the baseline's mean |attribution| per feature (null where it has none) */
  baselineMeanAbs: Array<number | null>;
  /** CBPE's calibration (binary classifiers with a labelled baseline), else null: no estimate */
  calibration: IsotonicCalibration | null;
  /** the baseline profile's key, null without a baseline */
  profileKey: string | null;
  /**
   * what stored statistics depend on (baseline layout and calibration, both in the
   * profile's key; threshold; positive class): rows
   * built under another key are stale and rebuilt from the raw events
   */
  statsKey: string;
}

function columnContext(name: string, numeric: boolean, min: number | null, max: number | null, profile: ColumnProfile | null): ColumnContext {
  const c: ColumnContext = { name, numeric, declaredMin: min, declaredMax: max, profile, baseCounts: null, edges: null, index: null, nslots: 0, slotBin: null, loSlot: -1, hiSlot: -1, inLo: -Infinity, inHi: Infinity };
  if (profile?.kind === 'categorical') c.baseCounts = new Map(Object.entries(profile.counts));
  if (!numeric || !profile || profile.kind !== 'numeric' || profile.n === 0) return c;
  const edges = Float64Array.from(profile.edges);
  const nslots = 2 * edges.length + 1;
  const slotBin = new Uint16Array(nslots);
  for (let s = 0; s < nslots; s++) {
    // at e_i: the deciles strictly below e_i; inside (e_{i-1}, e_i): the deciles <= e_{i-1}
    // (deciles are edges, so none lies strictly inside an interval)
    const i = s >> 1;
    slotBin[s] = (s & 1) === 1 ? searchsortedLeft(profile.deciles, edges[i]!) : i === 0 ? 0 : searchsortedRight(profile.deciles, edges[i - 1]!);
  }
  const lo = min ?? profile.min;
  const hi = max ?? profile.max;
  c.edges = edges;
  c.index = slotIndex(edges);
  c.nslots = nslots;
  c.slotBin = slotBin;
  const iLo = searchsortedLeft(edges, lo);
  const iHi = searchsortedLeft(edges, hi);
  c.loSlot = 2 * iLo + 1;
  c.hiSlot = 2 * iHi + 1;
  // slot < 2iLo + 1 is below edges[iLo]; slot > 2iHi + 1 is above edges[iHi] (none past the last edge)
  c.inLo = iLo < edges.length ? edges[iLo]! : Infinity;
  c.inHi = iHi < edges.length ? edges[iHi]! : Infinity;
  return c;
}

/** The context of a model against its baseline profile (null: no baseline yet). */
export function makeStatsContext(model: ModelRecord, profile: BaselineProfile | null): StatsContext {
  const out = outputColumn(model);
  const features = model.features.map((f) =>
    columnContext(f.name, f.type === 'NUMERIC', f.min, f.max, profile?.features[f.name] ?? null),
  );
  return {
    task: model.task,
    positiveClass: model.positiveClass,
    threshold: thresholdOf(model),
    features,
    output: columnContext(out.name, out.numeric, null, null, profile?.output ?? null),
    protectedIdx: model.features.flatMap((f, i) => (f.protected ? [i] : [])),
    featureIndex: featureIndex(model.features),
    baselineMeanAbs: baselineMeanAbs(profile, model.features.map((f) => f.name)),
    calibration: model.task === 'BINARY_CLASSIFICATION' ? profileCalibration(profile) : null,
    profileKey: profile?.key ?? null,
    statsKey: JSON.stringify([profile?.key ?? null, thresholdOf(model), model.positiveClass]),
  };
}
