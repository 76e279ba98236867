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
    // from day 12 half the traffic is v2, which fixes the bug that lowers women's scores
    const v1 = drifted.filter((e) => e.row.modelVersion === 'v1');
    const v2 = drifted.filter((e) => e.row.modelVersion === 'v2');
    expect(v1.length + v2.length).toBe(drifted.length);
    expect(v2.length / drifted.length).toBeGreaterThan(0.4);
    expect(v2.length / drifted.length).toBeLessThan(0.6);
    expect(selection(v1, 'F') / selection(v1, 'M')).toBeLessThan(0.7);
    expect(selection(v2, 'F') / selection(v2, 'M')).toBeGreaterThan(0.85);
    expect(calm.every((e) => e.row.modelVersion === undefined)).toBe(true);
    // SHAP values of a linear logit: the score is the sigmoid of the intercept plus their sum
    for (const e of [...calm.slice(0, 20), ...v1.slice(0, 20), ...v2.slice(0, 20)]) {
      const logit = -1.1 + Object.values(e.row.attributions!).reduce((a, b) => a + b, 0);
      expect(Math.abs(1 / (1 + Math.exp(-logit)) - e.row.score!)).toBeLessThan(5e-4);
    }
    expect(baselineRows(creditRiskSim, 500).every((r) => r.features.employment_years !== null)).toBe(true);
  });

  it("labels most events, later than their prediction: a loan's outcome a month later", () => {
    const events = day(creditRiskSim, 3);
    const labelled = events.filter((e) => e.actualAt !== null);
    expect(labelled.length / events.length).toBeGreaterThan(0.75);
    expect(labelled.every((e) => e.actualAt! > e.ts)).toBe(true);
    expect(labelled.every((e) => e.actualAt! - e.ts >= 30 * DAY_MS && e.actualAt! - e.ts <= 31 * DAY_MS)).toBe(true);
    const deliveries = day(deliveryEtaSim, 3).filter((e) => e.actualAt !== null);
    expect(deliveries.every((e) => e.actualAt! - e.ts <= 2 * HOUR_MS)).toBe(true);
  });

  it("takes fewer loan applications at weekends, and the partner channel's sends neither employment nor debt", () => {
    // START is a Monday, 10:00: day 5 runs from Saturday 10:00 to Sunday 10:00
    const weekday = day(creditRiskSim, 2).length;
    expect(day(creditRiskSim, 5).length / weekday).toBeCloseTo(0.6, 1);
    expect(day(deliveryEtaSim, 5).length / day(deliveryEtaSim, 2).length).toBeGreaterThan(0.9);
    const drifted = day(creditRiskSim, 12);
    const partner = drifted.filter((e) => e.row.features.income === 75_000);
    expect(partner.length / drifted.length).toBeGreaterThan(0.7);
    expect(partner.every((e) => e.row.features.debt_ratio === null && e.row.features.employment_years === null)).toBe(true);
    expect(day(creditRiskSim, 2).every((e) => e.row.features.debt_ratio !== null)).toBe(true);
  });
});
