// Inputs that many tests share: a binary credit-risk model and a PSI monitor on its income.
export const CREATE_MODEL = `mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`;

/** A credit-risk binary classifier; `extra` features are appended (e.g. a protected one). */
export function creditRiskModel(extra: Array<{ name: string; type: 'NUMERIC' | 'CATEGORICAL'; protected?: boolean }> = []) {
  return {
    name: 'credit-risk',
    task: 'BINARY_CLASSIFICATION' as const,
    positiveClass: 'default',
    features: [{ name: 'income', type: 'NUMERIC' as const }, { name: 'region', type: 'CATEGORICAL' as const }, ...extra],
  };
}

/** PSI of income over 24h, hourly, warning above 0.1, critical above 0.2, to `channels`. */
export function incomeDriftMonitor<T extends object = object>(over?: T) {
  return {
    model: 'credit-risk',
    name: 'income drift',
    metric: 'PSI' as const,
    feature: 'income',
    window: '24h',
    schedule: '0 * * * *',
    comparator: 'GT' as const,
    warningThreshold: 0.1,
    criticalThreshold: 0.2,
    channels: ['ops-hook'],
    ...over,
  };
}
