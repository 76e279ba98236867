// The demo's simulated traffic, without a database: seeded, shaped like the story says.
import { describe, expect, it } from 'vitest';
import { createRandom, seedOf } from '../../src/demo/random.js';
import { baselineRows, hourTraffic } from '../../src/demo/traffic.js';
import { creditRiskSim } from '../../src/demo/credit-risk.js';
import { deliveryEtaSim } from '../../src/demo/delivery-eta.js';
import { DAY_MS, HOUR_MS } from '../../src/demo/simulation.js';

const START = Date.parse('2024-05-06T10:00:00Z');
const FAR = START + 30 * DAY_MS;

function day(sim: typeof creditRiskSim, d: number) {
  const events = [];
  for (let h = 0; h < 24; h++) events.push(...hourTraffic(sim, START, START + d * DAY_MS + h * HOUR_MS, FAR));
  return events;
}

describe('demo traffic', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = createRandom(seedOf(1, 2));
    const b = createRandom(seedOf(1, 2));
    const c = createRandom(seedOf(1, 3));
    const xs = [a.next(), a.next(), a.normal(0, 1)];
    expect([b.next(), b.next(), b.normal(0, 1)]).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
    expect(hourTraffic(creditRiskSim, START, START + 5 * HOUR_MS, FAR)).toEqual(hourTraffic(creditRiskSim, START, START + 5 * HOUR_MS, FAR));
  });

  it('sends 50 to 150 predictions an hour, in time order, nothing at or after the present', () => {
    for (let h = 0; h < 48; h++) {
      const events = hourTraffic(deliveryEtaSim, START, START + h * HOUR_MS, FAR);
      expect(events.length).toBeGreaterThanOrEqual(50);
      expect(events.length).toBeLessThanOrEqual(150);
      expect(events.map((e) => e.ts)).toEqual([...events.map((e) => e.ts)].sort((x, y) => x - y));
    }
    const cut = START + 30 * 60_000;
    expect(hourTraffic(creditRiskSim, START, START, cut).every((e) => e.ts < cut)).toBe(true);
  });

  it('tells the credit-risk story: calm, an outage on day 4, drift from day 10', () => {
    const missing = (events: ReturnType<typeof day>) => events.filter((e) => e.row.features.employment_years === null).length / events.length;
    const selection = (events: ReturnType<typeof day>, g: string) => {
      const group = events.filter((e) => e.row.features.gender === g);
      return group.filter((e) => e.row.score! >= 0.35).length / group.length;
    };
    const meanIncome = (events: ReturnType<typeof day>) => events.reduce((s, e) => s + (e.row.features.income as number), 0) / events.length;
    const calm = day(creditRiskSim, 2);
    const outage = day(creditRiskSim, 4);
    const drifted = day(creditRiskSim, 12);
    expect(missing(calm)).toBe(0);
    expect(missing(outage)).toBeGreaterThan(0.1);
    expect(missing(drifted)).toBeGreaterThan(0.25);
    expect(meanIncome(drifted) / meanIncome(calm)).toBeGreaterThan(1.2);
    expect(selection(calm, 'F') / selection(calm, 'M')).toBeGreaterThan(0.85);
    expect(selection(drifted, 'F') / selection(drifted, 'M')).toBeLessThan(0.7);
    expect(baselineRows(creditRiskSim, 500).every((r) => r.features.employment_years !== null)).toBe(true);
  });

  it('labels most events, later than their prediction', () => {
    const events = day(creditRiskSim, 3);
    const labelled = events.filter((e) => e.actualAt !== null);
    expect(labelled.length / events.length).toBeGreaterThan(0.75);
    expect(labelled.every((e) => e.actualAt! > e.ts)).toBe(true);
  });
});
