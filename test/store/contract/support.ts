// Shared bits of the repository contract: a model and a monitor to create, a tick, a gate.
import type { NewModel } from '../../../src/store/ports/models.js';
import type { NewMonitor } from '../../../src/store/ports/monitors.js';

/** 2026-11-01T00:00Z: beyond 2^31 ms, as every real timestamp. */
export const T0 = Date.UTC(2026, 10, 1);

/** A model to create, with every field set unless overridden. */
export function newModel(name: string, over: Partial<NewModel> = {}): NewModel {
  return {
    name,
    task: 'BINARY_CLASSIFICATION',
    description: `the ${name} model`,
    positiveClass: 'yes',
    decisionThreshold: 0.7,
    features: [
      { name: 'age', type: 'NUMERIC', protected: false, min: -1.5, max: 120.25 },
      { name: 'country', type: 'CATEGORICAL', protected: true, min: null, max: null },
    ],
    retentionDays: 30,
    createdAt: T0,
    ...over,
  };
}

/** Lets other callbacks run (no time passes: nothing here sleeps). */
export const tick = () => new Promise<void>((r) => setImmediate(r));

/** A promise and the function that resolves it. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

export const names = (models: Array<{ name: string }>) => models.map((m) => m.name);

/** A monitor of the model to create, with every field set unless overridden. */
export function newMonitor(modelId: number, name: string, over: Partial<NewMonitor> = {}): NewMonitor {
  return {
    modelId,
    name,
    metric: 'psi',
    feature: 'age',
    attribute: null,
    window: '24h',
    windowMs: 86_400_000,
    schedule: '*/5 * * * *',
    comparator: 'GT',
    warningThreshold: 0.1,
    criticalThreshold: 0.25,
    autoThreshold: null,
    forEvaluations: 2,
    minSampleSize: 100,
    repeatInterval: '4h',
    repeatIntervalMs: 14_400_000,
    enabled: true,
    version: null,
    segment: null,
    createdAt: T0,
    ...over,
  };
}
