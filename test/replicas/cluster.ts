// Real `glassbox serve` processes sharing one PostgreSQL database, for the replica tests:
// each with its own GLASSBOX_INSTANCE, killed with SIGKILL like a crashed machine, or
// restarted under the same name.
import type { ChildProcess } from 'node:child_process';
import { spawnServer } from '../helpers/server-process.js';

export const KEY = 'replicas-admin-secret-0123456789';

/** What the process tests wait for, if anything (they ran skipped until serve ran on PostgreSQL). */
export const WAITING_FOR: string | null = null;

export interface Member {
  name: string;
  url: string;
  child: ChildProcess;
  exited: Promise<NodeJS.Signals | null>;
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** POSTs an NDJSON body to an ingest route; the status and JSON answer */
  ingest(model: string, kind: string, body: string): Promise<{ status: number; json: any }>;
}

const live = new Set<ChildProcess>();

/** Starts `glassbox serve` named `name` on `dbUrl` (scheduler off unless env says otherwise). */
export async function startMember(dbUrl: string, name: string, env: Record<string, string> = {}): Promise<Member> {
  const p = await spawnServer(dbUrl, { GLASSBOX_INSTANCE: name, GLASSBOX_ADMIN_KEY: KEY, ...env });
  live.add(p.child);
  void p.exited.then(() => live.delete(p.child));
  const auth = { authorization: `Bearer ${KEY}` };
  return {
    name,
    url: p.url,
    child: p.child,
    exited: p.exited,
    async gql(query, variables) {
      const r = await fetch(`${p.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query, variables }) });
      const j = (await r.json()) as any;
      if (j.errors) throw new Error(`${name}: ${JSON.stringify(j.errors)}`);
      return j.data;
    },
    async ingest(model, kind, body) {
      const r = await fetch(`${p.url}/v1/models/${model}/${kind}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...auth }, body });
      return { status: r.status, json: await r.json() };
    },
  };
}

/** kill -9, resolved once the process is gone. */
export async function kill9(m: Member): Promise<void> {
  m.child.kill('SIGKILL');
  await m.exited;
}

/** Kills every member still running (afterEach). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...live].map(async (c) => {
      c.kill('SIGKILL');
      await new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));
    }),
  );
}
