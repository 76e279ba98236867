// Checks a GraphQL document's text before it is parsed. graphql-js parses (and its
// validation rules walk) nested selections and values recursively: a few thousand
// levels overflow the stack, which must be the client's 400, never a 500 with
// "RangeError" in it. Counting brackets in one pass refuses such a document first.
import type { NextFunction, Request, Response } from 'express';

/** Deepest nesting of braces, parentheses and brackets a document may have. */
export const MAX_DOCUMENT_NESTING = 64;

/** Why a document's text is refused before parsing, or null. Strings and comments are skipped. */
export function documentProblem(text: string, maxNesting = MAX_DOCUMENT_NESTING): string | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (c === 34 /* " */) {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        if (end < 0) break;
        i = end + 2;
      } else {
        for (i++; i < text.length; i++) {
          const d = text.charCodeAt(i);
          if (d === 92 /* \ */) i++;
          else if (d === 34 || d === 10) break;
        }
      }
    } else if (c === 123 || c === 40 || c === 91) {
      if (++depth > maxNesting) return `the document nests selections or values more than ${maxNesting} levels deep`;
    } else if (c === 125 || c === 41 || c === 93) {
      depth--;
    }
  }
  return null;
}

/** Express middleware for /graphql: answers 400 for a document refused by documentProblem. */
export function guardDocuments(req: Request, res: Response, next: NextFunction): void {
  const body = req.body as { query?: unknown } | undefined;
  const query = typeof body?.query === 'string' ? body.query : typeof req.query?.query === 'string' ? req.query.query : null;
  const problem = query === null ? null : documentProblem(query);
  if (!problem) {
    next();
    return;
  }
  res.status(400).json({ errors: [{ message: `Syntax Error: ${problem}.`, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
}
