// One transaction of the data family on PostgreSQL: joins the caller's when there is one,
// else opens its own and, when it fails on a deadlock or on a partition dropped meanwhile
// (nothing of it committed), runs it once more from the start.
import type pg from 'pg';
import type { PgContext } from '../context.js';
import { forgetEventPartitions } from '../partitions.js';
import { codeOf, RETRYABLE } from './locks.js';

/**
 * Runs `body` on the transaction's connection. `prepare` runs first, outside the
 * transaction when it opens its own (e.g. creating partitions: that locks their parent),
 * and is told whether it runs inside one.
 */
export async function dataTransaction<T>(ctx: PgContext, body: (client: pg.PoolClient) => Promise<T>, prepare?: (inside: pg.PoolClient | null) => Promise<void>): Promise<T> {
  const outer = ctx.tx.client();
  if (outer) {
    await prepare?.(outer);
    return body(outer);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await prepare?.(null);
      return await ctx.tx.run(() => body(ctx.tx.client()!));
    } catch (err) {
      if (attempt > 0 || !RETRYABLE.has(codeOf(err))) throw err;
      forgetEventPartitions(ctx.pool);
    }
  }
}
