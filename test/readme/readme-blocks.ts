// Reads the README's tour as the test runs it: each ```sh block with the ```json block that
// follows it (what the README says it answers), and compares answers with them.

export interface Block {
  /** the heading the block is under */
  section: string;
  command: string;
  /** the README's answer, one JSON value a line; null when it shows none */
  expected: string | null;
}

/** The sh blocks between two headings (`from` included, `to` excluded), in order. */
export function tourBlocks(readme: string, from: string, to: string): Block[] {
  const text = readme.slice(readme.indexOf(from), readme.indexOf(to));
  const out: Block[] = [];
  let section = from;
  const re = /^(#{2,3} .+)$|^```(sh|json)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) section = m[1];
    else if (m[2] === 'sh') out.push({ section, command: m[3]!, expected: null });
    else if (m[2] === 'json' && out.length && out[out.length - 1]!.expected === null && text.slice(m.index - 5, m.index).includes('```\n')) {
      out[out.length - 1]!.expected = m[3]!.trim();
    }
  }
  return out;
}

/** Splits concatenated JSON texts (curl prints one after another) into values. */
export function jsonValues(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if ((c === '}' || c === ']') && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

/** The README's answers as values: `…` marks elided items (`,…` `…,`), kept as text in strings. */
export function expectedValues(expected: string): { values: unknown[]; elided: boolean } {
  const elided = /,…|…,|\[…\]/.test(expected);
  const cleaned = expected.replace(/,…(?=[\]}])/g, '').replace(/…,/g, '').replace(/\[…\]/g, '[]');
  return { values: cleaned.split('\n').map((l) => JSON.parse(l)), elided };
}

/** Where `got` does not have the shape of `exp`: the same keys, types, and list items. */
export function shapeMismatches(exp: unknown, got: unknown, path = '$'): string[] {
  if (exp === null) return got === null ? [] : [`${path}: expected null, got ${JSON.stringify(got)}`];
  if (Array.isArray(exp)) {
    if (!Array.isArray(got)) return [`${path}: expected a list, got ${JSON.stringify(got)?.slice(0, 80)}`];
    if (exp.length && !got.length) return [`${path}: expected items, got none`];
    // each item the README shows has the shape of some item of the answer
    return exp.flatMap((e, i) => (got.some((g) => shapeMismatches(e, g).length === 0) ? [] : [`${path}[${i}]: no item like ${JSON.stringify(e).slice(0, 120)}`]));
  }
  if (typeof exp === 'object') {
    if (typeof got !== 'object' || got === null || Array.isArray(got)) return [`${path}: expected an object, got ${JSON.stringify(got)?.slice(0, 80)}`];
    return Object.entries(exp as Record<string, unknown>).flatMap(([k, v]) =>
      k in (got as object) ? shapeMismatches(v, (got as Record<string, unknown>)[k], `${path}.${k}`) : [`${path}.${k}: missing`],
    );
  }
  return typeof exp === typeof got ? [] : [`${path}: expected a ${typeof exp}, got ${JSON.stringify(got)}`];
}

/** A README sentence with its numbers as wildcards: the wording must match, the figures may move. */
export function wordingPattern(sentence: string): RegExp {
  const escaped = sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\d[\d,]*(\\\.\d+)?/g, '[\\d,]+(\\.\\d+)?')}$`);
}
