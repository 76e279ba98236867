// What the PostgreSQL prediction writer makes of one validated prediction: the `events`
// row it stores, and the event its statistics see. One place for both, used by the batch
// planned at commit (prediction-writer.ts) and the batch folded in as it fills (held-batch.ts).
import type { PredictionRow } from '../../../domain/ingest/validate.js';
import { parseAttributions } from '../../../domain/metrics/stats-event.js';
import type { AppendRow } from '../append-events.js';
import type { SliceEvent } from './event-rows.js';

/** The row stored for `r`, its actual (from its line, or a pending one) as given. */
export function appendRowOf(r: PredictionRow, actualLabel: string | null, actualValue: number | null, actualAt: number | null): AppendRow {
  return {
    eventId: r.eventId,
    ts: r.ts,
    features: r.featuresText ?? JSON.stringify(r.features),
    score: r.score,
    predictedLabel: r.predictedLabel,
    value: r.value,
    actualLabel,
    actualValue,
    actualAt,
    versionId: r.versionId ?? null,
    attributions: r.attributions ?? null,
  };
}

/** The event the statistics see for `r` stored as `a`. */
export function sliceEventOf(r: PredictionRow, a: AppendRow): SliceEvent {
  return {
    ts: r.ts,
    features: r.features,
    score: r.score,
    predictedLabel: r.predictedLabel,
    value: r.value,
    actualLabel: a.actualLabel,
    actualValue: a.actualValue,
    attributions: parseAttributions(a.attributions),
    versionId: a.versionId ?? null,
  };
}
