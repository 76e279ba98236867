// What is wrong with a configuration file, each problem at its path in the file
// (`monitors[3].window`), list items counted from 0. Every problem is collected before
// anything changes, so a reviewer sees them all at once.

export interface ConfigIssue {
  /** `monitors[3].window`; empty for the file as a whole */
  path: string;
  message: string;
}

/** A path from its keys and indexes: ['monitors', 3, 'window'] -> monitors[3].window. */
export function pathOf(parts: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

/** One problem as a line: `path: message`. */
export function issueLine(i: ConfigIssue): string {
  return i.path ? `${i.path}: ${i.message}` : i.message;
}

/** Collects problems; the first one at a path wins (one reason per value is enough). */
export class ConfigIssues {
  readonly list: ConfigIssue[] = [];
  private readonly seen = new Set<string>();

  add(path: string, message: string): void {
    const key = `${path}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ path, message });
  }

  /** True when some problem sits at `path` or below it. */
  has(path: string): boolean {
    return this.list.some((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}
