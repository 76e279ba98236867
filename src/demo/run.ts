// The demo, through the same services GraphQL, NDJSON and the scheduler use: two models
// with baselines and monitors, then 14 days replayed in time order — each step logs the
// predictions made and the actuals that arrived since the last step, then evaluates the
// monitors whose schedule ticks there, exactly as the scheduler would have. credit-risk
// also has four calm weeks before those 14 days (logged a day at a time, not monitored):
// its outcomes come a month late, and its traffic monitor learns from past weeks.
import { fixedClock } from '../clock.js';
import type { OpenStore } from '../store/port.js';
import { withBusyRetry } from '../db/busy.js';
import { conflict } from '../errors.js';
import type { Logger } from '../log.js';
import type { ModelRecord } from '../domain/model.js';
import { ticksBetween } from '../domain/windows.js';
import { parseSchedule } from '../domain/schedule.js';
import type { Actor, Deps } from '../services/deps.js';
import { createModel, deleteModel, findModel, type CreateModelArgs } from '../services/models.js';
import { ingestObjects } from '../services/ingest.js';
import { createMonitor, type MonitorRecord } from '../services/monitors.js';
import { evaluateMonitor } from '../services/evaluation.js';
import { acknowledgeAlert, listAlerts, openAlertOf } from '../services/alerts.js';
import { CREDIT_RISK, creditRiskModel, creditRiskSim, creditRiskV2Baseline, EU_SEGMENT, V1, V2, V2_DAY } from './credit-risk.js';
import { createModelVersion, setVersionBaseline } from '../services/versions.js';
import { createSegment } from '../services/segments.js';
import { DELIVERY_ETA, deliveryEtaModel, deliveryEtaSim } from './delivery-eta.js';
import { demoMonitors } from './monitors.js';
import type { DemoProgress } from './progress.js';
import { DAY_MS, DRIFT_START_DAY, HISTORY_DAYS, HOUR_MS, type DemoModelSim } from './simulation.js';
import { baselineRows, hourTraffic, type DemoEvent } from './traffic.js';
import type { DemoModelSummary, DemoSummary } from './next-steps.js';

/** Every demo model's description starts with this, so --reset never deletes a user's own model. */
export const DEMO_MARK = 'Demo model created by `glassbox demo`.';
export const DEMO_MODELS = [CREDIT_RISK, DELIVERY_ETA] as const;
/**
 * A demo model's description until the whole demo is built; the last step replaces it, for
 * both models in one transaction. A run that finds it left behind (a crash, Ctrl-C, a full
 * disk) knows the demo is partial and builds it again.
 */
export const DEMO_UNFINISHED = `${DEMO_MARK} Still being created (an interrupted demo is recreated by the next run).`;
const BASELINE_ROWS = 3000;
const ACTOR: Actor = { name: 'demo', role: 'ADMIN' };
/** Someone on call acknowledges the missing-field alert a day and a half into the drift. */
const ACK_DAY = DRIFT_START_DAY + 1.5;
const ACK_MONITOR = 'employment_years missing';
const ACK_NOTE = 'The partner channel form has no employment field; asked the partner team to add it.';

export interface DemoRunOptions {
  /** the present: traffic ends here */
  now: number;
  /** delete the demo models first (only models the demo made) */
  reset: boolean;
  progress: DemoProgress;
}

export type DemoOutcome = { status: 'created'; summary: DemoSummary; replacedPartial: boolean } | { status: 'exists'; models: string[] };

interface Track {
  model: ModelRecord;
  events: DemoEvent[];
  /** labelled events by arrival of their actual */
  arrivals: DemoEvent[];
  nextEvent: number;
  nextArrival: number;
  predictions: number;
  actuals: number;
}

const DESCRIPTIONS: Record<string, string> = {
  [CREDIT_RISK]: `${DEMO_MARK} Scores the probability that a loan defaults; loan outcomes arrive a month after the prediction. From day 10 a new partner channel prefills income and drops employment_years and debt_ratio, so the estimated AUC falls long before any outcome shows it, and a scoring bug lowers women's scores; on day 12 v2 ships as a canary with that bug fixed. Predictions carry SHAP values; segment eu is the EU's traffic.`,
  [DELIVERY_ETA]: `${DEMO_MARK} Predicts a delivery's minutes to the door; healthy but for a storm on day 6.`,
};

function predictionOf(model: ModelRecord, e: DemoEvent): Record<string, unknown> {
  const p: Record<string, unknown> = { eventId: e.eventId, timestamp: new Date(e.ts).toISOString(), features: e.row.features };
  if (e.row.modelVersion) p.modelVersion = e.row.modelVersion;
  if (e.row.attributions) p.attributions = e.row.attributions;
  if (model.task === 'REGRESSION') p.value = e.row.value;
  else p.score = e.row.score;
  return p;
}

function actualOf(model: ModelRecord, e: DemoEvent): Record<string, unknown> {
  return model.task === 'REGRESSION' ? { eventId: e.eventId, actualValue: e.row.actualValue } : { eventId: e.eventId, actualLabel: e.row.actualLabel };
}

/** Refuses to go on when a model of a demo name exists that the demo did not make. */
function refuseForeignModels(present: ModelRecord[]): void {
  for (const m of present) {
    if (!(m.description ?? '').startsWith(DEMO_MARK)) {
      throw conflict(
        `a model named "${m.name}" exists and was not created by glassbox demo, so the demo leaves it alone; ` +
          `run the demo on another database (GLASSBOX_DB=./data/demo.db glassbox demo) or delete that model first`,
      );
    }
  }
}

/** The schedule ticks of the monitors in (start, now], as time -> indexes of the monitors due then. */
function scheduleTicks(defs: Array<{ name: string; schedule: string }>, start: number, now: number): Map<number, number[]> {
  const due = new Map<number, number[]>();
  defs.forEach((m, i) => {
    const parsed = parseSchedule(m.schedule);
    if (!parsed.ok) throw new Error(`demo monitor "${m.name}": ${parsed.reason}`);
    for (const at of ticksBetween(parsed.fields, start + 1, now + 1, 100_000)) due.set(at, [...(due.get(at) ?? []), i]);
  });
  return due;
}

async function ingestUntil(deps: Deps, t: Track, until: number): Promise<void> {
  const preds: unknown[] = [];
  while (t.nextEvent < t.events.length && t.events[t.nextEvent]!.ts < until) preds.push(predictionOf(t.model, t.events[t.nextEvent++]!));
  const acts: unknown[] = [];
  while (t.nextArrival < t.arrivals.length && t.arrivals[t.nextArrival]!.actualAt! < until) acts.push(actualOf(t.model, t.arrivals[t.nextArrival++]!));
  // a retried batch finds its committed part as duplicates (idempotent on eventId); actuals are replaced, not added
  if (preds.length) t.predictions += (await withBusyRetry(() => ingestObjects(deps, ACTOR, t.model, 'predictions', preds, { via: 'cli' }))).accepted;
  if (acts.length) t.actuals += (await withBusyRetry(() => ingestObjects(deps, ACTOR, t.model, 'actuals', acts, { via: 'cli' }))).accepted;
}

async function summaryOf(deps: Deps, t: Track, monitors: MonitorRecord[]): Promise<DemoModelSummary> {
  const alerts = await listAlerts(deps, { model: t.model.name });
  const open = alerts.filter((a) => a.status !== 'RESOLVED');
  return {
    name: t.model.name,
    predictions: t.predictions,
    actuals: t.actuals,
    monitors: monitors.filter((m) => m.modelId === t.model.id).length,
    openAlerts: open.length,
    resolvedAlerts: alerts.length - open.length,
    worst: open.some((a) => a.severity === 'CRITICAL') ? 'CRITICAL' : open.length ? 'WARNING' : null,
  };
}

/**
 * When a model's traffic begins: the story's start, or its calm weeks earlier from that
 * day's UTC midnight (so that every past day a daily monitor learns from is whole).
 */
function firstHourOf(sim: DemoModelSim, start: number): number {
  const days = sim.preHistoryDays ?? 0;
  return days === 0 ? start : Math.floor((start - days * DAY_MS) / DAY_MS) * DAY_MS;
}

/** Registers a model (marked unfinished) with its baseline, and draws its whole history (not logged yet). */
async function setUpModel(deps: Deps, args: CreateModelArgs, sim: DemoModelSim, start: number, now: number): Promise<Track> {
  let model = await withBusyRetry(() => createModel(deps, ACTOR, { ...args, description: DEMO_UNFINISHED }));
  await withBusyRetry(() => ingestObjects(deps, ACTOR, model, 'baseline', baselineRows(sim, BASELINE_ROWS), { via: 'cli' }));
  if (model.name === CREDIT_RISK) {
    // v1 is what runs from the start (events without modelVersion belong to it); eu narrows any metric to the EU
    await withBusyRetry(() => createModelVersion(deps, ACTOR, { model: model.name, name: V1, description: 'The model as trained.', makeCurrent: true }));
    await withBusyRetry(() => createSegment(deps, ACTOR, { model: model.name, ...EU_SEGMENT }));
    model = (await findModel(deps, model.name))!;
  }
  const events: DemoEvent[] = [];
  for (let h = firstHourOf(sim, start); h < now; h += HOUR_MS) events.push(...hourTraffic(sim, start, h, now));
  const arrivals = events.filter((e) => e.actualAt !== null && e.actualAt < now).sort((a, b) => a.actualAt! - b.actualAt!);
  return { model, events, arrivals, nextEvent: 0, nextArrival: 0, predictions: 0, actuals: 0 };
}

/** The demo is complete: both models get their real description in one transaction. */
async function markFinished(store: OpenStore, tracks: Track[]): Promise<void> {
  await store.transaction(async () => {
    for (const t of tracks) await store.models.update(t.model.id, { description: DESCRIPTIONS[t.model.name]! });
  });
}

/**
 * Creates the demo in `store` as of `opts.now`. Deterministic: the same `now` gives the
 * same models, events, evaluations and alerts. Leaves a complete demo alone (status
 * `exists`) unless `reset`, rebuilds a partial one; CONFLICT when a model of a demo name is
 * not the demo's. Each write is retried while the file is busy (a server writing to it).
 */
export async function runDemoScenario(store: OpenStore, log: Logger, opts: DemoRunOptions): Promise<DemoOutcome> {
  const clock = fixedClock(opts.now);
  const deps: Deps = { store, clock, log };
  const present = (await Promise.all(DEMO_MODELS.map((n) => findModel(deps, n)))).filter((m): m is ModelRecord => m !== null);
  refuseForeignModels(present);
  // partial: a model still marked unfinished, or one of the two missing
  const partial = present.length > 0 && (present.length < DEMO_MODELS.length || present.some((m) => m.description === DEMO_UNFINISHED));
  if (present.length > 0 && !opts.reset && !partial) return { status: 'exists', models: present.map((m) => m.name) };
  for (const m of present) await withBusyRetry(() => deleteModel(deps, ACTOR, m.name));

  const { now, progress } = opts;
  const start = Math.floor(now / HOUR_MS) * HOUR_MS - HISTORY_DAYS * DAY_MS;
  const defs = demoMonitors();
  const due = scheduleTicks(defs, start, now);
  const steps = [...due.keys()].sort((a, b) => a - b);
  if (steps[steps.length - 1] !== now) steps.push(now);
  const creditFirst = firstHourOf(creditRiskSim, start);
  const preSteps: number[] = [];
  for (let at = creditFirst + DAY_MS; at < start; at += DAY_MS) preSteps.push(at);
  if (creditFirst < start) preSteps.push(start);
  progress.begin(2 + preSteps.length + steps.length);

  // each model exists (and was trained) just before its traffic begins
  clock.set(creditFirst - HOUR_MS);
  const tracks: Track[] = [];
  progress.advance('creating credit-risk and its baseline');
  tracks.push(await setUpModel(deps, creditRiskModel(DESCRIPTIONS[CREDIT_RISK]!), creditRiskSim, start, now));
  // its calm weeks, before anything watched it: a day per batch (no outcome is due yet)
  for (const at of preSteps) {
    clock.set(at);
    await ingestUntil(deps, tracks[0]!, at);
    progress.advance(`logging credit-risk's ${creditRiskSim.preHistoryDays} earlier days`);
  }
  clock.set(start - HOUR_MS);
  progress.advance('creating delivery-eta, its baseline and the monitors');
  tracks.push(await setUpModel(deps, deliveryEtaModel(DESCRIPTIONS[DELIVERY_ETA]!), deliveryEtaSim, start, now));
  const monitors: MonitorRecord[] = [];
  for (const input of defs) monitors.push(await withBusyRetry(() => createMonitor(deps, ACTOR, input)));
  const ackMonitor = monitors.find((m) => m.name === ACK_MONITOR)!;

  let evaluations = 0;
  let acknowledged = false;
  let v2Shipped = false;
  for (const at of steps) {
    clock.set(at);
    if (!v2Shipped && at > start + V2_DAY * DAY_MS) {
      // v2 ships as a canary (not current: its events name it) with its own baseline
      await withBusyRetry(() => createModelVersion(deps, ACTOR, { model: CREDIT_RISK, name: V2, description: 'Fixes the scoring bug that lowered women\'s scores.', makeCurrent: false }));
      await withBusyRetry(() => setVersionBaseline(deps, ACTOR, CREDIT_RISK, V2, creditRiskV2Baseline(BASELINE_ROWS)));
      v2Shipped = true;
    }
    for (const t of tracks) await ingestUntil(deps, t, at);
    for (const i of due.get(at) ?? []) {
      await withBusyRetry(() => evaluateMonitor(deps, monitors[i]!.id, at)); // once per (monitor, at): safe to repeat
      evaluations++;
    }
    if (!acknowledged && at >= start + ACK_DAY * DAY_MS) {
      const open = await openAlertOf(deps, ackMonitor.id);
      if (open) await withBusyRetry(() => acknowledgeAlert(deps, ACTOR, open.id, ACK_NOTE));
      acknowledged = true;
    }
    progress.advance(`simulating day ${Math.min(HISTORY_DAYS, Math.ceil((at - start) / DAY_MS))} of ${HISTORY_DAYS}`);
  }
  progress.end();
  clock.set(now);
  await withBusyRetry(() => markFinished(store, tracks));

  const models = await Promise.all(tracks.map((t) => summaryOf(deps, t, monitors)));
  return { status: 'created', summary: { from: start, to: now, earliest: creditFirst, evaluations, models }, replacedPartial: partial && !opts.reset };
}
