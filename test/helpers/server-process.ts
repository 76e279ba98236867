// `glassbox serve` as its own process (from the TypeScript sources, through tsx), for the
// tests that kill a server with SIGKILL: only a real process dies the way production does.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** the server's base URL, read from its start-up log line */
  url: string;
  /** resolves with the signal that ended the process (null on a normal exit) */
  exited: Promise<NodeJS.Signals | null>;
}

/**
 * Starts a server on `db` (GLASSBOX_DB: a SQLite file, or a PostgreSQL URL: make it with
 * test-store.ts's createTestDatabase so that it follows the run's store), scheduler off,
 * loopback, ephemeral port; `imports` are
 * extra `--import` preloads (test hooks). Rejects with the server's stderr if it exits
 * before it listens.
 */
export async function spawnServer(db: string, env: Record<string, string> = {}, imports: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...imports.flatMap((m) => ['--import', m]), join(ROOT, 'src/main.ts'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, GLASSBOX_DB: db, PORT: '0', HOST: '127.0.0.1', GLASSBOX_SCHEDULER: 'off', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /"url":"(http:[^"]+)"/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`server exited: ${err}`)));
  });
  return { child, url, exited };
}
