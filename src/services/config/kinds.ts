// The kinds a configuration holds, in the order they are created and updated (deletes run
// in reverse: a monitor goes before the segment it narrows to and the channel it notifies,
// a model last). Versions and segments come before the monitors that name them.
import { channelKind } from './channel-kind.js';
import type { ConfigKind } from './kind.js';
import { modelKind } from './model-kind.js';
import { monitorKind } from './monitor-kind.js';
import { segmentKind } from './segment-kind.js';
import { versionKind } from './version-kind.js';

export const KINDS: ConfigKind[] = [modelKind, versionKind, segmentKind, channelKind, monitorKind];
