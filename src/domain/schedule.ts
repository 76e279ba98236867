// Cron expressions as monitors write them: node-cron's own parser (pure: no timer, no
// clock), so that what validation accepts is exactly what the scheduler runs. Below the
// services, which check schedules; the scheduling itself is src/jobs/schedule.ts.
import { validate, validateDetailed } from 'node-cron';
import type { CronFields } from './windows.js';

/** The fields of a valid 5- or 6-field cron expression, or why it is not one. */
export function parseSchedule(expr: string): { ok: true; fields: CronFields } | { ok: false; reason: string } {
  if (typeof expr !== 'string' || expr.trim() === '') return { ok: false, reason: 'must be a cron expression such as "*/15 * * * *"' };
  const detail = validateDetailed(expr);
  if (!validate(expr) || !detail.valid || !detail.fields) {
    const why = detail.errors.map((e) => e.message).join('; ') || 'not a valid cron expression';
    return { ok: false, reason: `"${expr}" is not a valid cron expression (5 or 6 fields, UTC): ${why}` };
  }
  const f = detail.fields;
  return {
    ok: true,
    fields: {
      second: f.second,
      minute: f.minute,
      hour: f.hour,
      dayOfMonth: f.dayOfMonth,
      month: f.month,
      dayOfWeek: f.dayOfWeek,
    },
  };
}
