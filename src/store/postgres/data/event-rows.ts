// An `events` row as the statistics take it, in one place for every reader of raw events
// (metric reads at window edges, the actual writer, rebuilds, slice backfills): with its
// version (which slices it belongs to: domain/slices.ts) and its attributions.
import type { StatsEvent } from '../../../domain/metrics/window-stats.js';

/** An `events` row as the statistics take it. */
export interface EventRow {
  ts: number;
  features: string;
  score: number | null;
  predicted_label: string | null;
  value: number | null;
  actual_label: string | null;
  actual_value: number | null;
  version_id: number | null;
  attributions: string | null;
}

export const EVENT_COLUMNS = 'ts, features, score, predicted_label, value, actual_label, actual_value, version_id, attributions';

/** A stored event as the statistics see it, with its time and version. */
export type SliceEvent = StatsEvent & { ts: number; versionId: number | null };

export const statsEventOf = (e: EventRow): SliceEvent => ({
  ts: Number(e.ts),
  features: JSON.parse(e.features) as Record<string, unknown>,
  score: e.score,
  predictedLabel: e.predicted_label,
  value: e.value,
  actualLabel: e.actual_label,
  actualValue: e.actual_value,
  attributions: e.attributions === null ? null : (JSON.parse(e.attributions) as Record<string, unknown>),
  versionId: e.version_id,
});
