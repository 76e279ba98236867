// The delivery job: ends snoozes that ran out, then drains the due outbox rows through
// the notifier of each channel's kind, recording every outcome.
import type { RetryPolicy } from '../domain/alerts/retry.js';
import { expireSnoozes } from '../services/alerts.js';
import type { Deps } from '../services/deps.js';
import type { DeliveryOutcome, Notifiers } from '../services/notifier.js';
import { claimDueDeliveries, notificationFor, recordOutcome } from '../services/outbox.js';
import { MINUTE_MS } from '../domain/time.js';

export interface DeliverOptions {
  notifiers: Notifiers;
  policy?: RetryPolicy;
  /** in [0, 1), for the backoff's jitter; injected in tests */
  random?: () => number;
  /** deliveries attempted together; default 16 */
  batch?: number;
  /** an attempt in flight longer than this is presumed lost and claimed again; default 60 s (> the 10 s webhook timeout) */
  leaseMs?: number;
  /** batches per run at most, so one run ends; default 20 */
  maxBatches?: number;
}

export interface DeliverReport {
  unsnoozed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** One pass at `now`: what was due is attempted once; what fails waits for its backoff. */
export async function run(deps: Deps, now: number, opts: DeliverOptions): Promise<DeliverReport> {
  const report: DeliverReport = { unsnoozed: await expireSnoozes(deps, now), delivered: 0, retrying: 0, failed: 0 };
  const batch = opts.batch ?? 16;
  for (let i = 0; i < (opts.maxBatches ?? 20); i++) {
    const claimed = await claimDueDeliveries(deps, now, batch, opts.leaseMs ?? MINUTE_MS);
    if (claimed.length === 0) break;
    await Promise.all(
      claimed.map(async (d) => {
        const n = await notificationFor(deps, d);
        let outcome: DeliveryOutcome;
        const notifier = n ? opts.notifiers[n.channel.kind] : undefined;
        if (!n) outcome = { ok: false, retryable: false, reason: 'the channel no longer exists' };
        else if (!notifier) outcome = { ok: false, retryable: true, reason: `no ${n.channel.kind} notifier is configured on this server` };
        else {
          try {
            outcome = await notifier.deliver(n);
          } catch (err) {
            deps.log.error({ err, delivery: d.id }, 'notifier threw');
            outcome = { ok: false, retryable: true, reason: 'the notifier failed (see the server log)' };
          }
        }
        // First thing after the answer, durably (synchronous=FULL; on SQLite the write runs
        // before recordOutcome's first await): from here a crash cannot send a confirmed
        // notification again. What remains is the gap between the receiver answering and
        // this line (see docs/notifications.md).
        const status = await recordOutcome(deps, d, outcome, deps.clock.now(), { ...(opts.policy ? { policy: opts.policy } : {}), ...(opts.random ? { random: opts.random } : {}) });
        if (status === 'DELIVERED') report.delivered++;
        else if (status === 'FAILED') {
          report.failed++;
          deps.log.warn({ delivery: d.id, type: d.type, reason: outcome.ok ? null : outcome.reason }, 'notification given up');
        } else report.retrying++;
      }),
    );
  }
  return report;
}
