// Narrowing by model version and segment. The selectors show only when the model has
// versions or segments (ModelQuery reads them); the choice lives in the URL
// (?version=&segment=), and every query of the page passes it as GraphQL arguments
// (the window's figures and the series batch), so figures and charts agree.
export interface SliceOptions {
  versions: string[];
  /** the version events without modelVersion are attributed to, if any */
  currentVersion: string | null;
  segments: string[];
}

/** The chosen version and segment (from ?version=&segment=). */
export interface Slice {
  version?: string;
  segment?: string;
}

export const NO_OPTIONS: SliceOptions = { versions: [], currentVersion: null, segments: [] };

/** What the model offers to narrow by, from the ModelQuery answer. */
export function sliceOptionsOf(model: { versions: Array<{ name: string }>; currentVersion?: string | null; segments: Array<{ name: string }> }): SliceOptions {
  return { versions: model.versions.map((v) => v.name), currentVersion: model.currentVersion ?? null, segments: model.segments.map((s) => s.name) };
}

/** The slice the URL asks for; a name the model does not have is ignored (an old link). */
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
