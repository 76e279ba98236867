// Events are indexed by (model_id, ts / HOUR_MS), their UTC hour (schema/events.ts), not by
// ts: a query by time names that expression as the index does, with the hours of its
// bounds, and SQLite searches the index; `ts` itself is then checked row by row.

import { HOUR_MS } from '../../../domain/time.js';

/** The indexed expression, as queries must write it. */
export const EVENT_HOUR = `ts / ${HOUR_MS}`;

/** The hour SQLite's integer division gives `ts` (it truncates toward zero, as Math.trunc). */
export const sqlHour = (ts: number): number => Math.trunc(ts / HOUR_MS);

/** `model_id = ? AND ts in [from, to)` over the index; bind `windowParams(model, from, to)`. */
export const IN_WINDOW = `model_id = ? AND ${EVENT_HOUR} BETWEEN ? AND ? AND ts >= ? AND ts < ?`;
export const windowParams = (modelId: number, from: number, to: number): number[] => [modelId, sqlHour(from), sqlHour(to), from, to];

/** `model_id = ? AND ts < cut` over the index; bind `beforeParams(model, cut)`. */
export const BEFORE = `model_id = ? AND ${EVENT_HOUR} <= ? AND ts < ?`;
export const beforeParams = (modelId: number, cut: number): number[] => [modelId, sqlHour(cut), cut];

/** `model_id = ? AND ts >= from` over the index; bind `sinceParams(model, from)`. */
export const SINCE = `model_id = ? AND ${EVENT_HOUR} >= ? AND ts >= ?`;
export const sinceParams = (modelId: number, from: number): number[] => [modelId, sqlHour(from), from];

/**
 * The first and last event time of the model whose id `model` names (a column or `?`):
 * min and max within its first and last indexed hour, each found at an end of the index.
 */
export const spanSql = (model: string): [string, string] => [
  `(SELECT min(ts) FROM events WHERE model_id = ${model} AND ${EVENT_HOUR} = (SELECT min(${EVENT_HOUR}) FROM events WHERE model_id = ${model}))`,
  `(SELECT max(ts) FROM events WHERE model_id = ${model} AND ${EVENT_HOUR} = (SELECT max(${EVENT_HOUR}) FROM events WHERE model_id = ${model}))`,
];
