// The kinds a configuration holds, in the order they are created and updated (deletes run
// in reverse). Versions and segments are accepted as keys and refused as items until the
// server holds them: each will be one more module here, between models and channels.
import { channelKind } from './channel-kind.js';
import { unsupportedKind, type ConfigKind } from './kind.js';
import { modelKind } from './model-kind.js';
import { monitorKind } from './monitor-kind.js';

export const KINDS: ConfigKind[] = [
  modelKind,
  unsupportedKind('versions', 'version', 'versions'),
  unsupportedKind('segments', 'segment', 'segments'),
  channelKind,
  monitorKind,
];
