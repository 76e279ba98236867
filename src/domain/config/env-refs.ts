// `${VAR}` references in a configuration, replaced from an environment the caller passes
// (the CLI passes its own; the server passes none, so that an editor's file can never
// read the server's secrets into a webhook URL). Replaced in string scalars only, so a
// value can never change the file's structure.
import { isPair, isScalar, isSeq, visit, type Document } from 'yaml';
import { ConfigIssues, pathOf } from './issues.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** What to say about a missing variable. */
export type MissingMessage = (name: string) => string;

export const missingInEnvironment: MissingMessage = (name) => `environment variable ${name} is not set`;

/** The names `text` refers to, in order. */
export function referencesIn(text: string): string[] {
  return [...text.matchAll(REF)].map((m) => m[1]!);
}

/**
 * Replaces every `${VAR}` in the document's string values (keys are left alone) from
 * `env`, in place. A missing variable is an issue at the value's path naming it.
 */
export function substituteEnv(doc: Document, env: Record<string, string | undefined>, issues: ConfigIssues, missing: MissingMessage = missingInEnvironment): void {
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const path = pathOf(pathParts(ancestors, node));
      node.value = node.value.replace(REF, (whole, name: string) => {
        const v = env[name];
        if (v === undefined) {
          issues.add(path, missing(name));
          return whole;
        }
        return v;
      });
    },
  });
}

/** The keys and indexes from the document's root down to `node`. */
function pathParts(ancestors: readonly unknown[], node: unknown): Array<string | number> {
  const chain = [...ancestors, node];
  const out: Array<string | number> = [];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isPair(child)) out.push(isScalar(child.key) ? String(child.key.value) : String(child.key));
    else if (isSeq(parent)) out.push(parent.items.indexOf(child as never));
  }
  return out;
}
