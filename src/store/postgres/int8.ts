// bigint columns (epoch ms, counts) read through drizzle's `execute`: drizzle passes pg its
// own type parsers there, which ignore the pool's (openPostgres parses int8 as a number), so
// they arrive as strings. Every value stored is below 2^53.

/** An int8 value as a number. */
export const int8 = (v: unknown): number => Number(v);

/** A nullable int8 value as a number or null. */
export const int8OrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
