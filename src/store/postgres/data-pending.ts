// The data family on PostgreSQL is being built (src/store/postgres/data/, issue 11): until
// it lands, every call says so instead of failing somewhere less clear.
import type { DataRepo } from '../ports/data.js';

const PENDING = 'issue 11: the PostgreSQL data adapter is being built';

function pending(what: string): never {
  throw new Error(`store.data.${what} is not available on PostgreSQL yet (${PENDING})`);
}

/** A DataRepo whose every call throws that it is not built yet. */
export function pgDataPending(): DataRepo {
  return {
    predictionWriter: () => pending('predictionWriter'),
    actualWriter: () => pending('actualWriter'),
    baseline: () => pending('baseline'),
    replaceBaseline: () => pending('replaceBaseline'),
    eventsAsBaselineRows: () => pending('eventsAsBaselineRows'),
    rebuildStats: () => pending('rebuildStats'),
    purgedBefore: () => pending('purgedBefore'),
    openReader: () => pending('openReader'),
    storedSpan: () => pending('storedSpan'),
    purge: () => pending('purge'),
    expireTombstones: () => pending('expireTombstones'),
    compact: () => pending('compact'),
    recoverStopped: () => pending('recoverStopped'),
    forgetModel: () => pending('forgetModel'),
  };
}
