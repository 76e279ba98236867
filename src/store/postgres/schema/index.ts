// Every table of the PostgreSQL store, one file per domain as in src/db/schema/.
export * from './core.js';
export * from './events.js';
export * from './monitoring.js';
export * from './stats.js';
export * from './slack.js';
export * from './liveness.js';
export * from './claims.js';
export * from './slices.js';
