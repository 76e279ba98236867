// Channels in a configuration. Webhook URLs and secrets are secrets: a plan says that they
// change, never what they are, and an export writes them as ${GLASSBOX_WEBHOOK_URL_<NAME>}
// and ${GLASSBOX_SECRET_<NAME>} references for `glassbox apply` to fill from its environment.
import { writeAudit } from '../audit.js';
import { checkChannel, CHANNEL_KINDS, kindOf, type CreateChannelArgs } from '../channel-kinds/registry.js';
import type { ChannelConfig, ChannelKind } from '../../domain/monitoring/channel.js';
import { checkUnique, shown, type ConfigKind, type PlannedChange } from './kind.js';
import { issueFrom } from './issue-from.js';
import { uniqueName } from '../unique-names.js';

/** The environment variable an export names for a channel's secret value. */
export function envNameFor(prefix: 'GLASSBOX_SECRET' | 'GLASSBOX_WEBHOOK_URL', channel: string): string {
  return `${prefix}_${channel.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
}

/** Every kind's fields, each once, in the registry's order (how plans list changes). */
const ALL_FIELDS = Object.values(CHANNEL_KINDS).flatMap((k) => k.fields);

/** What changes between two configs, field by field; a secret only says that it changes. */
function configChanges(before: ChannelConfig, after: ChannelConfig): string[] {
  return ALL_FIELDS.flatMap((f) => {
    const a = before[f.name] ?? null;
    const b = after[f.name] ?? null;
    if (f.secret) return secretChange(f.name, a, b);
    return a !== b ? [`${f.name}: ${shown(a)} -> ${shown(b)}`] : [];
  });
}

/** How a secret changed, without saying what it is. */
function secretChange(field: string, before: string | null, after: string | null): string[] {
  if (before === after) return [];
  if (before === null) return [`${field}: (set)`];
  if (after === null) return [`${field}: (removed)`];
  return [`${field}: (changed)`];
}

export const channelKind: ConfigKind = {
  key: 'channels',
  kind: 'channel',
  async plan(state) {
    const { deps, issues, file } = state;
    const items = file.channels;
    const dupes = checkUnique(items, 'channels', (c) => String(c.name), issues, 'channel');
    const existing = new Map((await deps.store.channels.list()).map((r) => [r.name, r]));
    for (const name of existing.keys()) state.channels.add(name);
    const named = new Set<string>(file.monitors.flatMap((m) => (Array.isArray(m.channels) ? m.channels.map(String) : [])));
    const changes: PlannedChange[] = [];
    items.forEach((item, i) => {
      if (dupes.has(i)) return;
      const path = `channels[${i}]`;
      if (issues.has(path)) {
        state.broken.channels.add(String(item.name));
        return;
      }
      let values: ReturnType<typeof checkChannel>;
      try {
        values = checkChannel(item as unknown as CreateChannelArgs, path);
      } catch (err) {
        issueFrom(err, issues, path);
        state.broken.channels.add(String(item.name));
        return;
      }
      const name = values.name;
      named.add(name);
      state.channels.add(name);
      const cur = existing.get(name);
      if (!cur) {
        changes.push({
          action: 'CREATE',
          kind: 'channel',
          name,
          details: [],
          run: async (at) => {
            await uniqueName(() => at.deps.store.channels.create(values, at.now), `a channel named "${name}" already exists`, path);
            await writeAudit(at.deps, at.now, at.actor, 'createChannel', `channel:${name}`, item);
          },
        });
        return;
      }
      const details = [
        ...(cur.kind !== values.kind ? [`kind: ${cur.kind} -> ${values.kind}`] : []),
        ...configChanges(cur.config, values.config),
      ];
      if (!details.length) return;
      changes.push({
        action: 'UPDATE',
        kind: 'channel',
        name,
        details,
        run: async (at) => {
          await at.deps.store.channels.update(cur.id, values);
          await writeAudit(at.deps, at.now, at.actor, 'updateChannel', `channel:${name}`, item);
        },
      });
    });
    if (!state.prune) return changes;
    // A channel still used by a monitor of a model the file does not name stays.
    const outside = (await deps.store.channels.uses()).filter((r) => !state.scope.has(r.model)).map((r) => r.channel);
    const keep = new Set([...named, ...outside]);
    for (const [name, row] of existing) {
      if (keep.has(name)) continue;
      state.channels.delete(name);
      changes.push({
        action: 'DELETE',
        kind: 'channel',
        name,
        details: [],
        run: async (at) => {
          // Its remaining links belong to monitors this apply deletes (pruned ones before,
          // those of a deleted model after, by cascade): the store unlinks them first.
          await at.deps.store.channels.delete(row.id);
          await writeAudit(at.deps, at.now, at.actor, 'deleteChannel', `channel:${name}`);
        },
      });
    }
    return changes;
  },
  async export(only, out) {
    const rows = await out.deps.store.channels.list();
    const chosen = only ? rows.filter((r) => out.usedChannels.has(r.name)) : rows;
    return chosen.map((c) => {
      const item: Record<string, unknown> = { name: c.name, kind: c.kind };
      for (const f of kindOf(c.kind as ChannelKind).fields) {
        if (c.config[f.name] === undefined) continue;
        item[f.name] = f.secret ? `\${${envNameFor(f.secret, c.name)}}` : c.config[f.name];
      }
      return item;
    });
  },
};
