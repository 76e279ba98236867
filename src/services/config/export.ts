// exportConfig: the server's configuration as the YAML that applyConfig accepts, in a
// stable order (by model, then name; a model's versions oldest first, as they are created)
// so that export -> apply -> export gives the same text.
import { Document, isMap, visit } from 'yaml';
import { badInput } from '../../errors.js';
import type { Deps } from '../deps.js';
import { channelKind } from './channel-kind.js';
import { modelKind } from './model-kind.js';
import { monitorKind } from './monitor-kind.js';
import { segmentKind } from './segment-kind.js';
import { versionKind } from './version-kind.js';

const HEADER = [
  ' Glassbox configuration: glassbox apply -f FILE (docs/config-as-code.md).',
  ' Webhook URLs and secrets are ${VAR} references, filled from the environment of glassbox apply.',
].join('\n');

/**
 * The configuration of these models (all when `only` is null or empty): the models, their
 * versions, segments and monitors, and the channels those use (every channel when exporting everything).
 */
export async function exportConfig(deps: Deps, only: string[] | null | undefined): Promise<string> {
  const names = only && only.length ? new Set(only) : null;
  const out = { deps, usedChannels: new Set<string>() };
  const modelItems = await modelKind.export(names, out);
  if (names) {
    const known = new Set(modelItems.map((m) => String(m.name)));
    only!.forEach((n, i) => {
      if (!known.has(n)) throw badInput(`models[${i}]`, `no model named "${n}"`);
    });
  }
  const versionItems = await versionKind.export(names, out);
  const segmentItems = await segmentKind.export(names, out);
  const monitorItems = await monitorKind.export(names, out);
  const channelItems = await channelKind.export(names, out);
  const doc = new Document({ models: modelItems, versions: versionItems, segments: segmentItems, channels: channelItems, monitors: monitorItems });
  doc.commentBefore = HEADER;
  // features, segment conditions, versions and a monitor's channels read best on one line each, as in the docs
  visit(doc, {
    Seq(_k, node, path) {
      const parent = path[path.length - 1] as { key?: { value?: unknown } } | undefined;
      const key = parent?.key?.value;
      if (key === 'channels' && path.length > 4) node.flow = true;
      if (key === 'features' || key === 'conditions') for (const f of node.items) if (isMap(f)) f.flow = true;
      if (key === 'versions') for (const f of node.items) if (isMap(f)) f.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
