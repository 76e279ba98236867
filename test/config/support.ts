// Shared by the configuration-as-code tests: a base file, applying over GraphQL, and the
// server's configuration read back.
import type { TestServer } from '../helpers/server.js';

export const HOOK_URL = 'https://hooks.example.com/glassbox/T0?token=hook-token-123';
export const HOOK_SECRET = 'signing-secret-4242';

/** A configuration with one model, two channels and two monitors (URL and secret in clear: the server sees substituted text). */
export function baseConfig(over: { auc?: string; extraMonitor?: string; channels?: string; model?: string } = {}): string {
  return `
models:
  - name: credit-risk
    task: BINARY_CLASSIFICATION
    positiveClass: default
    description: scores loan applicants
${over.model ?? `    features:
      - { name: income, type: NUMERIC, min: 0 }
      - { name: gender, type: CATEGORICAL, protected: true }`}
channels:
${over.channels ?? `  - { name: oncall, kind: WEBHOOK, webhookUrl: "${HOOK_URL}", webhookSecret: "${HOOK_SECRET}" }
  - { name: ml-team, kind: SLACK, slackChannel: "#ml-team" }`}
monitors:
  - model: credit-risk
    name: income-psi
    metric: PSI
    feature: income
    window: 24h
    schedule: "0 */6 * * *"
    comparator: GT
    warningThreshold: 0.1
    criticalThreshold: 0.25
    channels: [oncall]
${over.auc ?? `  - model: credit-risk
    name: traffic
    metric: PREDICTION_COUNT
    window: 1h
    schedule: "0 * * * *"
    comparator: LT
    warningThreshold: 50
    criticalThreshold: 10
    minSampleSize: 0
    channels: [ml-team]`}
${over.extraMonitor ?? ''}`;
}

export const APPLY = `mutation($y: String!, $d: Boolean, $p: Boolean) { applyConfig(yaml: $y, dryRun: $d, prune: $p) { dryRun summary changes { action kind name details } } }`;

export interface Applied {
  dryRun: boolean;
  summary: string;
  changes: Array<{ action: string; kind: string; name: string; details: string[] }>;
}

/** Applies over GraphQL; the result, or the error messages (the summary first). */
export async function apply(s: TestServer, yaml: string, opts: { dryRun?: boolean; prune?: boolean } = {}): Promise<{ result: Applied | null; errors: string[]; fields: string[] }> {
  const r = await s.gql(APPLY, { y: yaml, d: opts.dryRun ?? false, p: opts.prune ?? false });
  return { result: r.data?.applyConfig ?? null, errors: (r.errors ?? []).map((e: any) => e.message), fields: (r.errors ?? []).slice(1).map((e: any) => e.extensions?.field) };
}

/** The plan lines as `+ kind name  details`. */
export function lines(a: Applied): string[] {
  const sign: Record<string, string> = { CREATE: '+', UPDATE: '~', DELETE: '-' };
  return a.changes.map((c) => `${sign[c.action]} ${c.kind} ${c.name}${c.details.length ? `  ${c.details.join('; ')}` : ''}`);
}

/** What the server holds, as exportConfig says it. */
export async function exported(s: TestServer, models?: string[]): Promise<string> {
  const r = await s.gql(`query($m: [String!]) { exportConfig(models: $m) }`, { m: models ?? null });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.exportConfig;
}
