// One event as the statistics see it (a prediction, or a baseline row).

export interface StatsEvent {
  features: Record<string, unknown>;
  score: number | null;
  predictedLabel: string | null;
  value: number | null;
  actualLabel: string | null;
  actualValue: number | null;
  /** per-feature attributions (e.g. SHAP values) as the event carried them, null or absent: none */
  attributions?: Record<string, unknown> | null;
}
