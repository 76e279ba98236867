// One event as the statistics see it (a prediction, or a baseline row).

export interface StatsEvent {
  features: Record<string, unknown>;
  score: number | null;
  predictedLabel: string | null;
  value: number | null;
  actualLabel: string | null;
  actualValue: number | null;
  /** feature name -> attribution, parsed (absent or null: none); non-finite values are left out of the sums */
  attributions?: Record<string, unknown> | null;
}

/**
 * An `attributions` column (JSON text as stored, null = none) as StatsEvent takes it. Every
 * store's row reader uses this, so a row reads the same whichever store holds it.
 */
export function parseAttributions(text: string | null | undefined): Record<string, unknown> | null {
  if (text === null || text === undefined) return null;
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
