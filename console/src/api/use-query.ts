// Loads an operation when its inputs change; `reload` runs it again (after a mutation).
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { TypedDocumentString } from '../gql/graphql';
import { request } from './client';

export interface Loaded<R> {
  data: R | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<R, V>(doc: TypedDocumentString<R, V>, variables: V): Loaded<R> {
  const [state, setState] = useState<{ data: R | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    request(doc, variables).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: Error) => live && setState({ data: null, error: err.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [doc, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
