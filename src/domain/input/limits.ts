// The sizes a client may send, in one place: the API guard enforces them, the ingest
// validation shares its own (eventId, labels, nesting), and docs/limits.md states them.

/** Names of models, monitors, channels and keys, and model-name arguments. */
export const MAX_NAME = 64;
/** Feature names, and the feature/attribute a monitor or metric names. */
export const MAX_FEATURE_NAME = 128;
/** Free text: a model's description. */
export const MAX_DESCRIPTION = 4096;
/** A note on acknowledging or resolving an alert. */
export const MAX_NOTE = 1000;
/** A webhook URL. */
export const MAX_URL = 2048;
/** Any other string or ID argument (positiveClass, webhookSecret, window, schedule...). */
export const MAX_STRING = 256;
/** Features a model may declare. */
export const MAX_FEATURES = 2000;
/** Any other list argument (statuses, channels...). */
export const MAX_LIST = 100;
/** Items of one logPredictions / logActuals / setBaseline call (more: use NDJSON). */
export const MAX_INGEST_ITEMS = 100_000;
/** Largest `limit` argument of a listing. */
export const MAX_PAGE = 1000;
/** Characters of an audit entry's details kept as given; larger members are summarised. */
export const MAX_AUDIT_DETAILS = 4096;
