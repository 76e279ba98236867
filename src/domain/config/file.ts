// The shape of a configuration file once its schema has been checked.

/** The top-level lists, in the order their kinds are applied. */
export const CONFIG_KEYS = ['models', 'versions', 'segments', 'channels', 'monitors'] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** The file after the schema: each list present or empty, items still plain objects. */
export type ConfigFile = Record<ConfigKey, Array<Record<string, unknown>>>;
