// Every table, one file per domain; drizzle-kit reads the folder.
export * from './core.js';
export * from './events.js';
export * from './monitoring.js';
export * from './stats.js';
export * from './slack.js';
export * from './claims.js';
export * from './slices.js';
