// Reads what the CBPE tests need from test/fixtures/<name>/ (copies of ../shared/fixtures):
// the model, baseline rows, events and next.json; and selects a segment's rows by its
// conditions as METRICS.md "Segments and versions" defines them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { categoryOf, numericKind, USABLE } from '../../../src/domain/metrics/values.js';

export const NEXT_FIXTURES = ['penguins', 'seattle-weather'] as const;
const DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface Row {
  features: Record<string, unknown>;
  score?: unknown;
  actualLabel?: string | null;
  timestamp?: string;
}

export interface Estimated {
  sampleSize: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  auc: number | null;
}

export interface Condition {
  feature: string;
  in?: string[] | null;
  gte?: number | null;
  gt?: number | null;
  lte?: number | null;
  lt?: number | null;
  isMissing?: boolean | null;
}

export interface NextWindow {
  from: string;
  to: string;
  estimated: Estimated | null;
}

export interface NextFixture {
  model: { positiveClass: string; decisionThreshold?: number };
  baseline: Row[];
  events: Row[];
  next: {
    calibration: { thresholds: number[] | null; values: number[] | null };
    windows: NextWindow[];
    segments: Array<{ name: string; conditions: Condition[]; rows: { baseline: number; events: number }; windows: NextWindow[] }>;
  };
}

const ndjson = (path: string): Row[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

export function loadNext(name: string): NextFixture {
  const dir = DIR + name + '/';
  return {
    model: JSON.parse(readFileSync(dir + 'model.json', 'utf8')),
    baseline: ndjson(dir + 'baseline.ndjson'),
    events: ndjson(dir + 'events.ndjson'),
    next: JSON.parse(readFileSync(dir + 'next.json', 'utf8')),
  };
}

function holds(c: Condition, features: Record<string, unknown>): boolean {
  const v = features[c.feature];
  if (c.isMissing !== undefined && c.isMissing !== null) {
    const missing = v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
    if (missing !== c.isMissing) return false;
  }
  if (c.in !== undefined && c.in !== null) {
    const s = categoryOf(v);
    if (typeof s !== 'string' || !c.in.includes(s)) return false;
  }
  const bounds = [c.gte, c.gt, c.lte, c.lt].some((b) => b !== undefined && b !== null);
  if (bounds) {
    if (numericKind(v) !== USABLE) return false;
    const x = v as number;
    if (c.gte != null && !(x >= c.gte)) return false;
    if (c.gt != null && !(x > c.gt)) return false;
    if (c.lte != null && !(x <= c.lte)) return false;
    if (c.lt != null && !(x < c.lt)) return false;
  }
  return true;
}

/** Rows in the segment: every condition holds. */
export function inSegment<T extends Row>(rows: T[], conditions: Condition[]): T[] {
  return rows.filter((r) => conditions.every((c) => holds(c, r.features)));
}
