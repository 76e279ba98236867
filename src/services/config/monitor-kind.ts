// Monitors in a configuration, known by (model, name): an update keeps the monitor's id,
// its evaluations, its breach streak and its open alert. What it measures (metric,
// feature, attribute) never changes: its history would mean something else.
import { asc, eq } from 'drizzle-orm';
import { channels, models, monitorChannels, monitors } from '../../db/schema/index.js';
import { recordAudit } from '../audit.js';
import { checkMonitor, type MonitorFields, type MonitorSpec } from '../monitor-validation.js';
import type { MonitorRecord } from '../monitors.js';
import { channelIdsByName } from './channel-kind.js';
import { checkUnique, differences, shown, type ConfigKind, type PlannedChange } from './kind.js';
import { issueFrom } from './issue-from.js';
import type { Db } from '../../db/client.js';

const UPDATABLE = ['window', 'schedule', 'comparator', 'warningThreshold', 'criticalThreshold', 'forEvaluations', 'minSampleSize', 'repeatInterval', 'enabled'] as const;
const FIXED = ['metric', 'feature', 'attribute'] as const;

interface Current {
  record: MonitorRecord;
  model: string;
  channels: string[];
}

function recordOf(row: typeof monitors.$inferSelect): MonitorRecord {
  const { streak: _, ...m } = row;
  return { ...m, comparator: m.comparator as MonitorRecord['comparator'] };
}

function currentMonitors(tx: Db): Map<string, Current> {
  const rows = tx.select({ m: monitors, model: models.name }).from(monitors).innerJoin(models, eq(models.id, monitors.modelId)).orderBy(asc(models.name), asc(monitors.name)).all();
  const links = tx.select({ monitorId: monitorChannels.monitorId, name: channels.name }).from(monitorChannels).innerJoin(channels, eq(channels.id, monitorChannels.channelId)).all();
  const byMonitor = new Map<number, string[]>();
  for (const l of links) byMonitor.set(l.monitorId, [...(byMonitor.get(l.monitorId) ?? []), l.name]);
  return new Map(rows.map((r) => [`${r.model}/${r.m.name}`, { record: recordOf(r.m), model: r.model, channels: (byMonitor.get(r.m.id) ?? []).sort() }]));
}

function setChannels(w: Db, monitorId: number, names: string[]): void {
  w.delete(monitorChannels).where(eq(monitorChannels.monitorId, monitorId)).run();
  for (const channelId of channelIdsByName(w, names)) w.insert(monitorChannels).values({ monitorId, channelId }).run();
}

function modelId(w: Db, name: string): number {
  return w.select({ id: models.id }).from(models).where(eq(models.name, name)).get()!.id;
}

export const monitorKind: ConfigKind = {
  key: 'monitors',
  kind: 'monitor',
  plan(state) {
    const { tx, issues } = state;
    const items = state.file.monitors;
    const dupes = checkUnique(items, 'monitors', (m) => `${String(m.model)}/${String(m.name)}`, issues, 'monitor');
    const existing = currentMonitors(tx);
    const named = new Set<string>();
    const changes: PlannedChange[] = [];
    items.forEach((item, i) => {
      if (dupes.has(i)) return;
      const path = `monitors[${i}]`;
      const modelName = String(item.model);
      if (issues.has(path) || state.broken.models.has(modelName)) return;
      if (state.deletedModels.has(modelName)) {
        issues.add(`${path}.model`, `model ${modelName} is deleted by this file (delete: true)`);
        return;
      }
      const model = state.models.get(modelName);
      if (!model) {
        issues.add(`${path}.model`, `no model named "${modelName}", neither in this file nor on the server`);
        return;
      }
      const wanted = ((item.channels as string[] | null | undefined) ?? []).map(String);
      let ok = true;
      wanted.forEach((c, j) => {
        if (state.channels.has(c) || state.broken.channels.has(c)) return;
        ok = false;
        issues.add(`${path}.channels[${j}]`, `no channel named "${c}", neither in this file's channels nor on the server`);
      });
      let spec: MonitorSpec;
      try {
        spec = checkMonitor(model, item as unknown as MonitorFields, path);
      } catch (err) {
        issueFrom(err, issues, path);
        return;
      }
      if (!ok) return;
      const channelNames = [...new Set(wanted)].sort();
      const key = `${modelName}/${spec.name}`;
      named.add(key);
      const cur = existing.get(key);
      if (!cur) {
        changes.push({
          action: 'CREATE',
          kind: 'monitor',
          name: key,
          details: [],
          run: (w, at) => {
            const row = w.insert(monitors).values({ ...spec, modelId: modelId(w, modelName), streak: 0, createdAt: at.now, updatedAt: at.now }).returning().get();
            setChannels(w, row.id, channelNames);
            recordAudit(w, at.now, at.actor, 'createMonitor', `monitor:${row.id}`, item);
          },
        });
        return;
      }
      const fixed = FIXED.find((f) => (cur.record[f] ?? null) !== (spec[f] ?? null));
      if (fixed) {
        issues.add(
          `${path}.${fixed}`,
          `monitor ${key} has ${fixed} ${shown(cur.record[fixed])}; a monitor's metric, feature and attribute never change (its evaluations and alert would mean something else): give it another name`,
        );
        return;
      }
      const details = differences(UPDATABLE, cur.record as unknown as Record<string, unknown>, spec as unknown as Record<string, unknown>);
      if (JSON.stringify(cur.channels) !== JSON.stringify(channelNames)) details.push(`channels: ${shown(cur.channels)} -> ${shown(channelNames)}`);
      if (!details.length) return;
      const id = cur.record.id;
      changes.push({
        action: 'UPDATE',
        kind: 'monitor',
        name: key,
        details,
        run: (w, at) => {
          w.update(monitors).set({ ...spec, updatedAt: at.now }).where(eq(monitors.id, id)).run();
          setChannels(w, id, channelNames);
          recordAudit(w, at.now, at.actor, 'updateMonitor', `monitor:${id}`, item);
        },
      });
    });
    if (state.prune) {
      for (const [key, cur] of existing) {
        if (named.has(key) || !state.scope.has(cur.model) || state.deletedModels.has(cur.model)) continue;
        const { id, name } = cur.record;
        changes.push({
          action: 'DELETE',
          kind: 'monitor',
          name: key,
          details: [],
          run: (w, at) => {
            w.delete(monitors).where(eq(monitors.id, id)).run();
            recordAudit(w, at.now, at.actor, 'deleteMonitor', `monitor:${id}`, { name });
          },
        });
      }
    }
    if (changes.length) state.monitorsChanged = true;
    return changes;
  },
  export(tx, only, out) {
    const list: Array<Record<string, unknown>> = [];
    for (const cur of currentMonitors(tx).values()) {
      if (only && !only.has(cur.model)) continue;
      const m = cur.record;
      for (const c of cur.channels) out.usedChannels.add(c);
      list.push({
        model: cur.model,
        name: m.name,
        metric: m.metric,
        ...(m.feature !== null ? { feature: m.feature } : {}),
        ...(m.attribute !== null ? { attribute: m.attribute } : {}),
        window: m.window,
        schedule: m.schedule,
        comparator: m.comparator,
        ...(m.warningThreshold !== null ? { warningThreshold: m.warningThreshold } : {}),
        ...(m.criticalThreshold !== null ? { criticalThreshold: m.criticalThreshold } : {}),
        forEvaluations: m.forEvaluations,
        minSampleSize: m.minSampleSize,
        repeatInterval: m.repeatInterval,
        ...(m.enabled ? {} : { enabled: false }),
        ...(cur.channels.length ? { channels: cur.channels } : {}),
      });
    }
    return list;
  },
};
