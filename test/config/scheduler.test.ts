// Monitors applied from a file reach the scheduler as other monitor mutations do: created
// ones get a cron task at once, pruned ones lose it, a disabled one stops.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { apply, baseConfig } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_SCHEDULER: 'on' } });
});
afterAll(async () => {
  await s.stop(true);
});

const tasks = () => s.gb.jobs.scheduler!.tasks().size;

describe('applyConfig and the scheduler', () => {
  it('follows creates, disables and prunes', async () => {
    expect(tasks()).toBe(0);
    await apply(s, baseConfig());
    await vi.waitFor(() => expect(tasks()).toBe(2));
    await apply(s, baseConfig().replace('    channels: [oncall]\n', '    channels: [oncall]\n    enabled: false\n'));
    await vi.waitFor(() => expect(tasks()).toBe(1));
    await apply(s, baseConfig({ auc: '' }), { prune: true });
    await vi.waitFor(() => expect(tasks()).toBe(1));
    await apply(s, baseConfig({ auc: '' }).replace('    channels: [oncall]\n', '    channels: [oncall]\n    enabled: false\n'), { prune: true });
    await vi.waitFor(() => expect(tasks()).toBe(0));
  });
});
