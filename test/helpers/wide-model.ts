// A model as wide and long as the console must stay fast on: 20 numeric features, 30 days of
// hourly traffic (a few predictions an hour), a baseline, sent through the NDJSON doors.
import type { TestServer } from '../helpers/server.js';

const HOUR = 3_600_000;

/** Deterministic noise in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

/**
 * Creates `name` with `features` numeric features and `days` of hourly predictions, the
 * last in now's hour: `perHour` of them a minute apart from the hour, so `now` should be at
 * least `perHour` minutes past it.
 */
export async function seedWideModel(s: TestServer, name: string, now: number, features = 20, days = 30, perHour = 4): Promise<void> {
  const names = Array.from({ length: features }, (_, i) => `f${String(i + 1).padStart(2, '0')}`);
  const created = await s.gql(
    `mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`,
    { input: { name, task: 'BINARY_CLASSIFICATION', positiveClass: 'yes', features: names.map((n) => ({ name: n, type: 'NUMERIC' })) } },
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const rnd = random(7);
  const row = (shift: number) => Object.fromEntries(names.map((n, i) => [n, +(rnd() * 10 + i + shift).toFixed(3)]));
  const baseline = Array.from({ length: 500 }, () => JSON.stringify({ features: row(0), score: +rnd().toFixed(3), actualLabel: rnd() < 0.3 ? 'yes' : 'no' }));
  const end = Math.floor(now / HOUR) * HOUR;
  const predictions: string[] = [];
  for (let h = days * 24 - 1; h >= 0; h--) {
    // the features slide away from the baseline over the month
    const shift = ((days * 24 - h) / (days * 24)) * 3;
    for (let k = 0; k < perHour; k++) {
      predictions.push(JSON.stringify({ eventId: `w-${h}-${k}`, timestamp: new Date(end - h * HOUR + k * 60_000).toISOString(), features: row(shift), score: +rnd().toFixed(3) }));
    }
  }
  for (const [door, lines] of [['baseline', baseline], ['predictions', predictions]] as const) {
    const r = await s.post(`/v1/models/${name}/${door}`, lines.join('\n'), { 'content-type': 'application/x-ndjson' });
    if (r.status !== 200 || r.json.rejected) throw new Error(`${door}: ${r.text.slice(0, 300)}`);
  }
}
