// Moved to the domain (the CLI and NDJSON ingest suggest names too); kept for Slack's imports.
export { closestNames, editDistance } from '../domain/closest-names.js';
