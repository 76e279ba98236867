// Monitors in a configuration, known by (model, name): an update keeps the monitor's id,
// its evaluations, its breach streak and its open alert. What it measures (metric,
// feature, attribute) never changes: its history would mean something else.
import type { Deps } from '../deps.js';
import type { ModelRecord } from '../../domain/model.js';
import { writeAudit } from '../audit.js';
import { checkMonitor, type MonitorFields, type MonitorSpec } from '../monitor-validation.js';
import { checkUnique, differences, modelOfItem, shown, type ConfigKind, type PlanState, type PlannedChange } from './kind.js';
import { issueFrom } from './issue-from.js';
import { uniqueName } from '../unique-names.js';
import type { AutoThreshold } from '../../domain/monitoring/monitor.js';
import { checkHistorySize } from '../threshold-history.js';

const UPDATABLE = ['window', 'schedule', 'comparator', 'warningThreshold', 'criticalThreshold', 'forEvaluations', 'minSampleSize', 'repeatInterval', 'enabled', 'version', 'segment'] as const;
const FIXED = ['metric', 'feature', 'attribute'] as const;

/** An autoThreshold as a file writes it (nulls left out, no milliseconds). */
function autoInFile(a: AutoThreshold | null): Record<string, unknown> | null {
  if (a === null) return null;
  return {
    lookback: a.lookback,
    ...(a.warningSigmas !== null ? { warningSigmas: a.warningSigmas } : {}),
    ...(a.criticalSigmas !== null ? { criticalSigmas: a.criticalSigmas } : {}),
    seasonality: a.seasonality,
  };
}

const autoShown = (a: AutoThreshold | null) => (a === null ? '(none)' : JSON.stringify(autoInFile(a)));

/** Makes the monitor notify exactly the channels of these names (created by this apply included). */
async function setChannels(deps: Deps, monitorId: number, names: string[]): Promise<void> {
  const ids = await deps.store.channels.idsByName(names);
  await deps.store.monitors.setChannels(monitorId, names.map((n) => ids.get(n)!));
}

/** The version or segment `spec` names that the model will not have, or null. */
function missingScope(state: PlanState, model: ModelRecord, spec: MonitorSpec): { field: 'version' | 'segment'; message: string } | null {
  if (spec.version !== null && !state.versions.get(model.name)?.has(spec.version)) {
    return { field: 'version', message: `model ${model.name} has no version named "${spec.version}", neither in this file's versions nor on the server` };
  }
  if (spec.segment !== null && !state.segments.get(model.name)?.has(spec.segment)) {
    const pruned = state.prunedSegments.has(`${model.name}/${spec.segment}`);
    return { field: 'segment', message: pruned ? `segment ${model.name}/${spec.segment} is deleted by --prune (this file's segments do not name it)` : `model ${model.name} has no segment named "${spec.segment}", neither in this file's segments nor on the server` };
  }
  return null;
}

export const monitorKind: ConfigKind = {
  key: 'monitors',
  kind: 'monitor',
  async plan(state) {
    const { deps, issues } = state;
    const items = state.file.monitors;
    const dupes = checkUnique(items, 'monitors', (m) => `${String(m.model)}/${String(m.name)}`, issues, 'monitor');
    const existing = new Map((await deps.store.monitors.listLinked()).map((c) => [`${c.model}/${c.record.name}`, c]));
    const named = new Set<string>();
    const changes: PlannedChange[] = [];
    for (const [i, item] of items.entries()) {
      if (dupes.has(i)) continue;
      const path = `monitors[${i}]`;
      const modelName = String(item.model);
      if (issues.has(path)) continue;
      const model = modelOfItem(state, item, path);
      if (!model) continue;
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
        checkHistorySize(spec, deps.clock.now(), path);
      } catch (err) {
        issueFrom(err, issues, path);
        continue;
      }
      if (!ok) continue;
      // the versions and segments the server will hold once the file is applied
      const scopeIssue = missingScope(state, model, spec);
      if (scopeIssue) {
        issues.add(`${path}.${scopeIssue.field}`, scopeIssue.message);
        continue;
      }
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
          run: async (at) => {
            // the model may be created by this apply: its id is known only now
            const modelId = (await at.deps.store.models.byName(modelName))!.id;
            const created = await uniqueName(() => at.deps.store.monitors.create({ ...spec, modelId, createdAt: at.now }), `model ${modelName} already has a monitor named "${spec.name}"`, path);
            await setChannels(at.deps, created.id, channelNames);
            await writeAudit(at.deps, at.now, at.actor, 'createMonitor', `monitor:${created.id}`, item);
          },
        });
        continue;
      }
      const fixed = FIXED.find((f) => (cur.record[f] ?? null) !== (spec[f] ?? null));
      if (fixed) {
        issues.add(
          `${path}.${fixed}`,
          `monitor ${key} has ${fixed} ${shown(cur.record[fixed])}; a monitor's metric, feature and attribute never change (its evaluations and alert would mean something else): give it another name`,
        );
        continue;
      }
      const details = differences(UPDATABLE, cur.record as unknown as Record<string, unknown>, spec as unknown as Record<string, unknown>);
      if (autoShown(cur.record.autoThreshold) !== autoShown(spec.autoThreshold)) details.push(`autoThreshold: ${autoShown(cur.record.autoThreshold)} -> ${autoShown(spec.autoThreshold)}`);
      if (JSON.stringify(cur.channels) !== JSON.stringify(channelNames)) details.push(`channels: ${shown(cur.channels)} -> ${shown(channelNames)}`);
      if (!details.length) continue;
      const id = cur.record.id;
      changes.push({
        action: 'UPDATE',
        kind: 'monitor',
        name: key,
        details,
        run: async (at) => {
          await at.deps.store.monitors.update(id, spec, at.now);
          await setChannels(at.deps, id, channelNames);
          await writeAudit(at.deps, at.now, at.actor, 'updateMonitor', `monitor:${id}`, item);
        },
      });
    }
    if (state.prune) {
      for (const [key, cur] of existing) {
        if (named.has(key) || !state.scope.has(cur.model) || state.deletedModels.has(cur.model)) continue;
        const { id, name } = cur.record;
        changes.push({
          action: 'DELETE',
          kind: 'monitor',
          name: key,
          details: [],
          run: async (at) => {
            await at.deps.store.monitors.delete(id);
            await writeAudit(at.deps, at.now, at.actor, 'deleteMonitor', `monitor:${id}`, { name });
          },
        });
      }
    }
    if (changes.length) state.monitorsChanged = true;
    return changes;
  },
  async export(only, out) {
    const list: Array<Record<string, unknown>> = [];
    for (const cur of await out.deps.store.monitors.listLinked()) {
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
        ...(m.autoThreshold !== null ? { autoThreshold: autoInFile(m.autoThreshold) } : {}),
        forEvaluations: m.forEvaluations,
        minSampleSize: m.minSampleSize,
        repeatInterval: m.repeatInterval,
        ...(m.enabled ? {} : { enabled: false }),
        ...(m.version !== null ? { version: m.version } : {}),
        ...(m.segment !== null ? { segment: m.segment } : {}),
        ...(cur.channels.length ? { channels: cur.channels } : {}),
      });
    }
    return list;
  },
};
