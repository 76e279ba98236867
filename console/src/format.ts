// Numbers as people read them, by the metric's format in the server's catalogue (the one
// place that says whether a metric is a rate, a count, a p-value or a plain decimal).
import { METRICS, type Metric } from '../../src/domain/metrics/catalogue.js';

export type Format = (v: number) => string;

const FORMATS: Record<string, Format> = {
  rate: (v) => `${+(v * 100).toPrecision(3)}%`,
  count: (v) => Math.round(v).toLocaleString('en'),
  pValue: (v) => (v !== 0 && Math.abs(v) < 0.001 ? v.toExponential(1) : String(+v.toPrecision(3))),
  decimal: (v) => String(+v.toPrecision(3)),
};

export const formatOf = (metric: Metric): Format => FORMATS[METRICS[metric].format]!;

/** A value or a dash. */
export const show = (v: number | null | undefined, metric: Metric): string => (v === null || v === undefined ? '–' : formatOf(metric)(v));

export const labelOf = (metric: Metric): string => METRICS[metric].label;
