#!/usr/bin/env node
// Fails when src/ has an import cycle (ARCHITECTURE rule 10). A cycle through value imports
// fails (module order decides what is initialised: TDZ errors, undefined imports); a cycle
// only through `import type` is listed as a warning, or fails with --strict (a cycle of
// types is still two modules that cannot be understood one without the other).
// Uses the TypeScript compiler's parser, so no extra dependency is needed.
// Usage: node scripts/check-cycles.mjs [--strict] [root=src]
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const root = resolve(args.find((a) => !a.startsWith('--')) ?? 'src');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in source), or null. */
function target(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const p of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) if (existsSync(p)) return p;
  return null;
}

/** What `file` imports: every import (types too), and those that load a module at run time. */
function importsOf(file) {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const all = new Set();
  const values = new Set();
  const add = (spec, typeOnly) => {
    const t = target(file, spec);
    if (!t) return;
    all.add(t);
    if (!typeOnly) values.add(t);
  };
  for (const s of src.statements) {
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) {
      let typeOnly = false;
      if (ts.isImportDeclaration(s)) {
        const c = s.importClause;
        const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
        typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      } else {
        const named = s.exportClause && ts.isNamedExports(s.exportClause) ? s.exportClause.elements : null;
        typeOnly = s.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly));
      }
      add(s.moduleSpecifier.text, typeOnly);
    }
  }
  // dynamic import('…') loads at run time, but later: it never makes an initialisation cycle
  return { all: [...all], values: [...values] };
}

const all = files(root);
const imports = new Map(all.map((f) => [f, importsOf(f)]));

/**
 * Tarjan's strongly connected components: every component of more than one file (or a
 * file importing itself) is a cycle.
 */
function cyclesOf(edges) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const cycles = [];
  function visit(v) {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) !== idx.get(v)) return;
    const scc = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(scc);
  }
  for (const f of all) if (!idx.has(f)) visit(f);
  return cycles;
}

const names = (c) => c.map((f) => relative(process.cwd(), f)).sort().join(', ');
const valueCycles = cyclesOf(new Map(all.map((f) => [f, imports.get(f).values])));
const inValueCycle = new Set(valueCycles.flat());
const typeCycles = cyclesOf(new Map(all.map((f) => [f, imports.get(f).all]))).filter((c) => !c.some((f) => inValueCycle.has(f)));
for (const c of valueCycles) console.error(`import cycle among: ${names(c)}`);
for (const c of typeCycles) console.error(`${strict ? 'type' : 'warning: type-only'} import cycle among: ${names(c)}`);
const failing = valueCycles.length + (strict ? typeCycles.length : 0);
if (failing > 0) {
  console.error(`${failing} import cycle${failing === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log(`no import cycles in ${relative(process.cwd(), root) || '.'} (${all.length} files${typeCycles.length ? `; ${typeCycles.length} through types only` : ''})`);
