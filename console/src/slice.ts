// Narrowing by model version and segment. The selectors show only when the model has
// versions or segments; the series batch passes the chosen ones as GraphQL arguments.
// Until the schema has Model.versions / Model.segments and series(version:, segment:),
// sliceOptionsOf finds none, so nothing shows and nothing is sent. When they land: select
// `versions { name } segments { name }` in ModelQuery (operations.ts) and read them here.
export interface SliceOptions {
  versions: string[];
  segments: string[];
}

/** The chosen version and segment (from ?version=&segment=). */
export interface Slice {
  version?: string;
  segment?: string;
}

/** What the model offers to narrow by, from the ModelQuery answer. */
export function sliceOptionsOf(answer: object): SliceOptions {
  const model = answer as { versions?: Array<{ name: string }> | null; segments?: Array<{ name: string }> | null };
  return { versions: (model.versions ?? []).map((v) => v.name), segments: (model.segments ?? []).map((s) => s.name) };
}

export function sliceOf(search: string, options: SliceOptions): Slice {
  const q = new URLSearchParams(search);
  const v = q.get('version');
  const s = q.get('segment');
  return { ...(v && options.versions.includes(v) ? { version: v } : {}), ...(s && options.segments.includes(s) ? { segment: s } : {}) };
}

/** The slice as GraphQL arguments (only those chosen). */
export function sliceArgs(slice: Slice): Record<string, string> {
  const out: Record<string, string> = {};
  if (slice.version) out.version = slice.version;
  if (slice.segment) out.segment = slice.segment;
  return out;
}
