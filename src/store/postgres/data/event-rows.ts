// An `events` row as the statistics take it, in one place for every reader of raw events
// (metric reads at window edges, the actual writer, rebuilds).
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
}

export const EVENT_COLUMNS = 'ts, features, score, predicted_label, value, actual_label, actual_value';

export const statsEventOf = (e: EventRow): StatsEvent & { ts: number } => ({
  ts: Number(e.ts),
  features: JSON.parse(e.features) as Record<string, unknown>,
  score: e.score,
  predictedLabel: e.predicted_label,
  value: e.value,
  actualLabel: e.actual_label,
  actualValue: e.actual_value,
});
