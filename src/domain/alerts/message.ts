// One sentence an operator can act on at 3 a.m.: what, where, how bad, against what,
// over which window and on how many events.
// "CRITICAL: PSI of income on credit-risk is 0.31 (threshold 0.2) over the last 24h (n=12,408)";
// a drifting feature also says how much the model leans on it ("; income carries 41% of the
// model's attribution"), the phrase the health summary uses too.
import { metricInfo } from '../metrics/catalogue.js';

export interface MessageParts {
  /** WARNING/CRITICAL for a firing alert, RESOLVED once it is over */
  state: 'WARNING' | 'CRITICAL' | 'RESOLVED';
  metric: string;
  feature: string | null;
  attribute: string | null;
  model: string;
  value: number | null;
  threshold: number | null;
  /** set when the threshold was learned: the history's mean, how many σ the threshold sits from it, and on which side */
  band?: ThresholdBand | null;
  window: string;
  sampleSize: number | null;
  /** who resolved it by hand, if someone did */
  resolvedBy?: string;
  /** a drift metric's feature: its share of the baseline's attribution (METRICS.md "Explanations"), when known */
  importance?: number | null;
}

/** A learned threshold: `mean ± sigmas·σ`, above (GT/GTE) or below (LT/LTE). */
export interface ThresholdBand {
  mean: number;
  sigmas: number;
  side: 'above' | 'below';
}

/**
 * The threshold as the alert states it, without brackets: "threshold 0.2", or for a learned
 * one "above its usual 0.02 ± 3σ band: 0.11" ("within …" once resolved). Slack says the same.
 */
export function thresholdPhrase(threshold: number | null, band: ThresholdBand | null | undefined, resolved = false): string {
  if (threshold === null) return '';
  if (!band) return `threshold ${formatNumber(threshold)}`;
  const where = resolved ? 'within' : band.side;
  return `${where} its usual ${formatNumber(band.mean)} ± ${formatNumber(band.sigmas)}σ band: ${formatNumber(threshold)}`;
}

/**
 * The learned-threshold phrase an alert message states ("above its usual 0.02 ± 3σ band:
 * 0.11"), read back from the message `alertMessage` wrote; null for a fixed threshold. The
 * alert row keeps its message, not the band, so a notifier that words the threshold itself
 * (Slack) takes it from there and says what the message says.
 */
export function learnedPhraseOf(message: string): string | null {
  const m = / \(((?:above|below|within) its usual [^()]*? ± [^()]*?σ band: [^()]*)\) over the last /.exec(message);
  return m ? m[1]! : null;
}

/** A number as people read it: thousands separated, at most three significant digits below 1000. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
}

/**
 * A feature's share of the model's attribution (its baselineShare) as people read it:
 * "41% of the model's attribution"; a share under 1% but above 0 reads "<1%".
 */
export function attributionShareText(share: number): string {
  const pct = share * 100;
  const shown = pct > 0 && pct < 1 ? '<1' : String(Math.round(pct));
  return `${shown}% of the model's attribution`;
}

/** "PSI of income on credit-risk", "accuracy on fraud", "disparate impact ratio by gender on loans". */
export function subjectOf(p: Pick<MessageParts, 'metric' | 'feature' | 'attribute' | 'model'>): string {
  const info = metricInfo(p.metric);
  const label = info?.label ?? p.metric;
  if (p.feature) return `${label} of ${p.feature} on ${p.model}`;
  if (p.attribute) return `${label} by ${p.attribute} on ${p.model}`;
  if (info?.family === 'drift') return `${label} of the output of ${p.model}`;
  return `${label} on ${p.model}`;
}

/** The alert's message for its current state. */
export function alertMessage(p: MessageParts): string {
  const value = p.value === null ? 'no value' : formatNumber(p.value);
  const phrase = thresholdPhrase(p.threshold, p.band, p.state === 'RESOLVED');
  const threshold = phrase === '' ? '' : ` (${phrase})`;
  const n = p.sampleSize === null ? '' : ` (n=${formatNumber(p.sampleSize)})`;
  if (p.state === 'RESOLVED') {
    const who = p.resolvedBy ? ` by ${p.resolvedBy}` : '';
    return `RESOLVED${who}: ${subjectOf(p)} is ${value}${threshold} over the last ${p.window}${n}`;
  }
  const share = p.feature && p.importance !== undefined && p.importance !== null && metricInfo(p.metric)?.family === 'drift' ? `; ${p.feature} carries ${attributionShareText(p.importance)}` : '';
  return `${p.state}: ${subjectOf(p)} is ${value}${threshold} over the last ${p.window}${n}${share}`;
}
