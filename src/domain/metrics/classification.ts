// Confusion-based metrics (METRICS.md "Model performance"): a ratio whose denominator is
// 0 is null, never NaN.

/** a / b, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

export interface BinaryMetrics {
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  falsePositiveRate: number | null;
}

/** Accuracy, precision, recall, F1 (2TP/(2TP+FP+FN)) and FPR from the confusion counts. */
export function binaryMetrics(tp: number, fp: number, tn: number, fn: number): BinaryMetrics {
  return {
    accuracy: ratio(tp + tn, tp + fp + tn + fn),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    falsePositiveRate: ratio(fp, fp + tn),
  };
}

export interface MulticlassMetrics {
  accuracy: number | null;
  macroF1: number | null;
  weightedF1: number | null;
}

/**
 * Accuracy and macro / support-weighted F1 (`f1_score(average="macro"|"weighted")`) over
 * the classes seen in actuals or predictions. `pairs` are (actual, predicted or null, count);
 * an event without a prediction is wrong and counts only as its actual's false negative.
 */
export function multiclassMetrics(pairs: Iterable<[string, string | null, number]>): MulticlassMetrics {
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const support = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, c: number) => m.set(k, (m.get(k) ?? 0) + c);
  let total = 0;
  let correct = 0;
  for (const [a, p, c] of pairs) {
    if (c === 0) continue;
    total += c;
    add(support, a, c);
    if (p === a) {
      correct += c;
      add(tp, a, c);
    } else {
      add(fn, a, c);
      if (p !== null) add(fp, p, c);
    }
  }
  if (total === 0) return { accuracy: null, macroF1: null, weightedF1: null };
  const classes = Array.from(new Set([...support.keys(), ...fp.keys()])).sort();
  let macro = 0;
  let weighted = 0;
  for (const k of classes) {
    const t = tp.get(k) ?? 0;
    const denom = 2 * t + (fp.get(k) ?? 0) + (fn.get(k) ?? 0);
    const f1 = denom === 0 ? 0 : (2 * t) / denom;
    macro += f1;
    weighted += f1 * (support.get(k) ?? 0);
  }
  return { accuracy: correct / total, macroF1: macro / classes.length, weightedF1: weighted / total };
}

/** Largest minus smallest of the non-null values; null when there are none. */
export function spread(values: Array<number | null>): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length === 0 ? null : Math.max(...v) - Math.min(...v);
}
