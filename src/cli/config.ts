// `glassbox apply`, `glassbox export` and `glassbox test`: configuration as code from a
// terminal or CI. apply and export talk to a server (GLASSBOX_URL, GLASSBOX_API_KEY) over
// GraphQL; test runs rule tests locally on the alert state machine. Any error exits 1.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigIssues, issueLine } from '../domain/config/issues.js';
import { parseYaml } from '../domain/config/parse.js';
import { substituteEnv } from '../domain/config/env-refs.js';
import { configSchema } from '../services/config/apply.js';
import { runRuleTests, type RuleTestReport } from '../services/config/rule-tests.js';

export type Env = Record<string, string | undefined>;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

class CliFailure extends Error {}

interface GqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
}

/** One GraphQL call to GLASSBOX_URL with GLASSBOX_API_KEY; connection problems say where. */
async function call(env: Env, query: string, variables: Record<string, unknown>): Promise<GqlAnswer> {
  const base = (env.GLASSBOX_URL || 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (env.GLASSBOX_API_KEY) headers.authorization = `Bearer ${env.GLASSBOX_API_KEY}`;
  let res: Response;
  try {
    res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch (err) {
    throw new CliFailure(`cannot reach the server at ${base} (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}); set GLASSBOX_URL`);
  }
  const text = await res.text();
  try {
    return JSON.parse(text) as GqlAnswer;
  } catch {
    throw new CliFailure(`${base}/graphql answered HTTP ${res.status} without a GraphQL body`);
  }
}

/** Error lines: the first error, then each further one (a rejected file's problems) indented. */
function errorLines(errors: NonNullable<GqlAnswer['errors']>): string {
  const [first, ...rest] = errors;
  return [first!.message, ...rest.map((e) => `  ${e.message}`)].join('\n');
}

const APPLY = `mutation($yaml: String!, $dryRun: Boolean, $prune: Boolean) {
  applyConfig(yaml: $yaml, dryRun: $dryRun, prune: $prune) { dryRun summary changes { action kind name details } }
}`;

const SIGN = { CREATE: '+', UPDATE: '~', DELETE: '-' } as const;

/** The plan as Terraform prints one: `~ monitor credit-risk/auc  criticalThreshold: 0.7 -> 0.65`. */
export function planText(r: { dryRun: boolean; summary: string; changes: Array<{ action: keyof typeof SIGN; kind: string; name: string; details: string[] }> }): string {
  const lines = r.changes.map((c) => `${SIGN[c.action]} ${c.kind} ${c.name}${c.details.length ? `  ${c.details.join('; ')}` : ''}`);
  const tail = r.dryRun ? `Plan: ${r.summary} (dry run: nothing changed).` : r.changes.length ? `Applied: ${r.summary}.` : `No changes: ${r.summary}.`;
  return `${lines.length ? `${lines.join('\n')}\n\n` : ''}${tail}\n`;
}

/** `glassbox apply -f FILE`: ${VAR} filled from `env`, then applied (or planned); throws CliFailure on any error. */
export async function applyFile(env: Env, io: Io, file: string, opts: { dryRun?: boolean; prune?: boolean }): Promise<void> {
  // `-f -`: the file from stdin (glassbox export | glassbox apply -f -)
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  const issues = new ConfigIssues();
  const doc = parseYaml(text, issues);
  if (doc) substituteEnv(doc, env, issues);
  if (!doc || !issues.empty) throw new CliFailure(`${file}: nothing was applied:\n${issues.list.map((i) => `  ${issueLine(i)}`).join('\n')}`);
  const answer = await call(env, APPLY, { yaml: doc.toString({ lineWidth: 0 }), dryRun: opts.dryRun === true, prune: opts.prune === true });
  if (answer.errors?.length) throw new CliFailure(`${file}: ${errorLines(answer.errors)}`);
  io.out(planText(answer.data!.applyConfig as Parameters<typeof planText>[0]));
}

/** `glassbox export [--model NAME]...`: the YAML on stdout. */
export async function exportTo(env: Env, io: Io, models: string[]): Promise<void> {
  const answer = await call(env, `query($m: [String!]) { exportConfig(models: $m) }`, { m: models.length ? models : null });
  if (answer.errors?.length) throw new CliFailure(errorLines(answer.errors));
  io.out(String(answer.data!.exportConfig));
}

/** The report of `glassbox test`, one line a test and one a failing expectation. */
export function testReport(file: string, r: RuleTestReport): string {
  if (r.errors.length) return `${file}: the test file has errors; no test ran:\n${r.errors.map((e) => `  ${e}`).join('\n')}\n`;
  const lines = [file];
  for (const t of r.tests) {
    lines.push(`  ${t.failures.length ? 'FAIL' : 'ok  '}  ${t.name}`);
    for (const f of t.failures) lines.push(`          ${f}`);
  }
  const failed = r.tests.filter((t) => t.failures.length).length;
  lines.push(`${r.tests.length} test${r.tests.length === 1 ? '' : 's'}, ${r.tests.reduce((n, t) => n + t.expectations, 0)} expectations, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}

/** `glassbox test FILE`: true when every expectation held. */
export function testFile(io: Io, file: string): boolean {
  const report = runRuleTests(readFileSync(file, 'utf8'), configSchema(), (p) => readFileSync(resolve(dirname(file), p), 'utf8'));
  const text = testReport(file, report);
  const ok = report.errors.length === 0 && report.tests.every((t) => t.failures.length === 0);
  (ok ? io.out : io.err)(text);
  return ok;
}

function failing(io: Io, run: () => Promise<void> | void): Promise<void> {
  return Promise.resolve()
    .then(run)
    .catch((err: unknown) => {
      if (!(err instanceof CliFailure) && !(err instanceof Error && 'code' in err)) throw err;
      io.err(`glassbox: ${(err as Error).message}\n`);
      process.exitCode = 1;
    });
}

/** The apply, export and test subcommands for main.ts, reading `env` (the process environment). */
export function configCommands(env: Env, io: Io = stdio): Command[] {
  const apply = new Command('apply')
    .description('apply a configuration file (models, channels, monitors) to the server at GLASSBOX_URL, all of it or nothing')
    .requiredOption('-f, --file <file>', 'the YAML configuration (docs/config-as-code.md); - reads stdin')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--prune', 'also delete the monitors and channels the file does not name (within the models it names)')
    .action((o: { file: string; dryRun?: boolean; prune?: boolean }) => failing(io, () => applyFile(env, io, o.file, o)));
  const exp = new Command('export')
    .description('print the server\'s configuration as YAML that glassbox apply accepts (secrets as ${VAR} references)')
    .option('--model <name>', 'only this model (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action((o: { model: string[] }) => failing(io, () => exportTo(env, io, o.model)));
  const test = new Command('test')
    .description('run alert rule tests (docs/config-as-code.md) on the alert state machine, without a server; exit 1 when one fails')
    .argument('<file>', 'the test file, e.g. examples/credit-risk.test.yaml')
    .action((file: string) =>
      failing(io, () => {
        if (!testFile(io, file)) process.exitCode = 1;
      }),
    );
  const env_help = '\nEnvironment:\n  GLASSBOX_URL      the server (default http://127.0.0.1:4000)\n  GLASSBOX_API_KEY  an API key (EDITOR for apply)\n';
  apply.addHelpText('after', `${env_help}  and every \${VAR} the file names\n`);
  exp.addHelpText('after', env_help);
  return [apply, exp, test];
}
