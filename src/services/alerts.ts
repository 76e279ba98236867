// Alerts: the operator's actions (acknowledge, snooze, resolve), snoozes running out, and
// the queries over alerts. Each action decides with the pure state machine and writes
// its transition (alert-transitions.ts) in one transaction, serialised per monitor.
import { badInput, conflict, notFound } from '../errors.js';
import { DAY } from '../domain/windows.js';
import { acknowledge, expireSnooze, resolve, snooze, type AlertStatus, type RuleState, type Transition } from '../domain/alerts/state-machine.js';
import { alertRecordOf, openAlertState, type AlertEventRecord, type AlertRecord, type StoredAlert } from '../domain/monitoring/alert.js';
import { writeAudit } from './audit.js';
import type { Actor, Deps } from './deps.js';
import { writeTransition } from './alert-transitions.js';

export type { AlertEventRecord, AlertRecord };
export { alertPayload } from '../domain/monitoring/alert.js';

type Action = 'acknowledgeAlert' | 'snoozeAlert' | 'resolveAlert';

/** The alert with that id once its monitor's transitions are serialised (inside a transaction). */
async function lockedAlert(deps: Deps, id: number): Promise<StoredAlert | null> {
  const { alerts } = deps.store;
  const found = Number.isSafeInteger(id) ? await alerts.get(id) : null;
  if (!found) return null;
  await alerts.lockMonitor(found.monitorId);
  // read again under the lock: another replica may have moved it on meanwhile
  return alerts.get(id);
}

async function act(
  deps: Deps,
  actor: Actor,
  id: number,
  action: Action,
  step: (s: RuleState) => Transition,
  details: Record<string, unknown>,
  check?: (now: number) => void,
): Promise<AlertRecord> {
  const now = deps.clock.now();
  const { alerts, monitors } = deps.store;
  return deps.store.transaction(async () => {
    const row = await lockedAlert(deps, id);
    if (!row) throw notFound(`alert ${id}`);
    check?.(now);
    if (row.status === 'RESOLVED') {
      // Resolving twice (a double click in Slack) is one resolution; anything else is too late.
      if (action === 'resolveAlert') return alertRecordOf(row);
      throw conflict(`alert ${id} was already resolved at ${new Date(row.resolvedAt ?? row.updatedAt).toISOString()}; only an open alert can be acknowledged or snoozed`, 'id');
    }
    const tr = step({ streak: 0, alert: openAlertState(row) });
    // Nothing to do (acknowledged again, the same snooze again: a double click, a replayed
    // Slack press): no event, no notification, no audit entry.
    if (tr.steps.length === 0) return alertRecordOf(row);
    const monitor = (await monitors.get(row.monitorId))!;
    await writeTransition(deps, { monitor, modelName: row.model, open: row, tr, at: now, now, ...(action === 'resolveAlert' ? { resolvedBy: actor.name } : {}) });
    if (tr.resolved) await monitors.setStreak(monitor.id, 0);
    await writeAudit(deps, now, actor, action, `alert:${id}`, details);
    return alertRecordOf((await alerts.get(id))!);
  });
}

/** ACKNOWLEDGED by the actor: reminders stop, escalation and resolution are still notified. */
export async function acknowledgeAlert(deps: Deps, actor: Actor, id: number, note?: string | null): Promise<AlertRecord> {
  return act(deps, actor, id, 'acknowledgeAlert', (s) => acknowledge(s, actor.name, note ?? undefined), { note: note ?? null });
}

/** Longest snooze: beyond it, resolve the alert or disable the monitor instead. */
export const MAX_SNOOZE_MS = 30 * DAY;

/** SNOOZED until `until` (in the future, at most 30 days away): nothing notified until then, then FIRING again. */
export async function snoozeAlert(deps: Deps, actor: Actor, id: number, until: number, note?: string | null): Promise<AlertRecord> {
  const check = (now: number) => {
    if (!Number.isFinite(until) || until <= now) throw badInput('until', `must be in the future (now is ${new Date(now).toISOString()})`);
    if (until - now > MAX_SNOOZE_MS) throw badInput('until', 'a snooze lasts at most 30 days; resolve the alert or disable its monitor instead');
  };
  return act(deps, actor, id, 'snoozeAlert', (s) => snooze(s, until, actor.name, note ?? undefined), { until: new Date(until).toISOString() }, check);
}

/** RESOLVED at once (notified); a new alert needs forEvaluations new breaches. Resolving twice is harmless. */
export async function resolveAlert(deps: Deps, actor: Actor, id: number, note?: string | null): Promise<AlertRecord> {
  return act(deps, actor, id, 'resolveAlert', (s) => resolve(s, actor.name, note ?? undefined), { note: note ?? null });
}

/** Ends every snooze whose time has come (FIRING again, notified); returns how many. */
export async function expireSnoozes(deps: Deps, now: number): Promise<number> {
  const { alerts, monitors } = deps.store;
  let n = 0;
  for (const id of await alerts.snoozesEnded(now)) {
    await deps.store.transaction(async () => {
      const row = await lockedAlert(deps, id);
      const tr = expireSnooze({ streak: 0, alert: openAlertState(row) }, now);
      if (!row || tr.steps.length === 0) return;
      const monitor = (await monitors.get(row.monitorId))!;
      await writeTransition(deps, { monitor, modelName: row.model, open: row, tr, at: now, now });
      n++;
    });
  }
  return n;
}

/** The alert with that id, or null. */
export async function getAlert(deps: Deps, id: number): Promise<AlertRecord | null> {
  if (!Number.isSafeInteger(id)) return null;
  const a = await deps.store.alerts.get(id);
  return a ? alertRecordOf(a) : null;
}

/** Alerts, newest first (at most 1000), of one model (by name or id) and/or in the given statuses. */
export async function listAlerts(
  deps: Deps,
  filter: { model?: string | null; modelId?: number; monitorId?: number; status?: AlertStatus[] | null } = {},
): Promise<AlertRecord[]> {
  return deps.store.alerts.list(
    {
      ...(filter.model !== undefined && filter.model !== null ? { model: filter.model } : {}),
      ...(filter.modelId !== undefined ? { modelId: filter.modelId } : {}),
      ...(filter.monitorId !== undefined ? { monitorId: filter.monitorId } : {}),
      ...(filter.status && filter.status.length ? { status: filter.status } : {}),
    },
    1000,
  );
}

/** The model's open alerts (FIRING, ACKNOWLEDGED, SNOOZED), most severe first: what health reports. */
export async function listOpenAlerts(deps: Deps, modelId: number): Promise<AlertRecord[]> {
  const open = await listAlerts(deps, { modelId, status: ['FIRING', 'ACKNOWLEDGED', 'SNOOZED'] });
  return open.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'CRITICAL' ? -1 : 1));
}

/** The monitor's open alert, or null. */
export async function openAlertOf(deps: Deps, monitorId: number): Promise<AlertRecord | null> {
  const a = await deps.store.alerts.openOf(monitorId);
  return a ? alertRecordOf(a) : null;
}

/** The alert's history, oldest first. */
export function listAlertEvents(deps: Deps, alertId: number): Promise<AlertEventRecord[]> {
  return deps.store.alerts.events(alertId);
}
