// A consistent copy of a live SQLite database, while servers keep writing it: one
// `VACUUM INTO` reads the whole file in one read transaction (WAL: writers go on), so the
// copy holds exactly the transactions committed before it began. Chosen over the backup API
// by measurement (README, Operations): better-sqlite3's `backup()` copies 100 pages a step
// and SQLite restarts it whenever another process commits, so under steady ingest it never
// ended; in one step it was about twice as fast, but copies free and damaged pages as they
// are, where VACUUM INTO writes only live rows (511 MB against 1,039 after deleting half).
// The copy is written beside the target, synced, checked, then renamed over it: a failed
// backup never leaves a half file under the target's name, nor spoils an older backup.
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** Why a backup did not happen: `refused` (nothing was tried) or `failed` (it was). */
export class BackupError extends Error {
  constructor(
    readonly kind: 'refused' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  models: number;
  events: number;
  ms: number;
}

const GLASSBOX_TABLES = ['__drizzle_migrations', 'models', 'events'];

/** True when `db` has Glassbox's tables. */
function isGlassbox(db: Database.Database): boolean {
  const have = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN (${GLASSBOX_TABLES.map(() => '?').join(', ')})`).get(...GLASSBOX_TABLES) as { n: number };
  return have.n === GLASSBOX_TABLES.length;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

const exists = (shown: string) => new BackupError('refused', `${shown} already exists; pass --force to replace it, or name a new file`);

/** Refuses `file` (`target` resolved) before anything is read; messages name it as given. */
function refuseTarget(source: string, file: string, target: string, force: boolean): void {
  if (sameFile(source, file)) throw new BackupError('refused', `${target} is GLASSBOX_DB itself; name another file`);
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) throw new BackupError('refused', `${target} is a folder; name a file in it`);
  if (!force) throw exists(target);
}

function openSource(source: string): Database.Database {
  if (!existsSync(source)) throw new BackupError('failed', `GLASSBOX_DB=${source}: no such file; set GLASSBOX_DB to the server's database file`);
  let db: Database.Database | undefined;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    if (!isGlassbox(db)) throw new BackupError('failed', `GLASSBOX_DB=${source} is a SQLite database, but not a Glassbox one (no models, events and migrations tables)`);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof BackupError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw new BackupError('failed', `GLASSBOX_DB=${source} is not a SQLite database`);
    throw new BackupError('failed', `cannot read GLASSBOX_DB=${source}: ${(err as Error).message}`);
  }
}

/** Counts what the copy holds, proving that it opens as a Glassbox database. */
function verify(file: string): { models: number; events: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (!isGlassbox(db)) throw new Error('the copy lacks Glassbox tables');
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { models: n('SELECT count(*) AS n FROM models'), events: n('SELECT count(*) AS n FROM events') };
  } finally {
    db.close();
  }
}

/** Puts `from` at `to` unless something is there already, even if it appeared meanwhile. */
function linkAsNew(from: string, to: string, shown: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EEXIST') throw exists(shown);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    // a file system without hard links: an exclusive copy, synced like the original
    try {
      copyFileSync(from, to, constants.COPYFILE_EXCL);
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw exists(shown);
      throw e;
    }
    fsyncPath(to);
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies the Glassbox SQLite database `source` to `target`, consistently, while other
 * processes write it. Refuses an existing target unless `force`; throws BackupError.
 */
export function backupSqlite(source: string, target: string, opts: { force?: boolean } = {}): BackupResult {
  const started = performance.now();
  const file = resolve(target);
  refuseTarget(source, file, target, opts.force === true);
  const db = openSource(source);
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    rmSync(partial, { force: true });
    db.prepare('VACUUM INTO ?').run(partial);
    fsyncPath(partial);
    const counts = verify(partial);
    if (opts.force) {
      // a replaced backup's own -wal/-shm would be read as part of the new file
      for (const side of ['-wal', '-shm', '-journal']) rmSync(file + side, { force: true });
      renameSync(partial, file);
    } else {
      linkAsNew(partial, file, target); // fails if the target appeared meanwhile: never overwrites
      rmSync(partial);
    }
    fsyncPath(dirname(file));
    return { file, bytes: statSync(file).size, ...counts, ms: performance.now() - started };
  } catch (err) {
    rmSync(partial, { force: true });
    if (err instanceof BackupError) throw err;
    throw new BackupError('failed', `backup to ${target} failed: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}
