// delivery-eta: a regression model predicting a delivery's minutes to the door. It stays
// healthy, apart from a storm on day 6 that makes every delivery late for a few hours
// (its error alert opens, then resolves) — the contrast with credit-risk.
import type { CreateModelArgs } from '../services/models.js';
import type { Random } from './random.js';
import { clamp, round, type DemoModelSim, type Phase, type SimulatedRow } from './simulation.js';
import { MINUTE_MS } from '../domain/time.js';

export const DELIVERY_ETA = 'delivery-eta';

/** The model as the demo registers it. */
export function deliveryEtaModel(description: string): CreateModelArgs {
  return {
    name: DELIVERY_ETA,
    task: 'REGRESSION',
    description,
    features: [
      { name: 'distance_km', type: 'NUMERIC', min: 0 },
      { name: 'items', type: 'NUMERIC', min: 1 },
      { name: 'courier_load', type: 'NUMERIC', min: 0, max: 1 },
      { name: 'city', type: 'CATEGORICAL' },
      { name: 'vehicle', type: 'CATEGORICAL' },
    ],
  };
}

const VEHICLE_MINUTES = { bike: 4, scooter: 0, car: 2 } as const;

/** One delivery, the predicted minutes and the real ones. */
function delivery(rng: Random, phase: Phase): SimulatedRow {
  const distance = round(clamp(Math.exp(rng.normal(1.5, 0.6)), 0.3, 40), 2);
  const items = Math.max(1, Math.round(Math.exp(rng.normal(0.9, 0.6))));
  const load = round(clamp(rng.normal(0.55, 0.18), 0, 1), 2);
  const city = rng.pick({ paris: 40, lyon: 25, marseille: 20, lille: 15 });
  const vehicle = rng.pick({ bike: 35, scooter: 45, car: 20 });

  const predicted = 8 + 2.6 * distance + 0.7 * items + 14 * load + VEHICLE_MINUTES[vehicle];
  const stormDelay = phase.incident ? rng.normal(14, 6) : 0;
  const actual = Math.max(3, predicted + rng.normal(0, 4) + stormDelay);

  return {
    features: { distance_km: distance, items, courier_load: load, city, vehicle },
    value: round(predicted, 1),
    actualValue: round(actual, 1),
  };
}

/** The delivery-eta simulation: 95% of deliveries report back, 20 to 120 minutes later. */
export const deliveryEtaSim: DemoModelSim = {
  prefix: 'eta',
  seed: 0xe7a,
  incident: [6 + 15 / 24, 6 + 21 / 24],
  labelRate: 0.95,
  labelDelayMs: (rng) => Math.round(rng.uniform(20, 120) * MINUTE_MS),
  row: delivery,
};
