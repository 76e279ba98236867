// Many Model.series in few requests: one operation per batch, one alias per series, the
// window and the slice as variables. The server reads the aliases of one request together
// (each bucket's statistics merged once for all), so a batch is as large as the server's
// alias limit (30) allows with room to spare; more series make more batches, side by side.
import type { Metric, SeriesPointsQuery, SeriesPointsQueryVariables } from '../gql/graphql';
import { request } from './client';

export type Point = NonNullable<SeriesPointsQuery['model']>['series'][number];
export type Granularity = SeriesPointsQueryVariables['granularity'];

/** One series to draw: a metric, for a feature or a protected attribute (or neither). */
export interface SeriesSpec {
  metric: Metric;
  feature?: string | null;
  attribute?: string | null;
  /** drawn only when it has a value (an estimate the model may not have); not part of its key */
  optional?: boolean;
}

/** The window and its narrowing, the same for every series of a page. */
export interface SeriesWindow {
  model: string;
  from: string;
  to: string;
  granularity: Granularity;
  /** Narrowing by version and segment, as GraphQL arguments (only those chosen; slice.ts). */
  slice: Record<string, string>;
}

export const BATCH = 25;

export const specKey = (s: SeriesSpec) => `${s.metric}|${s.feature ?? ''}|${s.attribute ?? ''}`;

/** The operation of one batch (exported for its test of shape). */
export function seriesDocument(specs: readonly SeriesSpec[], sliceArgs: readonly string[]): string {
  const vars = ['$name: String!', '$from: DateTime!', '$to: DateTime!', '$g: Granularity!', ...sliceArgs.map((a) => `$${a}: String`)];
  const pass = sliceArgs.map((a) => `, ${a}: $${a}`).join('');
  const fields = specs.map((s, i) => {
    const f = s.feature ? `, feature: ${JSON.stringify(s.feature)}` : '';
    const a = s.attribute ? `, attribute: ${JSON.stringify(s.attribute)}` : '';
    return `s${i}: series(metric: ${s.metric}, from: $from, to: $to, granularity: $g${f}${a}${pass}) { start value sampleSize }`;
  });
  return `query Series(${vars.join(', ')}) { model(name: $name) { ${fields.join(' ')} } }`;
}

/** Fetches every series, BATCH to a request, all requests at once; calls `onBatch` as each lands. */
export async function fetchSeries(w: SeriesWindow, specs: readonly SeriesSpec[], onBatch: (got: Map<string, Point[]>) => void): Promise<void> {
  const sliceArgs = Object.keys(w.slice);
  const batches: SeriesSpec[][] = [];
  for (let i = 0; i < specs.length; i += BATCH) batches.push(specs.slice(i, i + BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      const data = await request<{ model: Record<string, Point[]> | null }, Record<string, unknown>>(seriesDocument(batch, sliceArgs), {
        name: w.model,
        from: w.from,
        to: w.to,
        g: w.granularity,
        ...w.slice,
      });
      const got = new Map<string, Point[]>();
      batch.forEach((s, i) => got.set(specKey(s), data.model?.[`s${i}`] ?? []));
      onBatch(got);
    }),
  );
}
