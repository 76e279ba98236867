// Which slices each event of a batch goes to, on SQLite: slice 0 (the model) takes them
// all, every other slice those of its version in its segment (domain/slices.ts), each
// with its own statistics context. Used by ingest, its head, recovery and rebuilds alike.
import type Database from 'better-sqlite3';
import type { ModelRecord } from '../../../domain/model.js';
import type { StatsContext } from '../../../domain/metrics/context.js';
import { sliceContext } from './slice-set.js';
import { modelSlices } from './stats-store.js';

/** The key of a slice's hours in the partial-value hints (changes when the model's id is reused). */
export const hintKey = (model: ModelRecord, slice: number) => `${model.id}:${model.createdAt}:${slice}`;

/**
 * Each item's slices: slice 0 (the model) takes them all, every other slice those of its
 * version in its segment (domain/slices.ts). Returns the items per slice with its context.
 */
export function itemsBySlice<T>(sqlite: Database.Database, model: ModelRecord, items: readonly T[], event: (t: T) => { versionId?: number | null; features: Record<string, unknown> }): Array<{ slice: number; ctx: StatsContext; items: readonly T[] }> {
  const { ctx, set } = modelSlices(sqlite, model);
  const out: Array<{ slice: number; ctx: StatsContext; items: readonly T[] }> = [{ slice: 0, ctx, items }];
  if (set.slices.size === 0) return out;
  const bySlice = new Map<number, T[]>();
  for (const it of items) {
    const e = event(it);
    for (const slice of set.route(e.versionId ?? null, e.features)) {
      let list = bySlice.get(slice);
      if (!list) bySlice.set(slice, (list = []));
      list.push(it);
    }
  }
  for (const [slice, list] of bySlice) out.push({ slice, ctx: sliceContext(sqlite, model, set, slice), items: list });
  return out;
}
