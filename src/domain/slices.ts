// Statistics slices (docs: versions and segments): the model seen through a filter, one
// version, one segment, or both. Each slice keeps its statistics like the model does, under
// its own id (0 = the whole model) and against its own baseline profile, so a metric
// narrowed to a slice is exactly the metric of a model that received only its events and
// baseline rows. Which slices an event belongs to is decided here, once, for every store.
import type { BaselineProfile } from './metrics/profile.js';
import { compileSegment, inSegment, type FeaturesPredicate } from './segments/match.js';
import type { SegmentCondition } from './segments/segment.js';

/** The slice id of the whole model in the statistics tables. */
export const MODEL_SLICE = 0;

/** A segment as a slice needs it: its id and its conditions (immutable once created). */
export interface SliceSegment {
  id: number;
  conditions: SegmentCondition[];
}

export interface SliceRecord {
  id: number;
  modelId: number;
  /** the version the slice narrows to, null: every event (or none of a version) */
  versionId: number | null;
  segment: SliceSegment | null;
  /** the slice's baseline profile: null when no baseline row falls in it */
  profile: BaselineProfile | null;
  /** false while the events stored before the slice (or its profile) existed are being folded in */
  ready: boolean;
}

/** A slice's progress folding in the events stored before it existed (stats_slices). */
export interface SliceState {
  id: number;
  versionId: number | null;
  segmentId: number | null;
  backfillDone: number;
  backfillTotal: number;
  /** when its statistics became complete, null while backfilling */
  readyAt: number | null;
}

type SliceShape = Pick<SliceRecord, 'id' | 'versionId' | 'segment'>;

/** Whether an event (its version and features) is in the slice: the definition read plainly. */
export function inSlice(slice: Pick<SliceRecord, 'versionId' | 'segment'>, versionId: number | null, features: Readonly<Record<string, unknown>>): boolean {
  if (slice.versionId !== null && slice.versionId !== versionId) return false;
  return slice.segment === null || inSegment(slice.segment.conditions, features);
}

/** The slices (other than 0) an event belongs to; the same answers as `inSlice` over every slice. */
export type SliceRouter = (versionId: number | null, features: Readonly<Record<string, unknown>>) => number[];

/**
 * Compiles a model's slices once for ingest: an event of version v matching segments S goes
 * to (v,-), (-,s) for s in S and (v,s) for s in S; each segment is tested once per event,
 * however many versions pair with it.
 */
export function sliceRouter(slices: readonly SliceShape[]): SliceRouter {
  const segIndex = new Map<number, number>();
  const tests: FeaturesPredicate[] = [];
  const segmentSlice: number[] = [];
  for (const s of slices) {
    if (!s.segment || segIndex.has(s.segment.id)) continue;
    segIndex.set(s.segment.id, tests.length);
    tests.push(compileSegment(s.segment.conditions));
    segmentSlice.push(-1);
  }
  // per version: its own slice, and its pair with each segment (by segment index; -1: none)
  const versions = new Map<number, { own: number; pairs: number[] }>();
  const versionOf = (v: number) => {
    let e = versions.get(v);
    if (!e) versions.set(v, (e = { own: -1, pairs: tests.map(() => -1) }));
    return e;
  };
  for (const s of slices) {
    const i = s.segment ? segIndex.get(s.segment.id)! : -1;
    if (s.versionId === null) {
      if (i >= 0) segmentSlice[i] = s.id;
    } else if (i < 0) versionOf(s.versionId).own = s.id;
    else versionOf(s.versionId).pairs[i] = s.id;
  }
  const n = tests.length;
  if (n === 0 && versions.size === 0) return () => [];
  return (versionId, features) => {
    const out: number[] = [];
    const v = versionId === null ? undefined : versions.get(versionId);
    if (v && v.own >= 0) out.push(v.own);
    for (let i = 0; i < n; i++) {
      if (!tests[i]!(features)) continue;
      if (segmentSlice[i]! >= 0) out.push(segmentSlice[i]!);
      if (v && v.pairs[i]! >= 0) out.push(v.pairs[i]!);
    }
    return out;
  };
}
