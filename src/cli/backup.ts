// `glassbox backup FILE [--force]`: a consistent copy of the SQLite database (GLASSBOX_DB)
// while the server runs. PostgreSQL is backed up with its own tools (pg_dump).
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { BackupError, backupSqlite } from '../store/sqlite/backup.js';

/** Exit codes: 0 written, 1 failed (the reason on stderr), 2 refused before trying. */
export const BACKUP_EXIT = { ok: 0, failed: 1, refused: 2 } as const;

const HELP = `
Copies GLASSBOX_DB into FILE as one consistent snapshot, while servers keep running and
writing: the copy holds every transaction committed before it began, and nothing half
done. The copy is compacted, checked (it opens as a Glassbox database), synced to disk,
then moved into place: a failed backup leaves no FILE behind. FILE's folder is created.
Restore by stopping the server and pointing GLASSBOX_DB at the copy (or copying it back).

Exit codes: 0 written; 1 failed (the reason is printed); 2 refused (FILE exists without
--force, FILE is GLASSBOX_DB itself, or GLASSBOX_DB is not a SQLite file).

PostgreSQL (GLASSBOX_DB=postgres://…): this command does not apply; back the database up
with PostgreSQL's own tools, e.g. pg_dump --format=custom --file=FILE "$GLASSBOX_DB".
`;

/** Whether GLASSBOX_DB names a PostgreSQL database rather than a SQLite file. */
const isPostgres = (db: string) => /^postgres(ql)?:\/\//i.test(db);

/** The `backup` subcommand for main.ts. */
export function backupCommand(): Command {
  return new Command('backup')
    .description('copy the SQLite database (GLASSBOX_DB) to FILE, consistently, while the server runs')
    .argument('<file>', 'where the copy goes (a new file, unless --force)')
    .option('--force', 'replace FILE if it exists')
    .addHelpText('after', HELP)
    .action((file: string, o: { force?: boolean }) => {
      const db = loadConfig().dbPath;
      const fail = (kind: 'refused' | 'failed', message: string) => {
        process.stderr.write(`glassbox backup: ${message}\n`);
        process.exitCode = BACKUP_EXIT[kind];
      };
      if (isPostgres(db)) return fail('refused', 'GLASSBOX_DB is a PostgreSQL database: back it up with pg_dump (e.g. pg_dump --format=custom --file=FILE "$GLASSBOX_DB"); this command copies SQLite files');
      if (db === ':memory:' || db.startsWith('file:')) return fail('refused', `GLASSBOX_DB=${db} is not a file this command can copy`);
      try {
        const r = backupSqlite(db, file, { force: o.force === true });
        const mb = (r.bytes / 1024 ** 2).toFixed(1);
        process.stdout.write(`backed up ${db} to ${file}: ${mb} MB, ${r.models} models, ${r.events.toLocaleString('en')} events, in ${(r.ms / 1000).toFixed(1)} s\n`);
      } catch (err) {
        if (err instanceof BackupError) return fail(err.kind, err.message);
        throw err;
      }
    });
}
