// `glassbox ingest --model NAME [--actuals | --baseline] FILE`: the third door, over the
// same service as GraphQL and NDJSON. CSV cells are typed by the model's declared
// features; a progress bar is drawn only on a terminal; a summary ends the run.
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { pipeline } from 'node:stream';
import { Command, Option } from 'commander';
import { parse } from 'csv-parse';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { systemClock } from '../clock.js';
import { createLogger } from '../log.js';
import { openAnyStore } from '../store/open-store.js';
import { requireModel } from '../services/models.js';
import { IngestInterrupted, ingestIndexed, ingestNdjson, type IngestKind, type IngestResult } from '../services/ingest.js';
import { typeCsvRecord } from '../domain/ingest/csv-typing.js';
import type { Actor, Deps } from '../services/deps.js';

export interface IngestCliOptions {
  model: string;
  kind: IngestKind;
  file: string;
  /** draw a progress bar (a terminal) */
  progress?: boolean;
  batchSize?: number;
  /** --baseline --model-version V: that version's own baseline */
  version?: string;
}

const CLI_ACTOR: Actor = { name: 'local', role: 'ADMIN' };
const LISTED = 20;

type Format = 'ndjson' | 'csv';

/** The file's format from its extension; null when it is neither NDJSON nor CSV. */
export function formatOf(file: string): Format | null {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  return null;
}

/** Ingests one file with `deps`; returns the counts (rejections do not throw). */
export async function runIngestFile(deps: Deps, opts: IngestCliOptions): Promise<IngestResult> {
  const format = formatOf(opts.file);
  if (!format) throw new Error(`${opts.file}: unknown format; use a .ndjson (or .jsonl) or .csv file`);
  const model = await requireModel(deps, opts.model);
  const total = statSync(opts.file).size;
  const bar = opts.progress ? new cliProgress.SingleBar({ format: '{bar} {percentage}% | {value}/{total} bytes | eta {eta}s', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  bar?.start(total, 0);
  let read = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(opts.file)) {
      read += (chunk as Buffer).length;
      bar?.update(read);
      yield chunk as Buffer;
    }
  }
  const streamOpts = { via: 'cli' as const, batchSize: opts.batchSize, maxErrors: 10_000, version: opts.version };
  try {
    if (format === 'ndjson') return await ingestNdjson(deps, CLI_ACTOR, model, opts.kind, counted(), streamOpts);
    // a record csv-parse cannot read is a rejected line, as a non-JSON line is in NDJSON
    const parser = parse({ columns: true, bom: true, skip_empty_lines: true, info: true, skip_records_with_error: true });
    const skipped: Array<{ line: number; message: string }> = [];
    parser.on('skip', (err: Error & { lines?: number }) => {
      const line = (err.lines ?? 1) - 1;
      if (skipped.at(-1)?.line !== line) skipped.push({ line, message: `record: ${err.message.length > 200 ? `${err.message.slice(0, 197)}...` : err.message}` });
    });
    const records = pipeline(counted(), parser, () => undefined);
    // each record is numbered by its line in the file (0-based, as NDJSON lines are), header included
    async function* typed(): AsyncGenerator<[number, unknown, string?]> {
      for await (const r of records as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        const line = r.info.lines - 1;
        while (skipped.length > 0 && skipped[0]!.line < line) {
          const bad = skipped.shift()!;
          yield [bad.line, undefined, bad.message];
        }
        yield [line, typeCsvRecord(model.features, r.record)];
      }
      for (const bad of skipped) yield [bad.line, undefined, bad.message];
    }
    return await ingestIndexed(deps, CLI_ACTOR, model, opts.kind, typed(), streamOpts);
  } finally {
    bar?.stop();
  }
}

/** The summary printed at the end of a run; line numbers count from 1, as an editor does. */
export function summarize(opts: IngestCliOptions, r: IngestResult): string {
  const unit = opts.kind === 'baseline' ? (opts.version === undefined ? 'baseline rows' : `baseline rows of version ${opts.version}`) : opts.kind;
  const lines = [`${opts.model}: ${unit} from ${opts.file}: ${r.accepted} accepted, ${r.duplicates} duplicates, ${r.rejected} rejected`];
  if (r.errors.length > 0) lines.push('  rejected (line numbers count from 1, as in an editor):');
  for (const e of r.errors.slice(0, LISTED)) lines.push(`  line ${e.index + 1}${e.eventId ? ` (${e.eventId})` : ''}: ${e.message}`);
  if (r.rejected > LISTED) lines.push(`  ... and ${r.rejected - LISTED} more rejected`);
  return lines.join('\n') + '\n';
}

/** What a run that stopped midway says: why, what it kept, and how to go on. */
export function summarizeInterrupted(opts: IngestCliOptions, err: IngestInterrupted): string {
  const c = err.committed;
  const why = err.cause instanceof Error ? err.cause.message : String(err.cause);
  const kept =
    opts.kind === 'baseline'
      ? '  Nothing was changed: a baseline is replaced only when the whole file has been read.'
      : c.lines > 0
        ? `  Kept: lines 1-${c.lines} of the file are stored for good (${c.accepted} accepted, ${c.duplicates} duplicates, rejected lines left out); nothing after line ${c.lines} was stored.`
        : '  Nothing was stored.';
  const resume =
    opts.kind === 'baseline'
      ? '  Fix the file and run the same command again.'
      : '  To go on: run the same command again (once what stopped it is fixed). Resending is safe: events already stored are counted as duplicates, never stored twice.';
  return `${opts.model}: ${opts.kind} from ${opts.file} stopped: ${why}\n${kept}\n${resume}\n`;
}

const CSV_HELP = `
Files: .ndjson / .jsonl (one JSON object a line, as the NDJSON routes take) or .csv.
CSV: a header row names the columns, in any order:
  predictions  eventId, timestamp (ISO-8601 with a zone), one column per declared feature
               (its name, or features.<name>), and the output: score and/or predictedLabel
               (binary), predictedLabel (multiclass), value (regression); optionally
               actualLabel / actualValue
  --actuals    eventId, and actualLabel (classifiers) or actualValue (regression)
               optionally modelVersion (absent: the model's current version) and
               attributions.<feature> columns (numbers: SHAP values and the like)
  --baseline   the feature columns and, optionally, the outputs, actuals and attributions;
               with --model-version V, the rows replace version V's own baseline
A column not named above is a feature. Cells of NUMERIC features and of score, value and
actualValue are read as numbers; an empty cell (or NaN, NA, null, None) is a missing value.
Line numbers in the output count from 1, as an editor does (the CSV header is line 1).
Exit codes: 0 all stored, 2 some lines rejected (the others stored), 1 stopped (says what was kept).`;

/** The `ingest` subcommand for main.ts; exit code 0, 2 when lines were rejected, 1 on failure. */
export function ingestCommand(): Command {
  return new Command('ingest')
    .description('load predictions, actuals or a baseline from a .ndjson or .csv file into GLASSBOX_DB')
    .requiredOption('--model <name>', 'the model to load into')
    .addOption(new Option('--actuals', 'the file holds actuals (eventId, actualLabel / actualValue)').conflicts('baseline'))
    .addOption(new Option('--baseline', 'the file is the new baseline (replaces the current one)').conflicts('actuals'))
    .option('--model-version <name>', "with --baseline: replace this model version's own baseline instead of the model's")
    .option('--batch-size <n>', 'lines per transaction', (v) => Number.parseInt(v, 10))
    .argument('<file>', '.ndjson / .jsonl or .csv')
    .addHelpText('after', CSV_HELP)
    .action(async (file: string, o: { model: string; actuals?: boolean; baseline?: boolean; batchSize?: number; modelVersion?: string }) => {
      const config = loadConfig();
      const store = await openAnyStore(config.dbPath);
      const deps: Deps = { store, clock: systemClock(), log: createLogger(config.logLevel) };
      const opts: IngestCliOptions = {
        model: o.model,
        kind: o.actuals ? 'actuals' : o.baseline ? 'baseline' : 'predictions',
        file,
        progress: process.stderr.isTTY === true,
        batchSize: o.batchSize,
        version: o.modelVersion,
      };
      try {
        const result = await runIngestFile(deps, opts);
        process.stdout.write(summarize(opts, result));
        process.exitCode = result.rejected > 0 ? 2 : 0;
      } catch (err) {
        if (!(err instanceof IngestInterrupted)) throw err;
        process.stderr.write(summarizeInterrupted(opts, err));
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
