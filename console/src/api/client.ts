// The console's one door to the server: POST /graphql with the visitor's key (kept in
// localStorage; none in local mode). Errors keep the server's words and code.
import type { TypedDocumentString } from '../gql/graphql';

const STORAGE = 'glassbox.apiKey';

/** An error the API answered, with its extensions.code (UNAUTHENTICATED, FORBIDDEN, ...). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function storedKey(): string | null {
  return localStorage.getItem(STORAGE);
}

export function storeKey(key: string | null): void {
  if (key) localStorage.setItem(STORAGE, key);
  else localStorage.removeItem(STORAGE);
}

interface GqlBody<R> {
  data?: R | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Runs one operation; rejects with ApiError when the answer has no data. */
export async function request<R, V>(doc: TypedDocumentString<R, V> | string, variables?: V, key = storedKey()): Promise<R> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: String(doc), variables }) });
  } catch {
    throw new ApiError('the server does not answer', 'NETWORK');
  }
  let body: GqlBody<R>;
  try {
    body = (await res.json()) as GqlBody<R>;
  } catch {
    throw new ApiError(`the server answered ${res.status} without JSON`, 'INTERNAL_SERVER_ERROR');
  }
  const first = body.errors?.[0];
  if (!body.data || first) {
    // a field that failed nulls its non-null parents: the first error says why
    if (first) throw new ApiError(first.message, first.extensions?.code);
    throw new ApiError(`the server answered ${res.status} without data`, undefined);
  }
  return body.data;
}
