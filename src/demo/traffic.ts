// Turns a model simulation into timed traffic: a daily rhythm of 50-150 predictions an
// hour (times the model's volume: credit-risk's weekends are quieter), event ids, and when
// each actual arrives. Each hour draws from its own seeded stream, so an hour's events
// depend only on its place in the story.
import { createRandom, seedOf } from './random.js';
import { HOUR_MS, phaseAt, type DemoModelSim, type SimulatedRow } from './simulation.js';

export interface DemoEvent {
  eventId: string;
  ts: number;
  row: SimulatedRow;
  /** when its actual arrives; null when it never does */
  actualAt: number | null;
}

function hourLabel(ts: number): string {
  return new Date(ts).toISOString().slice(0, 13).replace(/[-T]/g, '');
}

/**
 * The events of the hour starting at `hourStart`, in time order, all before `until`.
 * Same (sim, start, hourStart) -> same events.
 */
export function hourTraffic(sim: DemoModelSim, start: number, hourStart: number, until: number): DemoEvent[] {
  const hourIndex = Math.round((hourStart - start) / HOUR_MS);
  const rng = createRandom(seedOf(sim.seed, hourIndex));
  const utcHour = new Date(hourStart).getUTCHours();
  // busiest mid-afternoon UTC, quietest at night
  const rhythm = 100 + 45 * Math.sin((2 * Math.PI * (utcHour - 8)) / 24);
  const count = Math.round(Math.min(150, Math.max(50, rhythm + rng.normal(0, 6))) * (sim.volume?.(hourStart) ?? 1));
  const offsets = Array.from({ length: count }, () => Math.floor(rng.next() * HOUR_MS)).sort((a, b) => a - b);
  const label = hourLabel(hourStart);
  const events: DemoEvent[] = [];
  offsets.forEach((offset, i) => {
    const ts = hourStart + offset;
    const row = sim.row(rng, phaseAt(sim, start, ts));
    const labelled = rng.chance(sim.labelRate);
    const delay = sim.labelDelayMs(rng);
    if (ts >= until) return;
    events.push({ eventId: `${sim.prefix}-${label}-${String(i).padStart(3, '0')}`, ts, row, actualAt: labelled ? ts + delay : null });
  });
  return events;
}

/** `n` rows of the model's training data: the story before anything went wrong. */
export function baselineRows(sim: DemoModelSim, n: number): SimulatedRow[] {
  const rng = createRandom(seedOf(sim.seed, -1));
  const calm = { day: -1, drift: 0, incident: false };
  return Array.from({ length: n }, () => sim.row(rng, calm));
}
