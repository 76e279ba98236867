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

/** Issues in the order of the file: by top-level list (`order`), then item, then field. */
export function sortIssues(list: ConfigIssue[], order: readonly string[]): ConfigIssue[] {
  const key = (p: string) => p.split(/[.[\]]+/).filter(Boolean);
  const rank = (t: string, i: number) => (i === 0 ? order.indexOf(t) : /^\d+$/.test(t) ? Number(t) : -1);
  return [...list].sort((a, b) => {
    const x = key(a.path);
    const y = key(b.path);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const rx = rank(x[i]!, i);
      const ry = rank(y[i]!, i);
      if (rx !== ry && (rx >= 0 || ry >= 0)) return rx - ry;
      if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    }
    return x.length - y.length;
  });
}
