// "Did you mean credit-risk?" for a mistyped model name.

/** Levenshtein edit distance (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Up to `limit` names closest to `wanted`, nearest first: names containing it (or
 * contained in it) and those within about a third of its length in edits.
 */
export function closestNames(wanted: string, names: string[], limit = 3): string[] {
  const w = wanted.toLowerCase();
  const budget = Math.max(2, Math.ceil(w.length / 3));
  return names
    .map((name) => {
      const n = name.toLowerCase();
      const contains = Math.min(w.length, n.length) >= 3 && (n.includes(w) || w.includes(n));
      return { name, d: contains ? 0.5 : editDistance(w, n) };
    })
    .filter((c) => c.d <= budget)
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((c) => c.name);
}
