// Durations and cron ticks. The tick enumerator must agree with node-cron's own matcher,
// or a backtest would replay ticks the live scheduler never fires.
import { afterAll, describe, expect, it } from 'vitest';
import { createTask, type ScheduledTask } from 'node-cron';
import { DAY, HOUR, MINUTE, nextTick, parseDuration, previousTick, ticksBetween, windowAt } from '../../src/domain/windows.js';
import { parseSchedule } from '../../src/domain/schedule.js';

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * MINUTE],
    ['1h', HOUR],
    ['24h', DAY],
    ['7d', 7 * DAY],
    ['2w', 14 * DAY],
    [' 90d ', 90 * DAY],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '0h', '-1h', '1.5h', '1H', '1', 'h', '1y', '10 m', '01h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
  it('a window ends at the run, exclusive', () => {
    expect(windowAt(10 * HOUR, 2 * HOUR)).toEqual({ from: 8 * HOUR, to: 10 * HOUR });
  });
});

describe('parseSchedule', () => {
  it('accepts 5 and 6 fields', () => {
    expect(parseSchedule('*/15 * * * *').ok).toBe(true);
    expect(parseSchedule('30 */5 * * * *').ok).toBe(true);
  });
  it.each(['', 'nope', '* * *', '61 * * * *', '* * * * * * *', '0 0 31 2 *'])('rejects %j with a reason', (expr) => {
    const r = parseSchedule(expr);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/cron/);
  });
});

describe('ticks agree with node-cron', () => {
  const tasks: ScheduledTask[] = [];
  afterAll(async () => {
    for (const t of tasks) await t.destroy();
  });
  const from = Date.UTC(2024, 0, 27, 22, 0);
  const to = from + 5 * DAY;
  it.each([
    '*/15 * * * *',
    '0 * * * *',
    '5 4 * * 1-5',
    '0 0 L * *',
    '0 12 LW * *',
    '0 9 * * 1#1',
    '0 9 * * 5L',
    '0 6,18 * * *',
    '0 0 29 2 *',
    '@daily',
  ])('%s', (expr) => {
    const parsed = parseSchedule(expr);
    if (!parsed.ok) throw new Error(parsed.reason);
    const task = createTask(expr, () => undefined, { timezone: 'UTC' });
    tasks.push(task);
    const expected: number[] = [];
    // Every minute of a month-end week, asked of node-cron's matcher.
    for (let t = from; t < to; t += MINUTE) if (task.match(new Date(t))) expected.push(t);
    expect(ticksBetween(parsed.fields, from, to, 100_000)).toEqual(expected);
    if (expected.length > 1) {
      expect(nextTick(parsed.fields, expected[0]!)).toBe(expected[1]);
      expect(previousTick(parsed.fields, expected[1]! - 1)).toBe(expected[0]);
      expect(previousTick(parsed.fields, expected[1]!)).toBe(expected[1]);
    }
  });
  it('seconds fields', () => {
    const parsed = parseSchedule('*/20 * * * * *');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(ticksBetween(parsed.fields, from, from + MINUTE, 10)).toEqual([from, from + 20_000, from + 40_000]);
  });
  it('stops one past the cap', () => {
    const parsed = parseSchedule('* * * * *');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(ticksBetween(parsed.fields, from, from + DAY, 10)).toHaveLength(11);
  });
  it('a schedule that never fires in range yields nothing', () => {
    const parsed = parseSchedule('0 0 29 2 *');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(ticksBetween(parsed.fields, Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31), 10)).toEqual([]);
    expect(nextTick(parsed.fields, Date.UTC(2025, 0, 1))).toBe(Date.UTC(2028, 1, 29));
  });
});
