// What the demo prints when it is done: what now exists, and what to try next — copy-
// pasteable curl commands whose time windows are those of the data just created.
import { HOUR_MS, DAY_MS } from './simulation.js';

export interface DemoModelSummary {
  name: string;
  predictions: number;
  actuals: number;
  monitors: number;
  openAlerts: number;
  resolvedAlerts: number;
  /** the worst severity among open alerts, or null */
  worst: 'WARNING' | 'CRITICAL' | null;
}

export interface DemoSummary {
  /** the story's first hour (its 14 days begin) */
  from: number;
  /** the first hour of any traffic (credit-risk's calm weeks before the story) */
  earliest: number;
  to: number;
  evaluations: number;
  models: DemoModelSummary[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A curl command posting `query` to the GraphQL endpoint, quoted for a POSIX shell. */
export function curlFor(graphqlUrl: string, query: string): string {
  const body = JSON.stringify({ query });
  return `curl -s ${graphqlUrl} -H 'content-type: application/json' \\\n    -d '${body.replace(/'/g, `'\\''`)}'`;
}

/** The three example queries, with a drift window of the last 24 hours before `now`. */
export function exampleQueries(now: number): Array<{ title: string; query: string }> {
  const to = Math.floor(now / HOUR_MS) * HOUR_MS;
  return [
    { title: 'Every model and its health', query: '{ models { name health { status summary } } }' },
    {
      title: 'Which features of credit-risk drifted over the last 24 hours',
      query: `{ model(name: "credit-risk") { drift(from: "${iso(to - DAY_MS)}", to: "${iso(to)}") { feature psi sampleSize } } }`,
    },
    { title: 'The alerts, open and resolved', query: '{ alerts { model { name } status severity message openedAt resolvedAt } }' },
  ];
}

function line(m: DemoModelSummary): string {
  const state = m.worst ?? 'no open alert';
  return (
    `  ${m.name.padEnd(13)} ${m.predictions.toLocaleString('en-US')} predictions, ${m.actuals.toLocaleString('en-US')} actuals, ` +
    `${m.monitors} monitors; ${m.openAlerts} open and ${m.resolvedAlerts} resolved alerts (${state})`
  );
}

/** The closing message of `glassbox demo`. */
export function nextStepsText(s: DemoSummary, graphqlUrl: string, serveHint: string): string {
  const out: string[] = [];
  out.push(`Demo ready: 14 days of traffic, ${iso(s.from)} to ${iso(s.to)}, ${s.evaluations} monitor evaluations replayed.`);
  const before = Math.floor((s.from - s.earliest) / DAY_MS);
  if (before > 0) out.push(`  (credit-risk's traffic starts ${before} days earlier, ${iso(s.earliest)}: its loan outcomes arrive a month late)`);
  for (const m of s.models) out.push(line(m));
  out.push('');
  out.push(`Start the server:  ${serveHint}`);
  out.push(`then open ${graphqlUrl.replace(/graphql$/, '')} in a browser (the console; GraphiQL at ${graphqlUrl}), or try:`);
  for (const q of exampleQueries(s.to)) {
    out.push('');
    out.push(`  # ${q.title}`);
    out.push(`  ${curlFor(graphqlUrl, q.query)}`);
  }
  out.push('');
  out.push('Connect Slack: create the app from slack/manifest.yml, then start with');
  out.push('  SLACK_BOT_TOKEN=xoxb-... SLACK_SIGNING_SECRET=... and ask "/glassbox status credit-risk".');
  out.push('  Step by step: README.md, "Connect Slack in five minutes".');
  out.push('Start over (deletes both demo models with everything attached): npm run demo -- --reset   (or: npx glassbox demo --reset)');
  return out.join('\n') + '\n';
}
