// Events are indexed by (model_id, ts / EVENT_BLOCK_MS), their 3-hour UTC block
// (schema/events.ts), not by ts: a query by time names that expression as the index does,
// with the blocks of its bounds, and SQLite searches the index; `ts` itself is then checked
// row by row (so a window's ragged ends read at most a block's rows each).

import { EVENT_BLOCK_MS } from '../../../db/schema/events.js';

/** The indexed expression, as queries must write it. */
export const EVENT_BLOCK = `ts / ${EVENT_BLOCK_MS}`;

/** The block SQLite's integer division gives `ts` (it truncates toward zero, as Math.trunc). */
export const sqlBlock = (ts: number): number => Math.trunc(ts / EVENT_BLOCK_MS);

/** `model_id = ? AND ts in [from, to)` over the index; bind `windowParams(model, from, to)`. */
export const IN_WINDOW = `model_id = ? AND ${EVENT_BLOCK} BETWEEN ? AND ? AND ts >= ? AND ts < ?`;
export const windowParams = (modelId: number, from: number, to: number): number[] => [modelId, sqlBlock(from), sqlBlock(to), from, to];

/** `model_id = ? AND ts < cut` over the index; bind `beforeParams(model, cut)`. */
export const BEFORE = `model_id = ? AND ${EVENT_BLOCK} <= ? AND ts < ?`;
export const beforeParams = (modelId: number, cut: number): number[] => [modelId, sqlBlock(cut), cut];

/** `model_id = ? AND ts >= from` over the index; bind `sinceParams(model, from)`. */
export const SINCE = `model_id = ? AND ${EVENT_BLOCK} >= ? AND ts >= ?`;
export const sinceParams = (modelId: number, from: number): number[] => [modelId, sqlBlock(from), from];

/**
 * The first and last event time of the model whose id `model` names (a column or `?`):
 * min and max within its first and last indexed block, each found at an end of the index.
 */
export const spanSql = (model: string): [string, string] => [
  `(SELECT min(ts) FROM events WHERE model_id = ${model} AND ${EVENT_BLOCK} = (SELECT min(${EVENT_BLOCK}) FROM events WHERE model_id = ${model}))`,
  `(SELECT max(ts) FROM events WHERE model_id = ${model} AND ${EVENT_BLOCK} = (SELECT max(${EVENT_BLOCK}) FROM events WHERE model_id = ${model}))`,
];
